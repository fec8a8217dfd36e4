import { z } from 'zod';
import { listQuerySchema } from '../../kernel/http/pagination.ts';
import type { ConsentSource } from './consent.tables.ts';

export const CONSENT_LANGUAGES = ['de', 'en', 'fr'] as const;
export type ConsentLanguage = (typeof CONSENT_LANGUAGES)[number];
/** The languages of forms (the same three). */
export type FormLanguage = ConsentLanguage;
export const CONSENT_CHANNELS = ['email', 'postal', 'phone', 'sms', 'any'] as const;
export const CONSENT_POLARITIES = ['grant', 'prohibition', 'neutral'] as const;
export const CONSENT_SOURCES = [
  'form',
  'portal',
  'preferences',
  'staff',
  'import',
  'site',
  'newsletter',
] as const satisfies readonly ConsentSource[];
export const CONSENT_STATES = [
  'dpv:ConsentGiven',
  'dpv:ConsentRefused',
  'dpv:ConsentWithdrawn',
  'dpv:Prohibition',
] as const;
export type { ConsentSource };

export const MAX_OPTIONS = 10;

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const slug = (max: number) =>
  z
    .string()
    .regex(
      new RegExp(`^[a-z][a-z0-9_-]{0,${max - 1}}$`),
      `lower-case letters, digits, - and _, starting with a letter (≤ ${max})`,
    );

/** The wording of a question in one language. */
const questionTextSchema = z
  .object({
    label: text(1000).describe('The question or statement the person answers'),
    help: text(4000).optional().describe('More detail: what is done with the answer, how to withdraw it'),
  })
  .strict();

export const questionTextsSchema = z
  .object({
    de: questionTextSchema.optional(),
    en: questionTextSchema.optional(),
    fr: questionTextSchema.optional(),
  })
  .strict()
  .refine((t) => Object.values(t).some((v) => v !== undefined), 'needs the wording in at least one language')
  .describe('The wording per language (de, en, fr); at least one');
export type QuestionTexts = z.output<typeof questionTextsSchema>;

const optionLabelsSchema = z
  .object({ de: text(300).optional(), en: text(300).optional(), fr: text(300).optional() })
  .strict();

export const questionOptionSchema = z
  .object({
    key: slug(64).describe('Stable within the question: answers are stored by it'),
    label: optionLabelsSchema.describe('Per language; every language the question has needs one'),
    polarity: z
      .enum(CONSENT_POLARITIES)
      .describe(
        'grant: a permission (dpv:ConsentGiven); prohibition: an explicit "no" that beats everything (dpv:Prohibition, e.g. "do not contact me at all"); neutral: no permission (refused, or withdrawn after a grant)',
      ),
  })
  .strict();
export type QuestionOption = z.output<typeof questionOptionSchema>;

export const questionOptionsSchema = z
  .array(questionOptionSchema)
  .min(1, 'at least one answer option')
  .max(MAX_OPTIONS, `at most ${MAX_OPTIONS} answer options`)
  .superRefine((options, ctx) => {
    const seen = new Set<string>();
    options.forEach((o, i) => {
      if (seen.has(o.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: 'is used twice' });
      seen.add(o.key);
    });
  });

const purposeSchema = z
  .string()
  .max(100)
  .regex(/^(dpv|x-crm):[A-Za-z][A-Za-z0-9-]*$/, 'a DPV purpose such as dpv:DirectMarketing (or x-crm:…)')
  .describe(
    'W3C DPV purpose CURIE: dpv:DirectMarketing, dpv:ServiceUsageAnalytics, dpv:CustomerRelationshipManagement, x-crm:ErasureRequest …',
  );

export const legalBasisSchema = z
  .string()
  .max(100)
  .regex(/^(eu-gdpr|x-ch):[A-Za-z0-9][A-Za-z0-9-]*$/, 'a legal basis such as eu-gdpr:A6-1-a')
  .describe('eu-gdpr:A6-1-a (consent), eu-gdpr:A6-1-f (legitimate interest) …, x-ch:A31');

