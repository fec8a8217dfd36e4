import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { parseWith, queryString } from '../../../api/schemas.ts';
import { POLARITIES } from '../model/vocabulary.ts';

/** A question and the contact's current answer to it (the GDPR tab, API.md). */
export const gdprConsentSchema = z.object({
  questionId: z.string(),
  questionKey: z.string().optional(),
  /** The wording of the version answered (unanswered: the current one). */
  question: z.string(),
  /** The label of the answer given; null: not answered. */
  answer: z.string().nullable(),
  optionKey: z.string().nullish(),
  granted: z.boolean(),
  prohibition: z.boolean(),
  state: z.string().nullish(),
  version: z.number().nullish(),
  currentVersion: z.number().nullish(),
  changedAt: z.string().nullable(),
  source: z.string().nullable(),
  /** When staff processed the latest change (null: unprocessed, or no change by the contact). */
  processedAt: z.string().nullable(),
  archived: z.boolean().optional(),
  options: z.array(z.object({ key: z.string(), label: z.string(), polarity: z.enum(POLARITIES) })).optional(),
});
export type GdprConsent = z.infer<typeof gdprConsentSchema>;

export const SUBSCRIPTION_STATUSES = ['pending', 'subscribed', 'unsubscribed'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export const gdprSubscriptionSchema = z.object({
  newsletterId: z.string(),
  /** The newsletter's name or title where the server gives one. */
  newsletter: z.string().nullish(),
  status: z.enum(SUBSCRIPTION_STATUSES),
  requestedAt: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  unsubscribedAt: z.string().nullable(),
  source: z.string().nullish(),
});
export type GdprSubscription = z.infer<typeof gdprSubscriptionSchema>;

const gdprSchema = z.object({
  consents: z.array(gdprConsentSchema),
  subscriptions: z.array(gdprSubscriptionSchema),
});
export type Gdpr = z.infer<typeof gdprSchema>;

const contactPath = (id: string) => `/api/v1/contacts/${encodeURIComponent(id)}`;

/** The questions are worded in `lang` (else the business's language). */
export function getGdpr(contactId: string, lang: string, signal?: AbortSignal): Promise<Gdpr> {
  return apiFetch(`${contactPath(contactId)}/gdpr${queryString({ lang })}`, parseWith(gdprSchema), {
    signal,
  });
}

/** Staff record answers for the contact (source `staff`); the answer is evidence like any other. */
export function setConsents(
  contactId: string,
  input: { answers: { questionId: string; optionKey: string }[]; note?: string | undefined },
): Promise<unknown> {
  return apiFetch(`${contactPath(contactId)}/consents`, (body) => body, { method: 'PUT', json: input });
}
