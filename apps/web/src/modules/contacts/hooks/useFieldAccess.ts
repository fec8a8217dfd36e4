import { useQuery } from '@tanstack/react-query';
import { meQueryKey, useCurrentUser } from '../../auth/index.ts';
import { fetchFieldAccess } from '../api/fieldAccess.ts';

/**
 * The signed-in user's field access per data category. Keyed under the session's `me` query, so
 * a role change that refreshes `me` refreshes this too; the user id in the key keeps one user's
 * access from ever serving another.
 */
export function useFieldAccess() {
  const { userId } = useCurrentUser();
  return useQuery({
    queryKey: [...meQueryKey, 'field-access', userId],
    queryFn: ({ signal }) => fetchFieldAccess(signal),
    staleTime: 60_000,
  });
}
