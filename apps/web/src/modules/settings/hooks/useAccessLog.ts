import { useInfiniteQuery } from '@tanstack/react-query';
import { type AccessFilter, listAccessLog } from '../api/accessLog.ts';

const pageSize = 50;

export function useAccessLog(filter: AccessFilter) {
  return useInfiniteQuery({
    queryKey: ['settings', 'access-log', filter],
    queryFn: ({ pageParam, signal }) =>
      listAccessLog({ ...filter, limit: pageSize, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
