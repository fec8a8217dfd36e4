import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createEndpoint,
  type DeliveryStatus,
  deleteEndpoint,
  type EndpointChanges,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  type NewEndpoint,
  retryDelivery,
  rotateSecret,
  sendTest,
  updateEndpoint,
} from '../api/webhooks.ts';

const webhooksKey = ['settings', 'webhooks'] as const;
const pageSize = 50;

export function useEndpoints() {
  return useInfiniteQuery({
    queryKey: [...webhooksKey, 'endpoints'],
    queryFn: ({ pageParam, signal }) => listEndpoints({ limit: pageSize, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useEndpoint(id: string) {
  return useQuery({
    queryKey: [...webhooksKey, 'endpoint', id],
    queryFn: ({ signal }) => getEndpoint(id, signal),
  });
}

/** An endpoint's deliveries; refreshed every few seconds while one still waits for an attempt. */
export function useDeliveries(id: string, status: DeliveryStatus | undefined) {
  return useInfiniteQuery({
    queryKey: [...webhooksKey, 'deliveries', id, status ?? 'all'],
    queryFn: ({ pageParam, signal }) =>
      listDeliveries(id, { limit: pageSize, cursor: pageParam, status }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) =>
        page.items.some(
          (d) => d.status === 'pending' || (d.status === 'retrying' && isSoon(d.nextAttemptAt)),
        ),
      )
        ? 2000
        : false,
  });
}

function isSoon(iso: string | null): boolean {
  return iso !== null && new Date(iso).getTime() - Date.now() < 60_000;
}

function useInvalidate() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: webhooksKey });
}

export function useCreateEndpoint() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (input: NewEndpoint) => createEndpoint(input), onSuccess: invalidate });
}

export function useUpdateEndpoint() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: EndpointChanges }) => updateEndpoint(id, changes),
    onSuccess: invalidate,
  });
}

export function useDeleteEndpoint() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (id: string) => deleteEndpoint(id), onSuccess: invalidate });
}

export function useRotateSecret() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (id: string) => rotateSecret(id), onSuccess: invalidate });
}

export function useSendTest() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (id: string) => sendTest(id), onSuccess: invalidate });
}

export function useRetryDelivery() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (id: string) => retryDelivery(id), onSuccess: invalidate });
}
