import { z } from 'zod';
import { listQuerySchema } from '../../kernel/http/pagination.ts';

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'expired', 'cancelled'] as const;
export type { ApprovalStatus } from './approvals.tables.ts';

/** A kind of request: `export` now; `campaign`, `selection`, `tracking_change` with the compliance engine. */
export const approvalKindSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a lower-case kind such as export');

/** What would run, as the privacy officer judges it: a JSON object each kind shapes itself. */
export const approvalSubjectSchema = z.record(z.string(), z.json());
export type ApprovalSubject = z.infer<typeof approvalSubjectSchema>;

export const approvalSchema = z.object({
  id: z.uuid(),
  kind: z.string(),
  status: z.enum(APPROVAL_STATUSES).describe('A pending request past its expiry reads as expired.'),
  subject: approvalSubjectSchema.describe('What would run: for an export its format, fields and count.'),
  reason: z.string().nullable().describe('Why the requester needs it.'),
  requestedBy: z.uuid(),
  requestedAt: z.iso.datetime(),
  decidedBy: z.uuid().nullable(),
  decidedAt: z.iso.datetime().nullable(),
  decisionNote: z.string().nullable(),
  expiresAt: z.iso.datetime(),
});
export type Approval = z.infer<typeof approvalSchema>;

export const listApprovalsQuerySchema = listQuerySchema.extend({
  status: z.enum(APPROVAL_STATUSES).optional(),
  kind: approvalKindSchema.optional(),
  mine: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('Only requests the caller made.'),
});
export type ListApprovalsQuery = z.infer<typeof listApprovalsQuerySchema>;

const note = z
  .string()
  .trim()
  .max(1000, 'must be at most 1000 characters')
  .transform((v) => v || null)
  .nullish();

export const decisionBodySchema = z
  .object({ note: note.describe('Why, for the requester and the record (at most 1000 characters).') })
  .strict();
export type DecisionBody = z.infer<typeof decisionBodySchema>;

export const idParams = z.object({ id: z.uuid() });

export const approvalsPageSchema = z.object({
  items: z.array(approvalSchema),
  nextCursor: z.string().nullable(),
});
