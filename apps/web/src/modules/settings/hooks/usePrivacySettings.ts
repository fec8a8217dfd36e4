import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getPrivacySettings, updatePrivacySettings } from '../api/privacySettings.ts';

const privacySettingsKey = ['settings', 'privacy'] as const;

export function usePrivacySettings() {
  return useQuery({ queryKey: privacySettingsKey, queryFn: ({ signal }) => getPrivacySettings(signal) });
}

export function useUpdatePrivacySettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updatePrivacySettings,
    onSuccess: (saved) => queryClient.setQueryData(privacySettingsKey, saved),
  });
}
