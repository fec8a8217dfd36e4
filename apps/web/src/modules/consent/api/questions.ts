import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { pageSchema, parseWith, queryString } from '../../../api/schemas.ts';
import type { QuestionInput } from '../model/question.ts';
import { POLARITIES } from '../model/vocabulary.ts';

const langTexts = z.object({
  de: z.string().optional(),
  en: z.string().optional(),
  fr: z.string().optional(),
});
const questionText = z.object({
  label: z.string(),
  help: z
    .string()
    .nullish()
    .transform((v) => v ?? undefined),
});

export const questionTextsSchema = z.object({
  de: questionText.optional(),
  en: questionText.optional(),
  fr: questionText.optional(),
});

export const questionOptionSchema = z.object({
  key: z.string(),
  label: langTexts,
  polarity: z.enum(POLARITIES),
});

/** A consent question with its current version's wording. */
export const questionSchema = z.object({
  id: z.string(),
  key: z.string(),
  purpose: z.string(),
  channel: z.string(),
  legalBasis: z.string(),
  /** The current version of the wording. */
  version: z.number(),
  texts: questionTextsSchema,
  options: z.array(questionOptionSchema),
  textHash: z.string().optional(),
  /** Someone answered it: its key, purpose, channel and basis are fixed, deleting archives it. */
  inUse: z.boolean().optional(),
  archivedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Question = z.infer<typeof questionSchema>;

export const questionVersionSchema = z.object({
  version: z.number(),
  texts: questionTextsSchema,
  options: z.array(questionOptionSchema),
  textHash: z.string(),
  createdAt: z.string(),
  createdBy: z.string().nullable().optional(),
});
export type QuestionVersion = z.infer<typeof questionVersionSchema>;

const versionsSchema = z
  .union([z.object({ items: z.array(questionVersionSchema) }), z.array(questionVersionSchema)])
  .transform((body) => (Array.isArray(body) ? body : body.items));

const basePath = '/api/v1/consent-questions';
const questionPath = (id: string) => `${basePath}/${encodeURIComponent(id)}`;

export function listQuestions(
  params: { limit?: number; cursor?: string | undefined; archived?: 'true' | 'false' | 'all' },
  signal?: AbortSignal,
) {
  return apiFetch(`${basePath}${queryString(params)}`, parseWith(pageSchema(questionSchema)), { signal });
}

export function getQuestion(id: string, signal?: AbortSignal): Promise<Question> {
  return apiFetch(questionPath(id), parseWith(questionSchema), { signal });
}

export function createQuestion(input: QuestionInput): Promise<Question> {
  return apiFetch(basePath, parseWith(questionSchema), { method: 'POST', json: input });
}

export function updateQuestion(
  id: string,
  changes: Partial<QuestionInput> & { archived?: boolean },
): Promise<Question> {
  return apiFetch(questionPath(id), parseWith(questionSchema), { method: 'PATCH', json: changes });
}

const deletedSchema = z.object({ outcome: z.enum(['deleted', 'archived']) });

/** Deletes an unused question; one that someone answered is archived (kept as evidence). */
export function archiveQuestion(id: string): Promise<'deleted' | 'archived'> {
  return apiFetch(questionPath(id), parseWith(deletedSchema), { method: 'DELETE' }).then(
    (body) => body.outcome,
  );
}

export function listVersions(id: string, signal?: AbortSignal): Promise<QuestionVersion[]> {
  return apiFetch(`${questionPath(id)}/versions`, parseWith(versionsSchema), { signal });
}
