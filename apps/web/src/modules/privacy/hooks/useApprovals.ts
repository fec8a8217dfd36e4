import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type ApprovalStatus,
  cancelApproval,
  decideApproval,
  getApproval,
  listApprovals,
} from '../api/approvals.ts';

export const approvalsKey = ['approvals'] as const;

export function useApprovalList(filter: { status?: ApprovalStatus | undefined; mine?: boolean | undefined }) {
  return useQuery({
    queryKey: [...approvalsKey, 'list', filter],
    queryFn: ({ signal }) => listApprovals(filter, signal),
    refetchInterval: 30_000,
  });
}

/** One request; polled while it is pending, so that a waiting requester sees the decision. */
export function useApproval(id: string | null) {
  return useQuery({
    queryKey: [...approvalsKey, id],
    queryFn: ({ signal }) => getApproval(id ?? '', signal),
    enabled: id !== null,
    refetchInterval: (query) => (query.state.data?.status === 'pending' ? 5000 : false),
  });
}

export function useDecideApproval() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision, note }: { id: string; decision: 'approve' | 'reject'; note: string }) =>
      decideApproval(id, decision, note),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: approvalsKey }),
  });
}

export function useCancelApproval() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: cancelApproval,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: approvalsKey }),
  });
}
