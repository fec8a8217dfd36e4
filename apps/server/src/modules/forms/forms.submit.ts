import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Tables } from '../../kernel/db/tables.ts';
import { type TenantTx, withTenant } from '../../kernel/db/tenancy.ts';
import { AppError, type ErrorDetail } from '../../kernel/errors.ts';
import { defineJob } from '../../kernel/jobs/jobs.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import {
  type Contact,
  type CreateContactInput,
  createContact,
  createContactSchemaFor,
  findContactIdByEmail,
  getContact,
  isContactField,
  systemWriter,
  type UpdateContactInput,
  updateContact,
} from '../contacts/index.ts';
import { getUser } from '../identity/index.ts';
import { queueMail } from '../mail/index.ts';
import { recordActivity, systemActor } from '../timeline/index.ts';
import { emitWebhookEvent } from '../webhooks/index.ts';
import { cachedPublished, cachePublished, forgetPublishedForm } from './forms.cache.ts';
import { applyConsent, type ConsentPost, offeredNow, readConsentPost } from './forms.consent.ts';
import { formsError } from './forms.errors.ts';
import type { FormGuard } from './forms.guard.ts';
import type { FormIntake } from './forms.intake.ts';
import * as repo from './forms.repository.ts';
import {
  FORM_LANGUAGES,
  type FormDefinition,
  type FormField,
  type FormLanguage,
  type PublicDefinition,
  type SubmittedValue,
} from './forms.schema.ts';
import { parseDefinition, storedConsent, storedNewsletters } from './forms.service.ts';
import type { SpamReason } from './forms.tables.ts';
import {
  type RenderedReply,
  type ReplyContact,
  renderReply,
  replyVariables,
  TemplateError,
} from './forms.templates.ts';
import { notificationText } from './forms.texts.ts';

/**
 * The public side of forms: the definition a page renders; a submission, answered after the
 * spam guard, the value checks (the contacts module's own rules) and one short transaction that
 * stores it as `received` with its job; and the processing of received submissions in batches
 * (the job forms.process-submission): the contact found by email (case-insensitive, per tenant)
 * or created, the form's tags, a timeline entry, the automatic reply and staff notices (mail
 * module), the `form.submitted` webhook event, the submission marked processed — all in the
 * batch's transaction.
 *
 * An existing contact: fields named in the form's `overwrite` take the submitted value; every
 * other field is only filled when the contact has no value yet (a submission never blanks or
 * silently replaces what staff recorded). The email address never changes; tags are added, never
 * removed; the contact's language is set from the submission's when it has none.
 */

export type PublicForm = {
  tenantId: string;
  id: string;
  name: string;
  version: number;
  definition: FormDefinition;
};

export type SubmitDeps = {
  db: Kysely<Tables>;
  queue: JobQueue;
  guard: FormGuard;
  baseUrl: string;
  /** The public POSTs' group-committed write (forms.intake.ts). */
  intake: FormIntake;
};

/** At most this many automatic replies to one contact per day: the form must not mail-bomb anyone. */
export const AUTO_REPLIES_PER_CONTACT_PER_DAY = 5;

const notFound = () => formsError('FORMS_NOT_FOUND', 'There is no such form, or it is not published.');

/** Definitions by form × version: a version never changes (form_version is immutable). */
const definitions = new Map<string, FormDefinition>();
const MAX_CACHED_DEFINITIONS = 1000;

/** A published form by id, across tenants; FORMS_NOT_FOUND for anything else. */
export async function loadPublishedForm(db: Kysely<Tables>, formId: string): Promise<PublicForm> {
  const found = await repo.findPublishedForm(db, formId);
  if (!found) throw notFound();
  const key = `${formId}:${found.version}`;
  let definition = definitions.get(key);
  if (!definition) {
    const stored = await withTenant(db, found.tenantId, (tx) => repo.findVersion(tx, formId, found.version));
    if (!stored) throw notFound();
    definition = parseDefinition(stored);
    if (definitions.size >= MAX_CACHED_DEFINITIONS) definitions.clear();
    definitions.set(key, definition);
  }
  return { tenantId: found.tenantId, id: formId, name: found.name, version: found.version, definition };
}

/**
 * For the POST: the published form as seen within the last few seconds (no query on the hot
 * path). The submission's insert checks again that the form is published (`gone` → 404).
 */