export const createQuestionSchema = z
  .object({
    key: slug(63).describe('Unique in the tenant; selections may name the question by it'),
    purpose: purposeSchema,
    channel: z.enum(CONSENT_CHANNELS).describe('The channel the question covers; any = every channel'),
    legalBasis: legalBasisSchema.default('eu-gdpr:A6-1-a'),
    texts: questionTextsSchema,
    options: questionOptionsSchema,
  })
  .strict();
export type CreateQuestionInput = z.output<typeof createQuestionSchema>;

export const updateQuestionSchema = z
  .object({
    key: slug(63).optional(),
    purpose: purposeSchema.optional(),
    channel: z.enum(CONSENT_CHANNELS).optional(),
    legalBasis: legalBasisSchema.optional(),
    texts: questionTextsSchema.optional(),
    options: questionOptionsSchema.optional(),
    archived: z.boolean().optional().describe('Archive (true) or bring back (false) the question'),
  })
  .strict()
  .describe(
    'Changed wording or options make a new version (earlier answers keep theirs); key, purpose, channel and legal basis change only while nobody has answered the question',
  );
export type UpdateQuestionInput = z.output<typeof updateQuestionSchema>;

const iso = z.iso.datetime();

export const questionSchema = z.object({
  id: z.uuid(),
  key: z.string(),
  purpose: z.string(),
  channel: z.enum(CONSENT_CHANNELS),
  legalBasis: z.string(),
  version: z.number().int().describe('The current version'),
  texts: questionTextsSchema,
  options: z.array(questionOptionSchema),
  textHash: z.string().describe('sha256 (hex) of the canonical JSON (RFC 8785) of { texts, options }'),
  inUse: z.boolean().describe('Someone answered it: its metadata is fixed, deleting archives it'),
  archivedAt: iso.nullable(),
  createdAt: iso,
  updatedAt: iso,
});
export type Question = z.infer<typeof questionSchema>;

export const listQuestionsQuerySchema = listQuerySchema.extend({
  archived: z
    .enum(['true', 'false', 'all'])
    .default('false')
    .describe('false (default): current questions; true: archived ones; all: both'),
});

export const questionsPageSchema = z.object({
  items: z.array(questionSchema),
  nextCursor: z.string().nullable(),
});

export const versionSchema = z.object({
  version: z.number().int(),
  texts: questionTextsSchema,
  options: z.array(questionOptionSchema),
  textHash: z.string(),
  createdAt: iso,
  createdBy: z.uuid().nullable(),
});
export type QuestionVersion = z.infer<typeof versionSchema>;

export const deletedQuestionSchema = z.object({
  outcome: z
    .enum(['deleted', 'archived'])
    .describe('deleted: nobody had answered it; archived: kept with its answers, no longer offered'),
});

// -- answers ----------------------------------------------------------------------------------

/** A question as a form, the preference centre or staff show it (one language). */
export type ShownQuestion = {
  id: string;
  version: number;
  key: string;
  label: string;
  help: string | null;
  options: Array<{ key: string; label: string; polarity: 'grant' | 'prohibition' | 'neutral' }>;
};

export const languageQuerySchema = z.object({
  lang: z.enum(CONSENT_LANGUAGES).optional().describe("Wording language (default: the tenant's)"),
});

export const putConsentsSchema = z
  .object({
    answers: z
      .array(
        z
          .object({
            questionId: z.uuid(),
            optionKey: z.string().min(1).max(64),
            version: z
              .number()
              .int()
              .min(1)
              .optional()
              .describe('The version the person was shown (default: the current one)'),
          })
          .strict(),
      )
      .min(1)
      .max(50),
    language: z
      .enum(CONSENT_LANGUAGES)
      .optional()
      .describe("The language the answer was given in (default: the tenant's)"),
    note: text(200)
      .optional()
      .describe('Where the answer came from, e.g. "phone call 3 May" (kept as the source reference)'),
  })
  .strict();

