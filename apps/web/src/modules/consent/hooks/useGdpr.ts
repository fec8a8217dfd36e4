import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getGdpr, setConsents } from '../api/gdpr.ts';

export const gdprKey = ['consent', 'gdpr'] as const;

export function useGdpr(contactId: string, lang: string) {
  return useQuery({
    queryKey: [...gdprKey, contactId, lang],
    queryFn: ({ signal }) => getGdpr(contactId, lang, signal),
  });
}

export function useSetConsent(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ note, ...answer }: { questionId: string; optionKey: string; note?: string | undefined }) =>
      setConsents(contactId, { answers: [answer], note }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: [...gdprKey, contactId] });
      void queryClient.invalidateQueries({ queryKey: ['timeline', contactId] });
    },
  });
}
