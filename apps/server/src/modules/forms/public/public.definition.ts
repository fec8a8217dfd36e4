import { z } from 'zod';

/**
 * A published form as `GET /public/forms/{id}/definition?lang=` answers it (owned by the forms
 * core): texts already in one language, plus the signed render token and an ALTCHA challenge.
 * Parsed leniently here: the hosted page only needs what it renders.
 */
const text = z
  .union([z.string(), z.record(z.string(), z.string().optional())])
  .nullish()
  .transform((v) => v ?? '');

export const publicFieldSchema = z.object({
  name: z.string(),
  type: z.enum(['text', 'email', 'tel', 'textarea', 'select', 'multiselect', 'checkbox', 'date', 'number']),
  label: text,
  required: z.boolean().default(false),
  options: z
    .array(z.object({ value: z.string(), label: text }))
    .nullish()
    .transform((v) => v ?? []),
});

export const publicConsentQuestionSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  label: text,
  help: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
  required: z.boolean().default(false),
  options: z.array(
    z.object({ key: z.string(), label: text, polarity: z.enum(['grant', 'prohibition', 'neutral']) }),
  ),
});

export const publicNewsletterSchema = z.object({
  id: z.string(),
  title: text,
  description: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
});

export const publicDefinitionSchema = z.object({
  id: z.string(),
  version: z.number().int().optional(),
  language: z.string(),
  languages: z.array(z.string()).optional(),
  title: text,
  fields: z.array(publicFieldSchema),
  consentQuestions: z
    .array(publicConsentQuestionSchema)
    .nullish()
    .transform((v) => v ?? []),
  newsletters: z
    .array(publicNewsletterSchema)
    .nullish()
    .transform((v) => v ?? []),
  submitLabel: text,
  successMessage: text,
  redirectUrl: z.string().nullish(),
  token: z.string(),
  challenge: z.unknown(),
});

export type PublicField = z.infer<typeof publicFieldSchema>;
export type PublicConsentQuestion = z.infer<typeof publicConsentQuestionSchema>;
export type PublicNewsletter = z.infer<typeof publicNewsletterSchema>;
export type PublicDefinition = z.infer<typeof publicDefinitionSchema>;

/** A text of the definition in `lang`: the forms core sends plain strings; a per-language object also works. */
export function textIn(value: string | Record<string, string | undefined>, lang: string): string {
  if (typeof value === 'string') return value;
  return value[lang] ?? Object.values(value).find((v) => typeof v === 'string' && v !== '') ?? '';
}