export const gdprConsentSchema = z.object({
  questionId: z.uuid(),
  questionKey: z.string(),
  question: z.string().describe('The wording of the version answered (unanswered: the current one)'),
  answer: z.string().nullable().describe('The label of the answer given; null: not answered'),
  optionKey: z.string().nullable(),
  granted: z.boolean().describe('The answer is a permission (dpv:ConsentGiven): green'),
  prohibition: z.boolean().describe('The answer is a prohibition (dpv:Prohibition): red'),
  state: z.enum(CONSENT_STATES).nullable(),
  version: z.number().int().describe('The wording version answered (unanswered: the current one)'),
  currentVersion: z.number().int(),
  changedAt: iso.nullable(),
  source: z.enum(CONSENT_SOURCES).nullable(),
  processedAt: iso
    .nullable()
    .describe('When staff processed the latest change (null: unprocessed, or no change by the contact)'),
  purpose: z.string(),
  channel: z.enum(CONSENT_CHANNELS),
  archived: z.boolean(),
});
export type GdprConsent = z.infer<typeof gdprConsentSchema>;

export const gdprSubscriptionSchema = z.looseObject({
  newsletterId: z.uuid(),
  newsletter: z.string().optional().describe("The newsletter's name"),
  legalBasis: z.string().optional(),
  status: z.enum(['pending', 'subscribed', 'unsubscribed']),
  requestedAt: iso.nullable(),
  confirmedAt: iso.nullable(),
  unsubscribedAt: iso.nullable(),
});
export type GdprSubscription = z.infer<typeof gdprSubscriptionSchema>;

export const gdprSchema = z.object({
  consents: z.array(gdprConsentSchema),
  subscriptions: z.array(gdprSubscriptionSchema),
});

export const putConsentsResultSchema = z.object({
  changed: z.number().int().describe('How many answers differ from before'),
  consents: z.array(gdprConsentSchema),
});

// -- changes ----------------------------------------------------------------------------------

export const changeSummarySchema = z.object({
  questionId: z.uuid().optional(),
  newsletterId: z.uuid().optional(),
  from: z.string().nullable(),
  to: z.string(),
});

export const changeSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['consent', 'subscription']),
  contactId: z.uuid(),
  contactName: z.string().nullable().describe("As the reader's field access shows it"),
  summary: changeSummarySchema,
  question: z.string().nullable().describe('Kind consent: the question as worded in the version answered'),
  from: z.string().nullable().describe('Kind consent: the label of the previous answer'),
  to: z.string().nullable().describe('Kind consent: the label of the new answer'),
  createdAt: iso,
  processedAt: iso.nullable(),
  processedBy: z.uuid().nullable(),
  actionTaken: z.string().nullable(),
});
export type ConsentChangeView = z.infer<typeof changeSchema>;

export const listChangesQuerySchema = listQuerySchema.extend({
  status: z
    .enum(['open', 'done'])
    .default('open')
    .describe('open: oldest first (a queue); done: most recently processed first'),
  lang: languageQuerySchema.shape.lang,
});

export const changesPageSchema = z.object({
  items: z.array(changeSchema),
  nextCursor: z.string().nullable(),
});

export const changeCountSchema = z.object({
  open: z.number().int(),
  oldestOpenAt: iso.nullable(),
});

export const processChangeSchema = z
  .object({
    actionTaken: text(2000).describe('What was done, e.g. "removed from the brochure mailing list"'),
  })
  .strict();

// -- log and reports --------------------------------------------------------------------------

export const consentLogQuerySchema = listQuerySchema.extend({
  contactId: z.uuid().optional(),
  questionId: z.uuid().optional(),
  source: z.enum(CONSENT_SOURCES).optional(),
  from: iso.optional().describe('From this moment (inclusive)'),
  to: iso.optional().describe('Until this moment (exclusive)'),
  lang: languageQuerySchema.shape.lang,
});
export type ConsentLogQuery = z.output<typeof consentLogQuerySchema>;

export const consentLogEntrySchema = z.object({
  id: z.uuid(),
  type: z
    .enum(['consent', 'subscription', 'processing'])
    .describe('consent: an answer; subscription: a newsletter event; processing: staff reacted to a change'),
  occurredAt: iso,
  contactId: z.uuid(),
  contactName: z.string().nullable(),
  byContact: z.boolean().describe('The person acted (not staff, not an import)'),
  actorUserId: z.uuid().nullable().describe('The staff user, when staff acted'),
  source: z.string().nullable(),
  sourceRef: z.string().nullable(),
  questionId: z.uuid().nullable(),
  questionKey: z.string().nullable(),
  question: z.string().nullable().describe('The wording of the version answered'),
  version: z.number().int().nullable(),
  optionKey: z.string().nullable(),
  answer: z.string().nullable(),
  state: z.string().nullable(),
  textHash: z.string().nullable(),
  legalBasis: z.string().nullable(),
  newsletterId: z.uuid().nullable(),
  subscriptionEvent: z
    .string()
    .nullable()
    .describe('requested | confirmed | unsubscribed | expired | resubscribed'),
  changeId: z.uuid().nullable().describe('processing: the change processed'),
  actionTaken: z.string().nullable(),
});
export type ConsentLogEntry = z.infer<typeof consentLogEntrySchema>;

