import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { listRecordAccess, listUserDirectory } from '../api/accessLog.ts';

const pageSize = 50;

export function useRecordAccess(recordId: string) {
  return useInfiniteQuery({
    queryKey: ['contacts', 'access-log', recordId],
    queryFn: ({ pageParam, signal }) =>
      listRecordAccess({ recordId, limit: pageSize, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Names for user ids; only asked for when the user may read the user list. */
export function useUserDirectory(enabled: boolean) {
  return useQuery({
    queryKey: ['contacts', 'user-directory'],
    queryFn: ({ signal }) => listUserDirectory(signal),
    enabled,
    staleTime: 60_000,
  });
}
