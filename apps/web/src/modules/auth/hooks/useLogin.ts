import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type Credentials, login } from '../api/session.ts';
import { startSession } from './useMe.ts';

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: Credentials) => login(credentials),
    onSuccess: (me) => startSession(queryClient, me),
  });
}
