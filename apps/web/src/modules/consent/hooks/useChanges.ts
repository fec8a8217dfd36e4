import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ChangeStatus, countOpenChanges, listChanges, processChange } from '../api/changes.ts';

export const changesKey = ['consent', 'changes'] as const;
const pageSize = 50;

export function useChangeList(status: ChangeStatus, lang: string) {
  return useInfiniteQuery({
    queryKey: [...changesKey, 'list', status, lang],
    queryFn: ({ pageParam, signal }) =>
      listChanges({ status, lang, limit: pageSize, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** The open changes' count for the header; asked again every minute and when the window regains focus. */
export function useOpenChangeCount(enabled: boolean) {
  return useQuery({
    queryKey: [...changesKey, 'count'],
    queryFn: ({ signal }) => countOpenChanges(signal),
    enabled,
    refetchInterval: 60_000,
    retry: false,
  });
}

export function useProcessChange() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, actionTaken }: { id: string; actionTaken: string }) => processChange(id, actionTaken),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: changesKey });
      void queryClient.invalidateQueries({ queryKey: ['consent', 'reports'] });
      void queryClient.invalidateQueries({ queryKey: ['consent', 'gdpr'] });
    },
  });
}
