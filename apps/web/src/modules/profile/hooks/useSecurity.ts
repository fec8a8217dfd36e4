import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../../api/client.ts';
import { meQueryKey } from '../../auth/index.ts';
import { changePassword, disableTotp, enableTotp, startTotpSetup } from '../api/profile.ts';

export function useChangePassword() {
  return useMutation({ mutationFn: changePassword });
}

export function useStartTotpSetup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: startTotpSetup,
    // Switched on meanwhile (another tab): the card then shows the "on" state.
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'AUTH_TOTP_ALREADY_ON') {
        void queryClient.invalidateQueries({ queryKey: meQueryKey });
      }
    },
  });
}

/** Turning 2FA on or off changes `totpEnabled` of the signed-in user. */
export function useEnableTotp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: enableTotp,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meQueryKey }),
  });
}

export function useDisableTotp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: disableTotp,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meQueryKey }),
  });
}
