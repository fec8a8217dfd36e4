import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { ApiError } from '../../../api/client.ts';
import { logout } from '../api/session.ts';
import { endSession } from './useMe.ts';

export function useLogout() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: async () => {
      try {
        await logout();
      } catch (error) {
        // Already signed out (expired session, stale CSRF token): the outcome the user wants.
        if (!(error instanceof ApiError && (error.status === 401 || error.status === 403))) throw error;
      }
    },
    onSuccess: () => {
      endSession(queryClient);
      void navigate('/login', { replace: true });
    },
  });
}
