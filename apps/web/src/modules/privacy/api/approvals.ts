import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { pageSchema, parseWith, queryString } from '../../../api/schemas.ts';

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'expired', 'cancelled'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export const approvalSchema = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(APPROVAL_STATUSES),
  subject: z.record(z.string(), z.unknown()),
  reason: z.string().nullable(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  expiresAt: z.string(),
});
export type Approval = z.infer<typeof approvalSchema>;

const approvalPageSchema = pageSchema(approvalSchema);

const approvalPath = (id: string) => `/api/v1/approvals/${encodeURIComponent(id)}`;

export function listApprovals(
  filter: { status?: ApprovalStatus | undefined; mine?: boolean | undefined },
  signal?: AbortSignal,
) {
  const query = queryString({
    status: filter.status,
    mine: filter.mine === undefined ? undefined : String(filter.mine),
    limit: 100,
  });
  return apiFetch(`/api/v1/approvals${query}`, parseWith(approvalPageSchema), { signal });
}

export function getApproval(id: string, signal?: AbortSignal): Promise<Approval> {
  return apiFetch(approvalPath(id), parseWith(approvalSchema), { signal });
}

/** Approves or rejects a pending request, with an optional note for the requester. */
export function decideApproval(id: string, decision: 'approve' | 'reject', note: string): Promise<Approval> {
  const trimmed = note.trim();
  return apiFetch(`${approvalPath(id)}/${decision}`, parseWith(approvalSchema), {
    method: 'POST',
    json: trimmed === '' ? {} : { note: trimmed },
  });
}

/** Withdraws one's own pending request: nothing runs. */
export function cancelApproval(id: string): Promise<Approval> {
  return apiFetch(`${approvalPath(id)}/cancel`, parseWith(approvalSchema), { method: 'POST' });
}
