import { z } from 'zod';
import { listQuerySchema } from '../../kernel/http/pagination.ts';

export const FORM_LANGUAGES = ['de', 'en', 'fr'] as const;
export type FormLanguage = (typeof FORM_LANGUAGES)[number];
export const FORM_STATUSES = ['draft', 'published', 'archived'] as const;
export const FORM_FIELD_TYPES = [
  'text',
  'email',
  'tel',
  'textarea',
  'select',
  'multiselect',
  'checkbox',
  'date',
  'number',
] as const;
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];
export const SPAM_REASONS = ['honeypot', 'too_fast', 'token', 'challenge', 'replay'] as const;

export const MAX_FORM_FIELDS = 50;
export const TEMPLATE_MAX = 20_000;
/**
 * Names the public POST reserves for itself: `_token`, `_hp`, `_lang`, `altcha`, and the JSON
 * keys of consent answers and newsletters (`consent`, `newsletters`; the urlencoded names
 * `consent.<id>`, `newsletter.<id>` cannot be field names: they have a dot).
 */
export const RESERVED_FIELD_NAMES = new Set(['altcha', 'consent', 'newsletters']);
/** At most this many consent questions, and newsletters, on one form. */
export const MAX_FORM_CONSENT = 20;

const label = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

/** A text per language; languages the form does not offer are ignored. */
const texts = (max: number) =>
  z
    .object({ de: label(max).optional(), en: label(max).optional(), fr: label(max).optional() })
    .strict()
    .default({});

const optionSchema = z
  .object({
    value: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    label: texts(200),
  })
  .strict();

export const formFieldSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,62}$/, 'lower-case letters, digits and _, starting with a letter (≤ 63)')
      .describe('The field name in posts'),
    target: z
      .string()
      .regex(
        /^(contact\.[a-zA-Z0-9]+|custom\.[a-z][a-z0-9_]{0,62}|none)$/,
        'contact.<field>, custom.<key> or none',
      )
      .describe(
        "Where the value goes: 'contact.email', 'contact.firstName', … (a contact field), 'custom.<key>' (a custom field of contacts) or 'none' (kept with the submission only, e.g. a message)",
      ),
    type: z.enum(FORM_FIELD_TYPES),
    label: texts(200),
    required: z.boolean().default(false),
    options: z.array(optionSchema).max(100, 'at most 100 options').optional(),
  })
  .strict();
export type FormField = z.output<typeof formFieldSchema>;

export const formDefinitionSchema = z
  .object({
    languages: z
      .array(z.enum(FORM_LANGUAGES))
      .min(1, 'at least one language')
      .max(3)
      .refine((l) => new Set(l).size === l.length, 'each language once')
      .describe('The first is the default'),
    title: texts(200),
    fields: z.array(formFieldSchema).min(1, 'at least one field').max(MAX_FORM_FIELDS),
    tags: z
      .array(z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'))
      .max(20, 'at most 20 tags')
      .default([])
      .describe('Tag names set on the contact of every submission ("coding")'),
    newsletterIds: z
      .array(z.uuid())
      .max(MAX_FORM_CONSENT)
      .default([])
      .describe(
        'Newsletters the form offers, a checkbox each (never pre-ticked); a ticked one starts double opt-in',
      ),
    consentQuestionIds: z
      .array(z.uuid())
      .max(MAX_FORM_CONSENT)
      .default([])
      .describe(
        'Consent questions the form shows, in this order (the current version of each; never pre-selected)',
      ),
    requiredConsentQuestionIds: z
      .array(z.uuid())
      .max(MAX_FORM_CONSENT)
      .default([])
      .describe('Questions of consentQuestionIds a submission must answer (any option counts as an answer)'),
    overwrite: z
      .array(z.string().max(100))
      .max(MAX_FORM_FIELDS)
      .default([])
      .describe(
        "Targets ('contact.firstName', 'custom.<key>') a submission may overwrite on an existing contact; any other field only fills an empty one",
      ),
    submitLabel: texts(100),
    successMessage: texts(2000),
    redirectUrl: z
      .url('must be an https URL')
      .max(2048)
      .refine((u) => u.startsWith('https://'), 'must be an https URL')
      .nullable()
      .default(null)
      .describe('After a submission the visitor goes here; null shows the success message'),
    autoReply: z
      .object({
        enabled: z.boolean().default(false),
        subject: texts(TEMPLATE_MAX),
        body: texts(TEMPLATE_MAX),
      })
      .strict()
      .default({ enabled: false, subject: {}, body: {} })
      .describe(
        'LiquidJS templates per language. Variables: contact.salutation, contact.firstName, contact.lastName, contact.email, contact.language, form.name — nothing else (never what the visitor typed into free-text fields)',
      ),
    notifyUserIds: z.array(z.uuid()).max(20).default([]).describe('Staff told by email of each submission'),
  })
  .strict();
export type FormDefinition = z.output<typeof formDefinitionSchema>;

export const formSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  status: z.enum(FORM_STATUSES),
  version: z.number().int(),
  definition: formDefinitionSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Form = z.infer<typeof formSchema>;

const formName = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const createFormBodySchema = z
  .object({
    name: formName,
    status: z.enum(FORM_STATUSES).default('draft'),
    definition: formDefinitionSchema,
  })
  .strict();
export type CreateFormBody = z.output<typeof createFormBodySchema>;

export const updateFormBodySchema = z
  .object({
    name: formName.optional(),
    status: z.enum(FORM_STATUSES).optional(),
    definition: formDefinitionSchema.optional().describe('A changed definition makes a new version'),
  })
  .strict();
export type UpdateFormBody = z.output<typeof updateFormBodySchema>;

export const formListItemSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  status: z.enum(FORM_STATUSES),
  version: z.number().int(),
  submissionCount: z.number().int(),
  updatedAt: z.iso.datetime(),
});
export const formsPageSchema = z.object({
  items: z.array(formListItemSchema),
  nextCursor: z.string().nullable(),
});

