import { useInfiniteQuery } from '@tanstack/react-query';
import { type AuditFilter, listAuditLog } from '../api/auditLog.ts';

const pageSize = 50;

export function useAuditLog(filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: ['settings', 'audit-log', filter],
    queryFn: ({ pageParam, signal }) =>
      listAuditLog({ ...filter, limit: pageSize, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
