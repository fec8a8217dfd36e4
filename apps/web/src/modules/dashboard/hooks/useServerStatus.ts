import { useQuery } from '@tanstack/react-query';
import { type DatabaseKind, fetchReadiness } from '../api/readiness.ts';

export type ServerState = 'checking' | 'ready' | 'not_ready' | 'unreachable';

export type ServerStatus = {
  state: ServerState;
  database: DatabaseKind | undefined;
  migrations: number | undefined;
  checkedAt: Date | undefined;
  isRefreshing: boolean;
  refresh: () => void;
};

const refreshIntervalMs = 30_000;

/** Polls `/readyz`; anything that is not a readiness answer (network error, proxy error, garbage) means unreachable. */
export function useServerStatus(): ServerStatus {
  const query = useQuery({
    queryKey: ['server', 'readiness'],
    queryFn: ({ signal }) => fetchReadiness(signal),
    refetchInterval: refreshIntervalMs,
    retry: 1,
  });

  const state: ServerState = query.isPending ? 'checking' : query.isError ? 'unreachable' : query.data.status;
  const data = query.isError ? undefined : query.data;
  const checkedAt = Math.max(query.dataUpdatedAt, query.errorUpdatedAt);
  return {
    state,
    database: data?.database,
    migrations: data?.migrations,
    checkedAt: checkedAt > 0 ? new Date(checkedAt) : undefined,
    isRefreshing: query.isFetching,
    refresh: () => {
      void query.refetch();
    },
  };
}