export async function loadPublishedFormCached(db: Kysely<Tables>, formId: string): Promise<PublicForm> {
  const hit = cachedPublished<PublicForm>(formId);
  if (hit) return hit;
  const form = await loadPublishedForm(db, formId);
  cachePublished(formId, form);
  return form;
}

/** `?lang=` / `_lang` if the form offers it (de-CH counts as de), else the form's default. */
export function pickLanguage(definition: FormDefinition, requested: unknown): FormLanguage {
  const primary = typeof requested === 'string' ? requested.slice(0, 2).toLowerCase() : '';
  const offered = definition.languages as readonly string[];
  return (offered.includes(primary) ? primary : definition.languages[0]) as FormLanguage;
}

function inLanguage(
  texts: Partial<Record<FormLanguage, string>>,
  language: FormLanguage,
  definition: FormDefinition,
) {
  return texts[language] || definition.languages.map((l) => texts[l]).find(Boolean) || '';
}

const DEFAULT_SUCCESS: Record<FormLanguage, string> = {
  de: 'Vielen Dank! Wir haben Ihre Nachricht erhalten.',
  en: 'Thank you! We have received your message.',
  fr: 'Merci ! Nous avons bien reçu votre message.',
};
const DEFAULT_SUBMIT: Record<FormLanguage, string> = { de: 'Senden', en: 'Send', fr: 'Envoyer' };

export function successMessage(form: PublicForm, language: FormLanguage): string {
  return inLanguage(form.definition.successMessage, language, form.definition) || DEFAULT_SUCCESS[language];
}

/**
 * What a page or the embed renders, with a fresh token and challenge, and the consent questions
 * (current versions) and newsletters the form offers, read now from the consent module.
 */
export async function publicDefinition(
  db: Kysely<Tables>,
  form: PublicForm,
  requestedLanguage: unknown,
  guard: FormGuard,
): Promise<PublicDefinition> {
  const { definition } = form;
  const language = pickLanguage(definition, requestedLanguage);
  const offered = await offeredNow(db, form, language);
  return {
    id: form.id,
    version: form.version,
    language,
    languages: definition.languages,
    title: inLanguage(definition.title, language, definition) || form.name,
    fields: definition.fields.map((f) => ({
      name: f.name,
      type: f.type,
      label: inLanguage(f.label, language, definition) || f.name,
      required: f.required,
      options: (f.options ?? []).map((o) => ({
        value: o.value,
        label: inLanguage(o.label, language, definition) || o.value,
      })),
    })),
    consentQuestions: offered.consentQuestions,
    newsletters: offered.newsletters,
    submitLabel: inLanguage(definition.submitLabel, language, definition) || DEFAULT_SUBMIT[language],
    successMessage: successMessage(form, language),
    redirectUrl: definition.redirectUrl,
    token: guard.issueToken(form.id),
    challenge: await publicChallenge(guard, form.id),
  };
}