export const consentLogPageSchema = z.object({
  items: z.array(consentLogEntrySchema),
  nextCursor: z.string().nullable(),
});

export const answersReportQuerySchema = z.object({
  from: iso.optional().describe('Default: 90 days ago'),
  to: iso.optional().describe('Default: now'),
  bucket: z.enum(['day', 'week', 'month']).default('day'),
});

export const answersReportSchema = z.object({
  bucket: z.enum(['day', 'week', 'month']),
  from: iso,
  to: iso,
  items: z.array(
    z.object({
      bucketStart: iso.describe('UTC start of the day, ISO week (Monday) or month'),
      questionId: z.uuid(),
      questionKey: z.string(),
      optionKey: z.string(),
      state: z.enum(CONSENT_STATES),
      count: z.number().int(),
    }),
  ),
});

export const openChangesReportSchema = z.object({
  open: z.number().int(),
  oldestOpenAt: iso.nullable(),
  ages: z
    .array(z.object({ age: z.enum(['<1d', '1-3d', '3-7d', '>7d']), count: z.number().int() }))
    .describe('Open changes by age; older than 3 days is overdue (privacy notes, CON-06)'),
  processedLast30Days: z.number().int(),
  medianProcessingHours: z.number().nullable().describe('Of the changes processed in the last 30 days'),
});

// -- settings ---------------------------------------------------------------------------------

export const consentSettingsSchema = z.object({
  digestEnabled: z.boolean().describe('A daily mail of open changes to the recipients'),
  digestRecipientUserIds: z
    .array(z.uuid())
    .max(20)
    .describe('Users who get the digest; empty: every user holding the Privacy Officer role'),
});
export type ConsentSettings = z.infer<typeof consentSettingsSchema>;

export const putConsentSettingsSchema = consentSettingsSchema.strict();

export const idParams = z.object({ id: z.uuid() });

// -- imports -----------------------------------------------------------------------------------

export const IMPORT_METHODS = ['paper', 'verbal', 'checkbox', 'double-opt-in', 'other'] as const;
export const MAX_IMPORT_ROWS = 1000;

export const consentImportSchema = z
  .object({
    legalBasis: legalBasisSchema.describe(
      'The legal basis the imported answers rest on (required: an import without one is unusable evidence)',
    ),
    source: z
      .object({
        description: z
          .string()
          .trim()
          .min(3, 'must say where and how the answers were collected')
          .max(180)
          .describe('Where and how the answers were collected, e.g. "paper forms, trade fair Basel 2026"'),
        method: z.enum(IMPORT_METHODS).describe('How the person answered'),
      })
      .strict(),
    language: z
      .enum(CONSENT_LANGUAGES)
      .optional()
      .describe("The language the answers were given in (default: the tenant's)"),
    rows: z
      .array(
        z
          .object({
            contactId: z.uuid().optional(),
            email: z.email().max(254).optional().describe('Finds the contact when contactId is not given'),
            questionId: z.uuid(),
            optionKey: z.string().min(1).max(64),
            version: z
              .number()
              .int()
              .min(1)
              .optional()
              .describe('The wording version the person saw (default: current)'),
            answeredAt: z.iso
              .datetime({ offset: true })
              .describe('When the person answered (proof: not the import time)'),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_IMPORT_ROWS),
  })
  .strict();
export type ConsentImport = z.infer<typeof consentImportSchema>;

export const consentImportResultSchema = z.object({
  recorded: z.number().int().describe('Answers recorded as evidence'),
  changed: z.number().int().describe("Answers that changed a contact's current answer"),
});
