import type { Kysely } from 'kysely';
import type { Tables } from '../../kernel/db/tables.ts';
import { type TenantTx, withTenant } from '../../kernel/db/tenancy.ts';
import { AppError, type ErrorDetail } from '../../kernel/errors.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import {
  loadConsentQuestions,
  loadNewsletters,
  recordConsentAnswers,
  requestSubscription,
} from '../consent/index.ts';
import { formsError } from './forms.errors.ts';
import type { ConsentAnswer, FormDefinition, FormLanguage, PublicDefinition } from './forms.schema.ts';

/**
 * A form's consent questions and newsletters (issue 6), owned by the consent module and reached
 * through its index only (`modules/consent/index.ts`):
 * - shown: the current version of each question (texts in the visitor's language), a radio group
 *   each with nothing pre-selected, and a checkbox per newsletter, never pre-ticked;
 * - posted: `consent.<questionId>=<optionKey>` and `newsletter.<newsletterId>=on` (urlencoded),
 *   JSON `{ consent: { [id]: key }, newsletters: [id] }`; the version shown comes back as
 *   `_cv.<questionId>` / JSON `consentVersions: { [id]: n }` — an answer to a version that is no
 *   longer current is refused (`consent.<id>.version`: read the new wording and answer again), so
 *   the version stored is always the one the person saw. Without it (an integration that does not
 *   send it), the current version counts as shown;
 * - processed: the answers recorded with the version shown (source `form`, the submission as
 *   reference, by the contact) and double opt-in started for each ticked newsletter.
 * Questions or newsletters archived since the form was saved are no longer shown or asked for.
 */

export type OfferedQuestion = PublicDefinition['consentQuestions'][number];
export type OfferedNewsletter = PublicDefinition['newsletters'][number];
export type Offered = { consentQuestions: OfferedQuestion[]; newsletters: OfferedNewsletter[] };

const NONE: Offered = { consentQuestions: [], newsletters: [] };

export function hasConsent(definition: FormDefinition): boolean {
  return definition.consentQuestionIds.length > 0 || definition.newsletterIds.length > 0;
}

/** What the form offers now, in `language`, in the form's order. */
export async function loadOffered(
  tx: TenantTx,
  definition: FormDefinition,
  language: FormLanguage,
): Promise<Offered> {
  if (!hasConsent(definition)) return NONE;
  const required = new Set(definition.requiredConsentQuestionIds);
  const questions = definition.consentQuestionIds.length
    ? await loadConsentQuestions(tx, definition.consentQuestionIds, language)
    : [];
  const newsletters = definition.newsletterIds.length
    ? await loadNewsletters(tx, definition.newsletterIds, language)
    : [];
  const questionById = new Map(questions.map((q) => [q.id, q]));
  const newsletterById = new Map(newsletters.map((n) => [n.id, n]));
  return {
    consentQuestions: definition.consentQuestionIds.flatMap((id) => {
      const q = questionById.get(id);
      if (!q) return [];
      return [
        {
          id: q.id,
          version: q.version,
          label: q.label,
          help: q.help ?? null,
          required: required.has(id),
          options: q.options.map((o) => ({ key: o.key, label: o.label, polarity: o.polarity })),
        },
      ];
    }),
    newsletters: definition.newsletterIds.flatMap((id) => {
      const n = newsletterById.get(id);
      return n ? [{ id: n.id, title: n.title, description: n.description ?? null }] : [];
    }),
  };
}

/** For a page or the embed: read now (the current versions), in the tenant. */
export async function offeredNow(
  db: Kysely<Tables>,
  form: { tenantId: string; definition: FormDefinition },
  language: FormLanguage,
): Promise<Offered> {
  if (!hasConsent(form.definition)) return NONE;
  return withTenant(db, form.tenantId, (tx) => loadOffered(tx, form.definition, language));
}

// ---------------------------------------------------------------------------------------------
// The POST: what a submission answered, checked against what is offered
// ---------------------------------------------------------------------------------------------

/** The POST checks against what the form offered within the last few seconds (no read per post). */
const OFFERED_TTL_MS = 5_000;
const MAX_CACHED = 1000;
const cache = new Map<string, { offered: Offered; until: number }>();

async function offeredCached(
  db: Kysely<Tables>,
  form: { id: string; version: number; tenantId: string; definition: FormDefinition },
  language: FormLanguage,
  fresh: boolean,
): Promise<Offered> {
  const key = `${form.id}:${form.version}:${language}`;
  const hit = cache.get(key);
  if (!fresh && hit && hit.until > Date.now()) return hit.offered;
  const offered = await offeredNow(db, form, language);
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, { offered, until: Date.now() + OFFERED_TTL_MS });
  return offered;
}

export type ConsentPost = { answers: ConsentAnswer[]; newsletterIds: string[] };

const TRUE = new Set(['on', 'true', '1', 'yes']);

function firstString(raw: unknown): string {
  const v = Array.isArray(raw) ? raw[0] : raw;
  return typeof v === 'string' ? v.trim() : '';
}

function record(raw: unknown): Record<string, unknown> | undefined {
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
}

