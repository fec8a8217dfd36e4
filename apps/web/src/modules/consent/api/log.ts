import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { parseWith, queryString } from '../../../api/schemas.ts';

export const LOG_TYPES = ['consent', 'subscription', 'processing'] as const;

/** One entry of the consent log: an answer, a newsletter event, or staff reacting to a change. */
export const logEntrySchema = z.object({
  id: z.string(),
  type: z.enum(LOG_TYPES),
  occurredAt: z.string(),
  contactId: z.string(),
  contactName: z.string().nullable(),
  /** The person acted (not staff, not an import). */
  byContact: z.boolean(),
  actorUserId: z.string().nullable(),
  source: z.string().nullable(),
  sourceRef: z.string().nullable(),
  questionId: z.string().nullable(),
  questionKey: z.string().nullable(),
  question: z.string().nullable(),
  version: z.number().nullable(),
  optionKey: z.string().nullable(),
  answer: z.string().nullable(),
  state: z.string().nullable(),
  textHash: z.string().nullable(),
  legalBasis: z.string().nullable(),
  newsletterId: z.string().nullable(),
  subscriptionEvent: z.string().nullable(),
  changeId: z.string().nullable(),
  actionTaken: z.string().nullable(),
});
export type LogEntry = z.infer<typeof logEntrySchema>;

const logPageSchema = z.object({ items: z.array(logEntrySchema), nextCursor: z.string().nullable() });

export type LogFilter = {
  contactId?: string | undefined;
  questionId?: string | undefined;
  source?: string | undefined;
  /** ISO date-times: from inclusive, to exclusive. */
  from?: string | undefined;
  to?: string | undefined;
};

export function listLog(
  filter: LogFilter & { lang?: string; limit?: number; cursor?: string | undefined },
  signal?: AbortSignal,
) {
  return apiFetch(`/api/v1/consent-log${queryString(filter)}`, parseWith(logPageSchema), { signal });
}