export const submittedValueSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.string()),
  z.null(),
]);
export type SubmittedValue = z.infer<typeof submittedValueSchema>;

export const consentAnswerSchema = z.object({
  questionId: z.uuid(),
  version: z.number().int().describe('The question version shown'),
  optionKey: z.string(),
});
export type ConsentAnswer = z.infer<typeof consentAnswerSchema>;

export const submissionSchema = z.object({
  id: z.uuid(),
  formId: z.uuid(),
  formVersion: z.number().int(),
  contactId: z.uuid().nullable().describe('The contact it landed on; null until processed'),
  language: z.enum(FORM_LANGUAGES),
  data: z.record(z.string(), submittedValueSchema).describe('The submitted values by field name'),
  createdAt: z.iso.datetime(),
  autoReplyMessageId: z.uuid().nullable(),
  consent: z
    .array(consentAnswerSchema)
    .describe('The consent answers, each with the question version the visitor was shown'),
  newsletterIds: z.array(z.uuid()).describe('The newsletters the visitor ticked'),
  status: z
    .enum(['received', 'processed', 'failed'])
    .describe('received: stored, not yet processed; processed: in the CRM; failed: see failure'),
  failure: z.string().nullable().describe('Why processing failed (status failed)'),
});
export type Submission = z.infer<typeof submissionSchema>;
export const submissionsPageSchema = z.object({
  items: z.array(submissionSchema),
  nextCursor: z.string().nullable(),
});

export const listSubmissionsQuerySchema = listQuerySchema.extend({ formId: z.uuid().optional() });
export type ListSubmissionsQuery = z.output<typeof listSubmissionsQuerySchema>;

export const spamSchema = z.object({
  items: z.array(
    z.object({
      day: z.iso.date(),
      reason: z.enum(SPAM_REASONS),
      count: z.number().int(),
    }),
  ),
});

export const idParams = z.object({ id: z.uuid() });

// ---------------------------------------------------------------------------------------------
// Public
// ---------------------------------------------------------------------------------------------

export const langQuerySchema = z.object({
  lang: z.string().max(35).optional().describe('de, en or fr; other values give the form default'),
});

export const altchaChallengeSchema = z
  .object({
    // Loose: every signed parameter must come back exactly as issued.
    parameters: z.looseObject({
      algorithm: z.string(),
      nonce: z.string(),
      salt: z.string(),
      cost: z.number(),
      keyLength: z.number(),
      keyPrefix: z.string(),
      keySignature: z.string().optional(),
      expiresAt: z.number().optional(),
      data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
    }),
    signature: z.string().optional(),
  })
  .describe('An ALTCHA (v2) challenge: solve it and post the payload, base64 JSON, as `altcha`');

export const publicDefinitionSchema = z.object({
  id: z.uuid(),
  version: z.number().int(),
  language: z.enum(FORM_LANGUAGES),
  languages: z.array(z.enum(FORM_LANGUAGES)),
  title: z.string(),
  fields: z.array(
    z.object({
      name: z.string(),
      type: z.enum(FORM_FIELD_TYPES),
      label: z.string(),
      required: z.boolean(),
      options: z.array(z.object({ value: z.string(), label: z.string() })),
    }),
  ),
  consentQuestions: z
    .array(
      z.object({
        id: z.uuid(),
        version: z.number().int().describe('Post it back (JSON consentVersions / `_cv.<id>`)'),
        label: z.string(),
        help: z.string().nullable(),
        required: z.boolean(),
        options: z.array(
          z.object({
            key: z.string(),
            label: z.string(),
            polarity: z.enum(['grant', 'prohibition', 'neutral']),
          }),
        ),
      }),
    )
    .describe(
      'A radio group each, none pre-selected; post `consent.<id>=<key>` (urlencoded) or JSON consent: { [id]: key }',
    ),
  newsletters: z
    .array(z.object({ id: z.uuid(), title: z.string(), description: z.string().nullable() }))
    .describe(
      'A checkbox each, never pre-ticked; post `newsletter.<id>=on` (urlencoded) or JSON newsletters: [id]',
    ),
  submitLabel: z.string(),
  successMessage: z.string(),
  redirectUrl: z.string().nullable(),
  token: z.string().describe('Post it back as `_token` (minimum fill time)'),
  challenge: altchaChallengeSchema,
});
export type PublicDefinition = z.infer<typeof publicDefinitionSchema>;

export const submitAnswerSchema = z.object({
  ok: z.literal(true),
  message: z.string(),
  redirectUrl: z.string().nullable(),
});
