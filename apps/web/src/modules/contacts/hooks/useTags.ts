import { useQuery } from '@tanstack/react-query';
import { useHasRight } from '../../auth/index.ts';
import { listTags } from '../api/tags.ts';

/**
 * The business's tags (first 200 by name), for filters and for suggestions in forms. The server
 * lists them to users who may read contacts; others type tag names without suggestions.
 */
export function useTags() {
  const mayRead = useHasRight('contacts:read');
  return useQuery({
    queryKey: ['contacts', 'tags'],
    queryFn: ({ signal }) => listTags(signal),
    enabled: mayRead,
    staleTime: 60_000,
  });
}
