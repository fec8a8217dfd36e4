import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { ignoreBody, pageSchema, parseWith, queryString } from '../../../api/schemas.ts';
import type { NewsletterInput } from '../model/newsletter.ts';

const langTexts = z.object({
  de: z.string().optional(),
  en: z.string().optional(),
  fr: z.string().optional(),
});
const newsletterText = z.object({
  title: z.string(),
  description: z.string().nullish(),
  optOutText: z.string().nullish(),
});

export const newsletterSchema = z.object({
  id: z.string(),
  name: z.string(),
  listId: z.string(),
  /** The List-Id header its mails carry. */
  listIdHeader: z.string().optional(),
  texts: z.object({
    de: newsletterText.optional(),
    en: newsletterText.optional(),
    fr: newsletterText.optional(),
  }),
  languages: z.array(z.string()).optional(),
  doubleOptIn: z.boolean(),
  welcomeEnabled: z.boolean(),
  welcome: z.object({ subject: langTexts, body: langTexts }),
  senderName: z.string().nullish(),
  senderAddress: z.string().nullish(),
  archived: z.boolean().optional(),
  archivedAt: z.string().nullish(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Subscriber counts by status, where the server gives them. */
  counts: z
    .object({ pending: z.number(), subscribed: z.number(), unsubscribed: z.number() })
    .partial()
    .optional(),
});
export type Newsletter = z.infer<typeof newsletterSchema>;

export const SUBSCRIPTION_STATUSES = ['pending', 'subscribed', 'unsubscribed'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export const subscriptionSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  contactName: z.string().nullish(),
  contactEmail: z.string().nullish(),
  newsletterId: z.string(),
  status: z.enum(SUBSCRIPTION_STATUSES),
  legalBasis: z.string().nullish(),
  language: z.string().nullish(),
  source: z.string().nullish(),
  requestedAt: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  unsubscribedAt: z.string().nullable(),
  expiresAt: z.string().nullish(),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

const basePath = '/api/v1/newsletters';
const newsletterPath = (id: string) => `${basePath}/${encodeURIComponent(id)}`;

export function listNewsletters(
  params: { limit?: number; cursor?: string | undefined; archived?: 'true' | 'false' },
  signal?: AbortSignal,
) {
  return apiFetch(`${basePath}${queryString(params)}`, parseWith(pageSchema(newsletterSchema)), { signal });
}

export function getNewsletter(id: string, signal?: AbortSignal): Promise<Newsletter> {
  return apiFetch(newsletterPath(id), parseWith(newsletterSchema), { signal });
}

export function createNewsletter(input: NewsletterInput): Promise<Newsletter> {
  return apiFetch(basePath, parseWith(newsletterSchema), { method: 'POST', json: input });
}

export function updateNewsletter(
  id: string,
  changes: Partial<NewsletterInput> & { archived?: boolean },
): Promise<Newsletter> {
  return apiFetch(newsletterPath(id), parseWith(newsletterSchema), { method: 'PATCH', json: changes });
}

export function deleteNewsletter(id: string): Promise<void> {
  return apiFetch(newsletterPath(id), ignoreBody, { method: 'DELETE' });
}

export function listSubscriptions(
  newsletterId: string,
  params: { status?: SubscriptionStatus | undefined; limit?: number; cursor?: string | undefined },
  signal?: AbortSignal,
) {
  return apiFetch(
    `${newsletterPath(newsletterId)}/subscriptions${queryString(params)}`,
    parseWith(pageSchema(subscriptionSchema)),
    { signal },
  );
}

const addedSchema = z.looseObject({ status: z.enum(['pending', 'subscribed']) });

/** Staff add a contact: double opt-in starts (a confirmation mail), unless the newsletter has it off. */
export function addSubscription(input: {
  contactId: string;
  newsletterId: string;
  language?: string | undefined;
}): Promise<{ status: 'pending' | 'subscribed' }> {
  return apiFetch('/api/v1/subscriptions', parseWith(addedSchema), { method: 'POST', json: input });
}

export function unsubscribe(id: string): Promise<void> {
  return apiFetch(`/api/v1/subscriptions/${encodeURIComponent(id)}`, ignoreBody, { method: 'DELETE' });
}