/** A fresh ALTCHA challenge for the form, as the public endpoints answer it. */
export async function publicChallenge(
  guard: FormGuard,
  formId: string,
): Promise<PublicDefinition['challenge']> {
  const challenge = await guard.issueChallenge(formId);
  return { ...challenge, parameters: { ...challenge.parameters } };
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

type RawValue = string | string[] | number | boolean | undefined | null | unknown;

const MAX_LENGTH: Record<string, number> = { textarea: 10_000, email: 320, tel: 50, date: 10 };
const TRUE = new Set(['on', 'true', '1', 'yes']);

function firstString(raw: RawValue): string {
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

/** One field's value from the post, typed; problems are added under the field's name. */
const fieldOptions = new WeakMap<FormField, Set<string>>();

/** The option values of a select field (cached per definition's field). */
function optionsOf(field: FormField): Set<string> {
  let options = fieldOptions.get(field);
  if (!options) {
    options = new Set((field.options ?? []).map((o) => o.value));
    fieldOptions.set(field, options);
  }
  return options;
}

/** Records a field's error; null stands for the value. (No closure per field: this runs per post.) */
function fail(errors: ErrorDetail[], field: FormField, message: string): null {
  errors.push({ path: field.name, message });
  return null;
}

function readField(field: FormField, raw: RawValue, errors: ErrorDetail[]): SubmittedValue {
  switch (field.type) {
    case 'checkbox': {
      const on = raw === true || TRUE.has(firstString(raw).toLowerCase());
      if (field.required && !on) return fail(errors, field, 'is required');
      return on;
    }
    case 'multiselect': {
      const values = (Array.isArray(raw) ? raw : raw === undefined || raw === null || raw === '' ? [] : [raw])
        .map((v) => (typeof v === 'string' ? v.trim() : ''))
        .filter(Boolean);
      const options = optionsOf(field);
      if (values.length > options.size) return fail(errors, field, 'has too many values');
      if (values.some((v) => !options.has(v))) return fail(errors, field, 'must be among the options');
      if (field.required && values.length === 0) return fail(errors, field, 'is required');
      return [...new Set(values)];
    }
    default: {
      const value = firstString(raw);
      if (value === '') return field.required ? fail(errors, field, 'is required') : null;
      if (value.length > (MAX_LENGTH[field.type] ?? 500)) {
        return fail(errors, field, `must be at most ${MAX_LENGTH[field.type] ?? 500} characters`);
      }
      if (field.type === 'select' && !optionsOf(field).has(value))
        return fail(errors, field, 'must be one of the options');
      if (field.type === 'number') {
        const n = Number(value.replace(',', '.'));
        return Number.isFinite(n) ? n : fail(errors, field, 'must be a number');
      }
      if (field.type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value))
        return fail(errors, field, 'must be a date (YYYY-MM-DD)');
      return value;
    }
  }
}

type Mapped = {
  data: Record<string, SubmittedValue>;
  contact: CreateContactInput;
  /** Contact field or `customFields.<key>` → form field name (to name problems by field). */
  pathToField: Map<string, string>;
  emailField: string;
};

/**
 * Reads every field, then checks the mapped contact values with the contacts module's schema.
 * `found`: problems found before (the consent answers), reported in the same 400.
 */
/** Where a form's fields go, worked out once per definition (mapValues runs on every post). */
type MappingPlan = {
  fields: { field: FormField; contact: string | undefined; custom: string | undefined }[];
  /** Contact (or `customFields.<key>`) path → form field name, for errors. */
  pathToField: Map<string, string>;
  emailField: string;
  schema: z.ZodType<CreateContactInput>;
};

const mappingPlans = new WeakMap<FormDefinition, MappingPlan>();

function mappingPlan(definition: FormDefinition): MappingPlan {
  const known = mappingPlans.get(definition);
  if (known) return known;
  const pathToField = new Map<string, string>();
  let emailField = '';
  const fields = definition.fields.map((field) => {
    if (field.target.startsWith('contact.')) {
      const name = field.target.slice('contact.'.length);
      pathToField.set(name, field.name);
      if (name === 'email') emailField = field.name;
      return { field, contact: name, custom: undefined };
    }
    if (field.target.startsWith('custom.')) {
      const key = field.target.slice('custom.'.length);
      pathToField.set(`customFields.${key}`, field.name);
      return { field, contact: undefined, custom: key };
    }
    return { field, contact: undefined, custom: undefined };
  });
  // The identify rule (a name, email, …) is about the email here: the form requires it.
  pathToField.set('lastName', pathToField.get('lastName') ?? emailField);
  const schema = createContactSchemaFor(
    fields.flatMap(({ contact }) => (contact !== undefined && isContactField(contact) ? [contact] : [])),
  );
  const plan = { fields, pathToField, emailField, schema };
  mappingPlans.set(definition, plan);
  return plan;
}

function mapValues(
  form: PublicForm,
  body: Record<string, unknown>,
  language: FormLanguage,
  found: readonly ErrorDetail[] = [],
): Mapped {
  const plan = mappingPlan(form.definition);
  const errors: ErrorDetail[] = [...found];
  const data: Record<string, SubmittedValue> = {};
  const customFields: Record<string, unknown> = {};
  const contactBody: Record<string, unknown> = { customFields, tags: form.definition.tags, language };
  for (const { field, contact, custom } of plan.fields) {
    const value = readField(field, body[field.name], errors);
    data[field.name] = value;
    if (value === null || value === '') continue;
    if (contact !== undefined) contactBody[contact] = String(value);
    else if (custom !== undefined) customFields[custom] = value;
  }
  if (errors.length > 0) throw invalid(errors);
  const parsed = plan.schema.safeParse(contactBody);
  if (!parsed.success) {
    throw invalid(
      parsed.error.issues
        .map((i) => ({
          path: fieldOf(plan.pathToField, i.path.map(String).join('.'), plan.emailField),
          message: i.message,
        }))
        .concat(found),
    );
  }
  return { data, contact: parsed.data, pathToField: plan.pathToField, emailField: plan.emailField };
}

function fieldOf(pathToField: Map<string, string>, path: string, fallback: string): string {
  return pathToField.get(path) ?? pathToField.get(path.split('.').slice(0, 2).join('.')) ?? fallback;
}

function invalid(errors: ErrorDetail[]): AppError {
  return formsError('FORMS_INVALID_SUBMISSION', 'Some fields are not valid; see errors.', errors);
}

// ---------------------------------------------------------------------------------------------
// Submission
// ---------------------------------------------------------------------------------------------

export type SubmitOutcome = { kind: 'stored'; submissionId: string } | { kind: 'spam'; reason: SpamReason };

export type SubmitInput = {
  body: Record<string, unknown>;
  /** A plain HTML form post (urlencoded): the no-JS path without the proof of work is open to it. */
  formPost: boolean;
  language: FormLanguage;
};

/**
 * A public submission, only what must happen before the answer: the spam guard, the values by
 * the contacts module's rules (400 naming the form's field names), then the write — the
 * submission (status `received`, with the replay record) and its processing job, group-committed
 * with the other posts of the moment (forms.intake.ts). The contact, reply, notices and webhook follow in `processSubmissions`.
 */
/** Counts a rejected post (nothing of it is stored). */
async function countSpam(deps: SubmitDeps, form: PublicForm, reason: SpamReason): Promise<SubmitOutcome> {
  await withTenant(deps.db, form.tenantId, (tx) => repo.countSpam(tx, form.tenantId, form.id, reason));
  return { kind: 'spam', reason };
}

export async function submitForm(
  deps: SubmitDeps,
  form: PublicForm,
  input: SubmitInput,
): Promise<SubmitOutcome> {
  const { body } = input;
  // 1. Bots: the honeypot, the signed render time, the proof of work.
  if (typeof body._hp === 'string' ? body._hp !== '' : body._hp !== undefined)
    return countSpam(deps, form, 'honeypot');
  const token = deps.guard.checkToken(form.id, body._token);
  if (!token.ok) return countSpam(deps, form, token.reason);
  let challenge: { signatureHash: string; expiresAt: Date } | undefined;
  if (body.altcha === undefined || body.altcha === '') {
    if (!input.formPost || token.ageMs < deps.guard.settings.noJsMinFillSeconds * 1000)
      return countSpam(deps, form, 'challenge');
  } else {
    const checked = await deps.guard.checkChallenge(form.id, body.altcha);
    if (!checked.ok) return countSpam(deps, form, 'challenge');
    challenge = checked;
  }
  // 2. The consent answers and newsletters against what the form offers (read only for a form
  // that has them, at most every few seconds), then the values by the contacts module's rules.
  const consentErrors: ErrorDetail[] = [];
  const consent: ConsentPost = await readConsentPost(deps.db, form, body, input.language, consentErrors);
  const mapped = mapValues(form, body, input.language, consentErrors);
  // 3. The write: the submission (+ replay record) and its processing job, committed with the
  // other posts of the moment (forms.intake.ts) before the answer.
  const submissionId = randomUUID();
  const result = await deps.intake.write({
    id: submissionId,
    formId: form.id,
    tenantId: form.tenantId,
    version: form.version,
    language: input.language,
    data: JSON.stringify(mapped.data),
    consent: JSON.stringify(consent.answers),
    newsletterIds: JSON.stringify(consent.newsletterIds),
    challenge,
  });
  if (result === 'gone') {
    forgetPublishedForm(form.id);
    throw notFound();
  }
  if (result === 'replay') return countSpam(deps, form, 'replay');
  return { kind: 'stored', submissionId };
}

// ---------------------------------------------------------------------------------------------
// Processing (the job forms.process-submission)
// ---------------------------------------------------------------------------------------------

export const PROCESS_JOB_NAME = 'forms.process-submission';
export const PROCESS_JOB_VERSION = 1;
export const processJobSchema = z
  .object({
    submissionId: z.uuid(),
    /** The server's public URL, for the link to the contact in staff notices. */
    baseUrl: z.string().max(500),
  })
  .strict();
export type ProcessJobData = z.infer<typeof processJobSchema>;

/** The job as the public POST sends it; the worker registers the same name with its handler (forms.jobs.ts). */
export const processSubmissionJobRef = defineJob({
  name: PROCESS_JOB_NAME,
  version: PROCESS_JOB_VERSION,
  scope: 'tenant',
  schema: processJobSchema,
  handler: async () => {
    throw new Error('forms.process-submission runs with the handler of forms.jobs.ts');
  },
});

/** At most this many received submissions of a tenant are processed in one transaction. */
export const INTAKE_BATCH_SIZE = 100;
/** From this attempt on, an unexpected error marks the one submission failed instead of retrying the batch. */
const GIVE_UP_ATTEMPT = 3;

export type ProcessOptions = {
  queue: JobQueue;
  baseUrl: string;
  /** The job's attempt (0 first). */
  attempt?: number;
  batchSize?: number;
  /** Called after each submission of the batch (tests use it to crash mid-batch). */
  afterEach?: (done: number) => void | Promise<void>;
};

export type ProcessResult = { processed: number; failed: number };

/**
 * Processes `submissionId` and up to `batchSize - 1` other received submissions of the tenant in
 * the caller's tenant transaction, serialised per tenant (advisory lock: the same email in two
 * batches cannot make two contacts); when `submissionId` is no longer received, up to
 * `batchSize` of the oldest received ones. Each submission runs in a savepoint: a value the contacts
 * module refuses (a unique custom-field value taken, …) marks that one `failed` with the reason;
 * any other error rolls back the whole batch and the job retries (from attempt 3 on it marks the
 * one submission failed, so a poisoned row cannot hold the tenant's intake).
 */
export async function processSubmissions(
  tx: TenantTx,
  tenantId: string,
  submissionId: string,
  options: ProcessOptions,
): Promise<ProcessResult> {
  const result: ProcessResult = { processed: 0, failed: 0 };
  await repo.lockIntake(tx, tenantId);
  // `submissionId` first when it is still received; else (an earlier job took it) the oldest
  // received ones: one job is sent per `batchSize` stored submissions (forms.intake.ts), so the
  // jobs cover every received submission only if each takes a full batch while there is one.
  const claimed = await repo.claimReceived(tx, submissionId, options.batchSize ?? INTAKE_BATCH_SIZE);
  const names = await repo.formNames(tx, [...new Set(claimed.map((s) => s.formId))]);
  const recipients = new Map<string, Recipient[]>();
  let done = 0;
  for (const submission of claimed) {
    const name = names.get(submission.formId) ?? '';
    const definition = await definitionOf(tx, submission.formId, submission.formVersion);
    const form: PublicForm = {
      tenantId,
      id: submission.formId,
      name,
      version: submission.formVersion,
      definition,
    };
    const formKey = `${form.id}:${form.version}`;
    let staff = recipients.get(formKey);
    if (!staff) {
      staff = await staffToNotify(tx, form);
      recipients.set(formKey, staff);
    }
    await sql`savepoint form_submission`.execute(tx);
    try {
      await processOne(tx, options, form, submission, staff);
      await sql`release savepoint form_submission`.execute(tx);
      result.processed += 1;
    } catch (error) {
      const reason = failureOf(error, options.attempt ?? 0);
      if (reason === null) throw error;
      await sql`rollback to savepoint form_submission`.execute(tx);
      await repo.markFailed(tx, submission.id, reason);
      result.failed += 1;
    }
    done += 1;
    await options.afterEach?.(done);
  }
  return result;
}

/** The reason a submission failed, or null when the batch should roll back and retry. */
function failureOf(error: unknown, attempt: number): string | null {
  if (error instanceof AppError && (error.kind === 'bad_request' || error.kind === 'conflict')) {
    const details = (error.details ?? []).map((d) => `${d.path}: ${d.message}`).join('; ');
    return details || error.message;
  }
  if (attempt >= GIVE_UP_ATTEMPT) return 'Could not be processed (internal error).';
  return null;
}

async function definitionOf(tx: TenantTx, formId: string, version: number): Promise<FormDefinition> {
  const key = `${formId}:${version}`;
  let definition = definitions.get(key);
  if (!definition) {
    const stored = await repo.findVersion(tx, formId, version);
    if (!stored) throw new Error('a submission names a form version that does not exist');
    definition = parseDefinition(stored);
    if (definitions.size >= MAX_CACHED_DEFINITIONS) definitions.clear();
    definitions.set(key, definition);
  }
  return definition;
}

async function processOne(
  tx: TenantTx,
  options: ProcessOptions,
  form: PublicForm,
  submission: repo.ClaimedSubmission,
  recipients: Recipient[],
): Promise<void> {
  const { tenantId, definition } = form;
  const { language } = submission;
  const submissionId = submission.id;
  // The values were checked at the POST with the same form version; checked again (they map to the contact).
  const mapped = mapValues(form, JSON.parse(submission.data) as Record<string, unknown>, language);
  const email = mapped.contact.email as string;
  const writer = systemWriter(tenantId);
  const existingId = await findContactIdByEmail(tx, email);
  const existing = existingId ? await getContact(tx, existingId) : undefined;
  const patch = existing ? patchFor(existing, mapped, definition) : undefined;
  const reply = await prepareReply(
    tx,
    form,
    existing ? { ...existing, ...patch } : mapped.contact,
    language,
    existingId,
  );
  let contact: Contact;
  try {
    contact =
      existing && patch
        ? await updateContact(tx, writer, existing.id, patch)
        : await createContact(tx, writer, mapped.contact);
  } catch (error) {
    throw asSubmissionError(error, mapped);
  }
  const consent = storedConsent.parse(JSON.parse(submission.consent));
  const newsletterIds = storedNewsletters.parse(JSON.parse(submission.newsletterIds));
  await applyConsent(tx, options, {
    contactId: contact.id,
    submissionId,
    language,
    answers: consent,
    newsletterIds,
  });
  const autoReplyId = reply ? await queueAutoReply(tx, options.queue, contact, reply, submissionId) : null;
  await repo.markProcessed(tx, submissionId, { contactId: contact.id, autoReplyMessageId: autoReplyId });
  await recordActivity(tx, systemActor(tenantId), {
    contactId: contact.id,
    kind: 'form_submission',
    source: 'form',
    subject: form.name.slice(0, 300),
    body: summary(form, mapped.data, language).slice(0, 20_000) || null,
    ref: { type: 'form_submission', id: submissionId },
  });
  await notifyStaff(tx, options, form, recipients, contact, mapped.data, submissionId);
  await emitWebhookEvent(tx, options.queue, {
    type: 'form.submitted',
    key: submissionId,
    data: {
      submissionId,
      formId: form.id,
      formVersion: form.version,
      formName: form.name,
      contactId: contact.id,
      contactCreated: !existingId,
      language,
      values: mapped.data,
      consent,
      newsletterIds,
    },
  });
}

/** The change a submission makes to an existing contact (see the rule at the top). */
function patchFor(before: Contact, mapped: Mapped, definition: FormDefinition): UpdateContactInput {
  const overwrite = new Set(definition.overwrite);
  const patch: Record<string, unknown> = {};
  const record = before as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(mapped.contact)) {
    if (key === 'tags' || key === 'customFields' || key === 'email' || value === null || value === undefined)
      continue;
    const empty = record[key] === null || record[key] === undefined || record[key] === '';
    if (key === 'language' ? empty : empty || overwrite.has(`contact.${key}`)) patch[key] = value;
  }
  const custom: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(mapped.contact.customFields ?? {})) {
    if (value === null) continue;
    const current = before.customFields[key];
    if (current === undefined || current === null || current === '' || overwrite.has(`custom.${key}`)) {
      custom[key] = value;
    }
  }
  if (Object.keys(custom).length > 0) patch.customFields = custom;
  const have = new Set(before.tags.map((t) => t.toLowerCase()));
  const missing = definition.tags.filter((t) => !have.has(t.toLowerCase()));
  if (missing.length > 0) patch.tags = [...before.tags, ...missing];
  return patch as UpdateContactInput;
}

