import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { ignoreBody, pageSchema, parseWith, queryString } from '../../../api/schemas.ts';

export const FORM_LANGUAGES = ['de', 'en', 'fr'] as const;
export type FormLanguage = (typeof FORM_LANGUAGES)[number];

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

export const FORM_STATUSES = ['draft', 'published', 'archived'] as const;
export type FormStatus = (typeof FORM_STATUSES)[number];

const textsSchema = z.object({
  de: z.string().optional(),
  en: z.string().optional(),
  fr: z.string().optional(),
});
/** A text in each of the form's languages. */
export type Texts = z.infer<typeof textsSchema>;

const fieldSchema = z.object({
  name: z.string(),
  target: z.string(),
  type: z.enum(FORM_FIELD_TYPES),
  label: textsSchema,
  required: z.boolean(),
  options: z.array(z.object({ value: z.string(), label: textsSchema })).optional(),
});
export type FormField = z.infer<typeof fieldSchema>;

export const definitionSchema = z.object({
  languages: z.array(z.enum(FORM_LANGUAGES)),
  title: textsSchema,
  fields: z.array(fieldSchema),
  tags: z.array(z.string()),
  newsletterIds: z.array(z.string()),
  consentQuestionIds: z.array(z.string()),
  /** Questions of consentQuestionIds a submission must answer (any option counts). */
  requiredConsentQuestionIds: z.array(z.string()).default([]),
  overwrite: z.array(z.string()),
  submitLabel: textsSchema,
  successMessage: textsSchema,
  redirectUrl: z.string().nullable(),
  autoReply: z.object({ enabled: z.boolean(), subject: textsSchema, body: textsSchema }),
  notifyUserIds: z.array(z.string()),
});
export type FormDefinition = z.infer<typeof definitionSchema>;

const formSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(FORM_STATUSES),
  version: z.number(),
  definition: definitionSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Form = z.infer<typeof formSchema>;

const formSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(FORM_STATUSES),
  version: z.number(),
  submissionCount: z.number(),
  updatedAt: z.string(),
});
export type FormSummary = z.infer<typeof formSummarySchema>;

const submissionSchema = z.object({
  id: z.string(),
  formId: z.string(),
  formVersion: z.number(),
  contactId: z.string().nullable(),
  language: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  /** The consent answers, each with the question version the visitor was shown. */
  consent: z
    .array(z.object({ questionId: z.string(), version: z.number(), optionKey: z.string() }))
    .default([]),
  newsletterIds: z.array(z.string()).default([]),
  createdAt: z.string(),
  autoReplyMessageId: z.string().nullable(),
  /** received: stored, the contact not yet made; failed: the contacts module refused a value. */
  status: z.enum(['received', 'processed', 'failed']).default('processed'),
  failure: z.string().nullable().default(null),
});
export type Submission = z.infer<typeof submissionSchema>;

const embedSchema = z.object({
  hostedUrl: z.string(),
  scriptSnippet: z.string(),
  htmlSnippet: z.string(),
  wordpressSnippet: z.string(),
});
export type EmbedCode = z.infer<typeof embedSchema>;

/** Spam counts per reason and day; read leniently, the rows the page cannot read are skipped. */
const spamRowSchema = z.object({
  day: z.string().optional(),
  date: z.string().optional(),
  reason: z.string(),
  count: z.number(),
});
const spamSchema = z
  .union([z.object({ items: z.array(z.unknown()) }), z.array(z.unknown())])
  .transform((body) =>
    (Array.isArray(body) ? body : body.items).flatMap((row) => {
      const parsed = spamRowSchema.safeParse(row);
      if (!parsed.success) return [];
      return [
        {
          day: parsed.data.day ?? parsed.data.date ?? '',
          reason: parsed.data.reason,
          count: parsed.data.count,
        },
      ];
    }),
  );
export type SpamCount = z.output<typeof spamSchema>[number];

const basePath = '/api/v1/forms';
const formPath = (id: string) => `${basePath}/${encodeURIComponent(id)}`;

export function listForms(params: { limit?: number; cursor?: string | undefined }, signal?: AbortSignal) {
  return apiFetch(`${basePath}${queryString(params)}`, parseWith(pageSchema(formSummarySchema)), { signal });
}

export function getForm(id: string, signal?: AbortSignal): Promise<Form> {
  return apiFetch(formPath(id), parseWith(formSchema), { signal });
}

export type FormInput = { name: string; status: FormStatus; definition: FormDefinition };

export function createForm(input: FormInput): Promise<Form> {
  return apiFetch(basePath, parseWith(formSchema), { method: 'POST', json: input });
}

export function updateForm(id: string, changes: Partial<FormInput>): Promise<Form> {
  return apiFetch(formPath(id), parseWith(formSchema), { method: 'PATCH', json: changes });
}

export function deleteForm(id: string): Promise<void> {
  return apiFetch(formPath(id), ignoreBody, { method: 'DELETE' });
}

export function listSubmissions(
  formId: string,
  params: { limit?: number; cursor?: string | undefined },
  signal?: AbortSignal,
) {
  return apiFetch(
    `${formPath(formId)}/submissions${queryString(params)}`,
    parseWith(pageSchema(submissionSchema)),
    {
      signal,
    },
  );
}

export function getEmbedCode(formId: string, signal?: AbortSignal): Promise<EmbedCode> {
  return apiFetch(`${formPath(formId)}/embed`, parseWith(embedSchema), { signal });
}

export function getSpamCounts(formId: string, signal?: AbortSignal): Promise<SpamCount[]> {
  return apiFetch(`${formPath(formId)}/spam`, parseWith(spamSchema), { signal });
}

const userChoiceSchema = z.object({ id: z.string(), email: z.string(), displayName: z.string().nullable() });
export type UserChoice = z.infer<typeof userChoiceSchema>;

/** The business's users (first 200), to pick who is notified of submissions. */
export async function listUserChoices(signal?: AbortSignal): Promise<UserChoice[]> {
  const page = await apiFetch(
    `/api/v1/users${queryString({ limit: 200 })}`,
    parseWith(pageSchema(userChoiceSchema)),
    {
      signal,
    },
  );
  return page.items;
}

const messageStateSchema = z.object({ id: z.string(), status: z.string() });

/** The states of the latest mail messages (first 200), to show how auto-replies went. */
export async function listMessageStates(signal?: AbortSignal): Promise<Map<string, string>> {
  const page = await apiFetch(
    `/api/v1/mail/messages${queryString({ limit: 200 })}`,
    parseWith(pageSchema(messageStateSchema)),
    { signal },
  );
  return new Map(page.items.map((message) => [message.id, message.status]));
}
