import { z } from 'zod';
import { listQuerySchema } from '../../../kernel/http/pagination.ts';
import { LEGAL_BASES, SUBSCRIPTION_STATUSES } from './newsletters.tables.ts';

export const NEWSLETTER_LANGUAGES = ['de', 'en', 'fr'] as const;
export type NewsletterLanguage = (typeof NEWSLETTER_LANGUAGES)[number];

const isoTime = z.iso.datetime();
const oneLine = (s: string) => !/[\r\n\0]/.test(s);

const textsOfLanguage = z
  .object({
    title: z.string().trim().min(1).max(200).refine(oneLine, 'must be one line'),
    description: z
      .string()
      .trim()
      .max(2000)
      .nullish()
      .transform((v) => v || null),
    optOutText: z
      .string()
      .trim()
      .max(500)
      .nullish()
      .transform((v) => v || null)
      .describe(
        'What unsubscribing means, shown beside the toggle in the preference centre and on the unsubscribe page.',
      ),
  })
  .strict();
export type NewsletterTexts = Partial<Record<NewsletterLanguage, z.output<typeof textsOfLanguage>>>;

export const newsletterTextsSchema = z
  .object({ de: textsOfLanguage.optional(), en: textsOfLanguage.optional(), fr: textsOfLanguage.optional() })
  .strict()
  .describe('Title, description and opt-out text per language.');

const templateOf = (max: number) => z.string().max(max).optional();
export const welcomeSchema = z
  .object({
    subject: z
      .object({ de: templateOf(500), en: templateOf(500), fr: templateOf(500) })
      .strict()
      .default({}),
    body: z
      .object({ de: templateOf(20_000), en: templateOf(20_000), fr: templateOf(20_000) })
      .strict()
      .default({}),
  })
  .strict()
  .describe(
    'The welcome mail per language (LiquidJS; variables contact.salutation, contact.firstName, contact.lastName, newsletter.title). The footer with the unsubscribe and preference links is added.',
  );
export type Welcome = z.output<typeof welcomeSchema>;

const listIdSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a slug: a–z, 0–9 and -, at most 63')
  .describe('The list label of the List-Id header (unique per tenant); derived from the name when omitted.');

const languagesSchema = z
  .array(z.enum(NEWSLETTER_LANGUAGES))
  .min(1)
  .max(3)
  .refine((l) => new Set(l).size === l.length, 'must not name a language twice');

const senderName = z.string().trim().min(1).max(200).refine(oneLine, 'must be one line').nullable();
const senderAddress = z
  .string()
  .trim()
  .max(320)
  .regex(/^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/, 'must be an email address')
  .nullable();

export const createNewsletterBodySchema = z
  .object({
    name: z.string().trim().min(1).max(200).refine(oneLine, 'must be one line'),
    listId: listIdSchema.optional(),
    languages: languagesSchema.default(['de', 'en', 'fr']),
    texts: newsletterTextsSchema,
    doubleOptIn: z.boolean().default(true),
    welcomeEnabled: z.boolean().default(true),
    welcome: welcomeSchema.default({ subject: {}, body: {} }),
    senderName: senderName
      .default(null)
      .describe('Kept for the mail module’s per-message sender (not used yet: the tenant’s sender sends).'),
    senderAddress: senderAddress.default(null),
  })
  .strict();
export type CreateNewsletterBody = z.output<typeof createNewsletterBodySchema>;

export const updateNewsletterBodySchema = z
  .object({
    name: z.string().trim().min(1).max(200).refine(oneLine, 'must be one line').optional(),
    listId: listIdSchema.optional(),
    languages: languagesSchema.optional(),
    texts: newsletterTextsSchema.optional(),
    doubleOptIn: z.boolean().optional(),
    welcomeEnabled: z.boolean().optional(),
    welcome: welcomeSchema.optional(),
    senderName: senderName.optional(),
    senderAddress: senderAddress.optional(),
    archived: z
      .boolean()
      .optional()
      .describe('Archived newsletters are offered nowhere; subscribers can still leave.'),
  })
  .strict();