/** The version a post says it was shown, or undefined. */
function postedVersion(body: Record<string, unknown>, id: string): number | undefined {
  const raw = body[`_cv.${id}`] ?? record(body.consentVersions)?.[id];
  const value = typeof raw === 'number' ? raw : Number(firstString(raw));
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * The consent answers and ticked newsletters of a post, checked against what the form offers;
 * problems go to `errors` (`consent.<id>` an unknown option or a required question unanswered,
 * `consent.<id>.version` an answer to a version no longer current). Reads only when the form has
 * questions or newsletters.
 */
export async function readConsentPost(
  db: Kysely<Tables>,
  form: { id: string; version: number; tenantId: string; definition: FormDefinition },
  body: Record<string, unknown>,
  language: FormLanguage,
  errors: ErrorDetail[],
): Promise<ConsentPost> {
  const result: ConsentPost = { answers: [], newsletterIds: [] };
  const { definition } = form;
  if (!hasConsent(definition)) return result;
  const jsonConsent = body.consent === undefined ? {} : record(body.consent);
  if (!jsonConsent) errors.push({ path: 'consent', message: 'must be an object: question id → option key' });
  const jsonNewsletters = body.newsletters === undefined ? [] : body.newsletters;
  if (!Array.isArray(jsonNewsletters))
    errors.push({ path: 'newsletters', message: 'must be an array of newsletter ids' });
  const ticked = new Set(
    Array.isArray(jsonNewsletters) ? jsonNewsletters.filter((v) => typeof v === 'string') : [],
  );

  let offered = await offeredCached(db, form, language, false);
  const answered = definition.consentQuestionIds.flatMap((id) => {
    const key = firstString(body[`consent.${id}`] ?? jsonConsent?.[id]);
    return key ? [{ id, key, version: postedVersion(body, id) }] : [];
  });
  // A page shown after the last read: read again before calling its version outdated.
  const known = new Map(offered.consentQuestions.map((q) => [q.id, q.version]));
  if (answered.some((a) => a.version !== undefined && a.version !== known.get(a.id))) {
    offered = await offeredCached(db, form, language, true);
  }
  // Answers to questions no longer offered (archived since the page was shown) are not kept.
  const answers = new Map(answered.map((a) => [a.id, a]));
  for (const question of offered.consentQuestions) {
    const answer = answers.get(question.id);
    const path = `consent.${question.id}`;
    if (!answer) {
      if (question.required) errors.push({ path, message: 'is required' });
      continue;
    }
    if (answer.version !== undefined && answer.version !== question.version) {
      errors.push({
        path: `${path}.version`,
        message: 'the question has changed since the form was shown; read it again and answer',
      });
      continue;
    }
    if (!question.options.some((o) => o.key === answer.key)) {
      errors.push({ path, message: 'must be one of the options' });
      continue;
    }
    result.answers.push({ questionId: question.id, version: question.version, optionKey: answer.key });
  }
  for (const newsletter of offered.newsletters) {
    const raw = body[`newsletter.${newsletter.id}`];
    const on = raw === true || TRUE.has(firstString(raw).toLowerCase()) || ticked.has(newsletter.id);
    if (on) result.newsletterIds.push(newsletter.id);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Processing (in the batch's transaction, after the contact is written)
// ---------------------------------------------------------------------------------------------

/**
 * Records the answers (one consent event each, with the version shown) and starts double opt-in
 * for each ticked newsletter; idempotent per submission (the batch is one transaction, and the
 * consent module keys a subscription request by its source reference). A refusal by the consent
 * module (a question or newsletter gone meanwhile) fails this submission with the reason.
 */
export async function applyConsent(
  tx: TenantTx,
  deps: { queue: Pick<JobQueue, 'send'>; baseUrl: string },
  input: {
    contactId: string;
    submissionId: string;
    language: FormLanguage;
    answers: ConsentAnswer[];
    newsletterIds: string[];
  },
): Promise<void> {
  const { contactId, submissionId, language } = input;
  if (input.answers.length > 0) {
    await refusalAs('consent', async () => {
      await recordConsentAnswers(tx, deps.queue, {
        contactId,
        answers: input.answers.map((a) => ({
          questionId: a.questionId,
          version: a.version,
          optionKey: a.optionKey,
        })),
        source: 'form',
        sourceRef: submissionId,
        byContact: true,
        language,
      });
    });
  }
  for (const newsletterId of input.newsletterIds) {
    await refusalAs(`newsletter.${newsletterId}`, async () => {
      await requestSubscription(tx, deps.queue, {
        contactId,
        newsletterId,
        source: 'form',
        sourceRef: submissionId,
        language,
        baseUrl: deps.baseUrl,
      });
    });
  }
}

const REFUSALS = new Set(['bad_request', 'conflict', 'not_found']);

async function refusalAs(path: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof AppError) || !REFUSALS.has(error.kind)) throw error;
    const details = error.details?.length
      ? error.details.map((d) => ({ path: `${path}${d.path ? `.${d.path}` : ''}`, message: d.message }))
      : [{ path, message: error.message }];
    throw formsError('FORMS_INVALID_SUBMISSION', 'The consent module refused the submission.', details);
  }
}
