import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { pageSchema, parseWith, queryString } from '../../../api/schemas.ts';

export const activityKinds = [
  'note',
  'call',
  'meeting',
  'email',
  'form_submission',
  'consent',
  'system',
] as const;
export type ActivityKind = (typeof activityKinds)[number];

export const directions = ['inbound', 'outbound'] as const;
export type Direction = (typeof directions)[number];

/** Limits of the timeline API, checked here too so that the form says so before sending. */
export const activityLimits = { subject: 300, body: 20_000, durationMinutes: 24 * 60 } as const;

const activitySchema = z.object({
  id: z.string(),
  // Kinds and directions a newer server adds are shown as they come rather than breaking the list.
  kind: z.string(),
  direction: z.string().nullable().optional(),
  subject: z.string().nullable().optional(),
  body: z.string().nullable().optional(),
  occurredAt: z.string(),
  durationMinutes: z.number().nullable().optional(),
  source: z.string().nullable().optional(),
  createdBy: z.object({ userId: z.string(), email: z.string() }).nullable().optional(),
});
export type Activity = z.infer<typeof activitySchema>;

const activityPageSchema = pageSchema(activitySchema);
export type ActivityPage = z.infer<typeof activityPageSchema>;

const activitiesPath = (contactId: string) => `/api/v1/contacts/${encodeURIComponent(contactId)}/activities`;

/** One contact's timeline, newest first. */
export function listActivities(
  contactId: string,
  params: { limit: number; cursor?: string | undefined },
  signal?: AbortSignal,
): Promise<ActivityPage> {
  return apiFetch(`${activitiesPath(contactId)}${queryString(params)}`, parseWith(activityPageSchema), {
    signal,
  });
}

export type NewActivity = {
  kind: 'note' | 'call';
  subject?: string | undefined;
  body: string;
  /** ISO 8601 with time zone; the server takes "now" when absent. */
  occurredAt?: string | undefined;
  durationMinutes?: number | undefined;
  direction?: Direction | undefined;
};

export function createActivity(contactId: string, input: NewActivity): Promise<Activity> {
  return apiFetch(activitiesPath(contactId), parseWith(activitySchema), { method: 'POST', json: input });
}