export type UpdateNewsletterBody = z.output<typeof updateNewsletterBodySchema>;

const countsSchema = z.object({
  pending: z.number().int(),
  subscribed: z.number().int(),
  unsubscribed: z.number().int(),
});

/** The texts as answered (no transforms: response schemas are encoded). */
const textsViewSchema = z.object({
  title: z.string(),
  description: z.string().nullable(),
  optOutText: z.string().nullable(),
});
const perLanguage = <T extends z.ZodType>(schema: T) =>
  z.object({ de: schema.optional(), en: schema.optional(), fr: schema.optional() });

export const newsletterSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  listId: z.string(),
  listIdHeader: z.string().describe('The List-Id header its mails carry.'),
  languages: z.array(z.enum(NEWSLETTER_LANGUAGES)),
  texts: perLanguage(textsViewSchema),
  doubleOptIn: z.boolean(),
  welcomeEnabled: z.boolean(),
  welcome: z.object({ subject: perLanguage(z.string()), body: perLanguage(z.string()) }),
  senderName: z.string().nullable(),
  senderAddress: z.string().nullable(),
  archived: z.boolean(),
  archivedAt: isoTime.nullable(),
  counts: countsSchema.describe('Subscriptions by status.'),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type NewsletterView = z.infer<typeof newsletterSchema>;

export const newslettersPageSchema = z.object({
  items: z.array(newsletterSchema),
  nextCursor: z.string().nullable(),
});

export const listNewslettersQuerySchema = listQuerySchema.extend({
  archived: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true'))
    .describe('true: archived only; false: active only; omitted: all.'),
});

export const idParams = z.object({ id: z.uuid() });

export const subscriptionSchema = z.object({
  id: z.uuid(),
  contactId: z.uuid(),
  newsletterId: z.uuid(),
  status: z.enum(SUBSCRIPTION_STATUSES),
  legalBasis: z.enum(LEGAL_BASES),
  language: z.enum(NEWSLETTER_LANGUAGES),
  source: z.string(),
  sourceRef: z.string().nullable(),
  requestedAt: isoTime,
  confirmedAt: isoTime.nullable(),
  unsubscribedAt: isoTime.nullable(),
  expiresAt: isoTime.nullable().describe('Pending: when the unconfirmed request expires.'),
});
export type SubscriptionView = z.infer<typeof subscriptionSchema>;

export const subscriptionsPageSchema = z.object({
  items: z.array(subscriptionSchema),
  nextCursor: z.string().nullable(),
});

export const listSubscriptionsQuerySchema = listQuerySchema.extend({
  status: z.enum(SUBSCRIPTION_STATUSES).optional(),
});

export const addSubscriptionBodySchema = z
  .object({
    contactId: z.uuid(),
    newsletterId: z.uuid(),
    language: z
      .enum(NEWSLETTER_LANGUAGES)
      .optional()
      .describe("The confirmation mail's language; default: the contact's, else the newsletter's first."),
  })
  .strict();

export const addSubscriptionResultSchema = z.object({
  status: z.enum(['pending', 'subscribed']),
  subscription: subscriptionSchema,
});

/** The GDPR tab's subscriptions part (API.md), plus the newsletter's name and the legal basis. */
export type GdprSubscription = {
  newsletterId: string;
  newsletter: string;
  status: 'pending' | 'subscribed' | 'unsubscribed';
  legalBasis: string;
  requestedAt: string;
  confirmedAt: string | null;
  unsubscribedAt: string | null;
};

/** The webhook `subscription.changed`'s data. */
export type SubscriptionChangedData = {
  contactId: string;
  newsletterId: string;
  from: string | null;
  to: string;
  source: string;
  occurredAt: string;
};