/** A contacts error (a rule, a taken unique value) names contact fields; the visitor knows field names. */
function asSubmissionError(error: unknown, mapped: Mapped): unknown {
  if (!(error instanceof AppError) || !error.details?.length) return error;
  if (error.kind !== 'bad_request' && error.kind !== 'conflict') return error;
  return invalid(
    error.details.map((d) => ({
      path: fieldOf(mapped.pathToField, d.path, mapped.emailField),
      message: d.message,
    })),
  );
}

type PreparedReply = RenderedReply & { to: string; name: string | null };

/** The automatic reply for what the contact will look like, or null (none, limit reached, a template failed). */
async function prepareReply(
  tx: TenantTx,
  form: PublicForm,
  contact: ReplyContact,
  submissionLanguage: FormLanguage,
  existingId: string | undefined,
): Promise<PreparedReply | null> {
  const { autoReply } = form.definition;
  if (!autoReply.enabled || !contact.email) return null;
  if (existingId) {
    const since = new Date(Date.now() - 24 * 3600_000);
    if ((await repo.autoRepliesSince(tx, existingId, since)) >= AUTO_REPLIES_PER_CONTACT_PER_DAY) return null;
  }
  const language = pickLanguage(form.definition, contact.language ?? submissionLanguage);
  let rendered: RenderedReply;
  try {
    rendered = await renderReply(form.definition, language, replyVariables(contact, form.name));
  } catch (error) {
    // The enquiry is kept without a reply rather than lost (templates were checked on save).
    if (error instanceof TemplateError) return null;
    throw error;
  }
  if (!rendered.subject || !rendered.text.trim()) return null;
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
  return { ...rendered, to: contact.email, name: name || null };
}

