import { useMutation, useQuery } from '@tanstack/react-query';
import { createExport, getExport } from '../api/exports.ts';

export function useCreateExport() {
  return useMutation({ mutationFn: createExport });
}

/** An export; polled while it is produced, and slowly while it waits for approval. */
export function useExport(id: string | null) {
  return useQuery({
    queryKey: ['exports', id],
    queryFn: ({ signal }) => getExport(id ?? '', signal),
    enabled: id !== null,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      if (status === 'queued' || status === 'running') return 1500;
      if (status === 'awaiting_approval') return 10_000;
      return false;
    },
  });
}
