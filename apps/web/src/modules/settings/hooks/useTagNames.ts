import { useQuery } from '@tanstack/react-query';
import { listTagNames } from '../api/tags.ts';

/** Tag names to suggest; only fetched when the user may read contacts (else free text only). */
export function useTagNames(enabled: boolean) {
  return useQuery({
    queryKey: ['settings', 'tag-names'],
    queryFn: ({ signal }) => listTagNames(signal),
    enabled,
    staleTime: 60_000,
  });
}