async function queueAutoReply(
  tx: TenantTx,
  queue: JobQueue,
  contact: Contact,
  reply: PreparedReply,
  submissionId: string,
): Promise<string> {
  const { id } = await queueMail(tx, queue, {
    key: `form-auto-reply:${submissionId}`,
    kind: 'auto-reply',
    to: { address: reply.to, name: reply.name },
    subject: reply.subject,
    text: reply.text,
    html: reply.html,
    headers: { 'Auto-Submitted': 'auto-generated' },
    contactId: contact.id,
  });
  return id;
}

type Recipient = { userId: string; email: string; displayName: string | null };

/** The staff to notify that still exist (read before the contact write, outside its lock). */
async function staffToNotify(tx: TenantTx, form: PublicForm): Promise<Recipient[]> {
  const recipients: Recipient[] = [];
  for (const userId of form.definition.notifyUserIds) {
    try {
      const user = await getUser(tx, userId);
      recipients.push({ userId, email: user.email, displayName: user.displayName });
    } catch (error) {
      if (error instanceof AppError && error.kind === 'not_found') continue; // removed since
      throw error;
    }
  }
  return recipients;
}

async function notifyStaff(
  tx: TenantTx,
  deps: { queue: JobQueue; baseUrl: string },
  form: PublicForm,
  recipients: Recipient[],
  contact: Contact,
  data: Record<string, SubmittedValue>,
  submissionId: string,
): Promise<void> {
  if (recipients.length === 0) return;
  const language = form.definition.languages[0] as FormLanguage;
  const texts = notificationText(language, {
    formName: form.name,
    contactUrl: `${deps.baseUrl}/contacts/${contact.id}`,
    summary: summary(form, data, language),
  });
  for (const user of recipients) {
    await queueMail(tx, deps.queue, {
      key: `form-notify:${submissionId}:${user.userId}`,
      kind: 'notification',
      to: { address: user.email, name: user.displayName },
      subject: texts.subject,
      text: texts.text,
      headers: { 'Auto-Submitted': 'auto-generated' },
      contactId: contact.id,
    });
  }
}

/** "Label: value" lines in the form's words, for staff (timeline, notices). */
function summary(form: PublicForm, data: Record<string, SubmittedValue>, language: FormLanguage): string {
  return form.definition.fields
    .flatMap((f) => {
      const value = data[f.name];
      if (
        value === null ||
        value === undefined ||
        value === '' ||
        (Array.isArray(value) && value.length === 0)
      ) {
        return [];
      }
      const shown = Array.isArray(value)
        ? value.join(', ')
        : typeof value === 'boolean'
          ? value
            ? '✓'
            : '–'
          : String(value);
      return [`${inLanguage(f.label, language, form.definition) || f.name}: ${shown}`];
    })
    .join('\n');
}

export const FORM_LANGUAGE_SET: ReadonlySet<string> = new Set(FORM_LANGUAGES);
