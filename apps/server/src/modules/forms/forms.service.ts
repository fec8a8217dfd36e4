import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import { AppError, type ErrorDetail } from '../../kernel/errors.ts';
import type { Principal } from '../../kernel/http/auth.ts';
import { decodeCursor, toPage } from '../../kernel/http/pagination.ts';
import { auditBy } from '../audit/index.ts';
import { assertConsentQuestions, assertNewsletters } from '../consent/index.ts';
import {
  type CustomFieldDefinition,
  contactCustomFields,
  IMPORTABLE_CONTACT_FIELDS,
} from '../contacts/index.ts';
import { getUser } from '../identity/index.ts';
import { forgetPublishedForm } from './forms.cache.ts';
import { formsError } from './forms.errors.ts';
import * as repo from './forms.repository.ts';
import {
  type CreateFormBody,
  consentAnswerSchema,
  type Form,
  type FormDefinition,
  type FormFieldType,
  formDefinitionSchema,
  type ListSubmissionsQuery,
  RESERVED_FIELD_NAMES,
  type Submission,
  submittedValueSchema,
  type UpdateFormBody,
} from './forms.schema.ts';
import { checkTemplates } from './forms.templates.ts';

/**
 * Use cases of the form builder (admin). Each runs in the caller's tenant transaction and writes
 * its audit entry there: create, update and delete of forms are settings (before/after: name,
 * status, version — the definition is kept in form_version, so the entry names the version).
 */

/** Contact fields a form field may fill (`contact.<name>`). */
export const CONTACT_TARGETS: ReadonlySet<string> = new Set(IMPORTABLE_CONTACT_FIELDS);

/** Form field types that fit each contact field (by default: text-like types). */
const CONTACT_TARGET_TYPES: Record<string, readonly FormFieldType[]> = {
  email: ['email'],
  phone: ['tel', 'text'],
  fax: ['tel', 'text'],
  mobile: ['tel', 'text'],
  birthday: ['date', 'text'],
  notes: ['textarea', 'text'],
};
const TEXT_TYPES: readonly FormFieldType[] = ['text', 'textarea', 'select'];

/** Form field types that fit each type of custom field. */
const CUSTOM_TARGET_TYPES: Record<CustomFieldDefinition['type'], readonly FormFieldType[]> = {
  text: ['text', 'textarea', 'select', 'tel'],
  long_text: ['textarea', 'text'],
  number: ['number', 'text'],
  decimal: ['number', 'text'],
  date: ['date', 'text'],
  boolean: ['checkbox'],
  single_select: ['select'],
  multi_select: ['multiselect'],
  url: ['text'],
  email: ['email', 'text'],
};

export function toForm(row: repo.FormRow): Form {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    version: row.version,
    definition: parseDefinition(row.definition),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A stored definition, parsed at the edge (the schema fills defaults a later version added). */
export function parseDefinition(stored: string): FormDefinition {
  return formDefinitionSchema.parse(JSON.parse(stored));
}

/**
 * The rules beyond the shape: names unique, targets exist (standard contact fields, the tenant's
 * custom fields of contacts) and fit the field type, exactly one field targets contact.email and
 * it is required, selects have options, `overwrite` names targets of the form, notified users
 * exist, the templates parse.
 */
export async function checkDefinition(tx: TenantTx, definition: FormDefinition): Promise<void> {
  const errors: ErrorDetail[] = [];
  const custom = new Map((await contactCustomFields(tx)).map((d) => [d.key, d]));
  const names = new Set<string>();
  const targets = new Set<string>();
  let emailFields = 0;
  definition.fields.forEach((field, i) => {
    const path = `definition.fields.${i}`;
    if (names.has(field.name)) errors.push({ path: `${path}.name`, message: 'is used by another field' });
    if (RESERVED_FIELD_NAMES.has(field.name)) errors.push({ path: `${path}.name`, message: 'is reserved' });
    names.add(field.name);
    if (field.target !== 'none') {
      if (targets.has(field.target))
        errors.push({ path: `${path}.target`, message: 'is filled by another field' });
      targets.add(field.target);
    }
    if (field.target.startsWith('contact.')) {
      const name = field.target.slice('contact.'.length);
      if (!CONTACT_TARGETS.has(name)) {
        errors.push({ path: `${path}.target`, message: 'is not a contact field' });
      } else if (!(CONTACT_TARGET_TYPES[name] ?? TEXT_TYPES).includes(field.type)) {
        errors.push({
          path: `${path}.type`,
          message: `must be ${(CONTACT_TARGET_TYPES[name] ?? TEXT_TYPES).join(' or ')} for ${field.target}`,
        });
      }
      if (name === 'email') {
        emailFields += 1;
        if (!field.required)
          errors.push({ path: `${path}.required`, message: 'the email field must be required' });
      }
    } else if (field.target.startsWith('custom.')) {
      const def = custom.get(field.target.slice('custom.'.length));
      if (!def) {
        errors.push({ path: `${path}.target`, message: 'is not a custom field of contacts' });
      } else {
        const fits = CUSTOM_TARGET_TYPES[def.type];
        if (!fits.includes(field.type)) {
          errors.push({ path: `${path}.type`, message: `must be ${fits.join(' or ')} for ${field.target}` });
        }
        const allowed = new Set(def.options.map((o) => o.value));
        (field.options ?? []).forEach((o, j) => {
          if (allowed.size > 0 && !allowed.has(o.value)) {
            errors.push({
              path: `${path}.options.${j}.value`,
              message: `is not an option of ${field.target}`,
            });
          }
        });
      }
    }
    const needsOptions = field.type === 'select' || field.type === 'multiselect';
    if (needsOptions && !field.options?.length) {
      errors.push({ path: `${path}.options`, message: 'a select needs options' });
    }
    if (!needsOptions && field.options?.length && !field.target.startsWith('custom.')) {
      errors.push({ path: `${path}.options`, message: 'only selects have options' });
    }
  });
  if (emailFields !== 1) {
    errors.push({ path: 'definition.fields', message: 'exactly one field must target contact.email' });
  }
  definition.overwrite.forEach((target, i) => {
    if (!targets.has(target) || target === 'contact.email') {
      errors.push({
        path: `definition.overwrite.${i}`,
        message: 'must be a target of a field of the form (not the email)',
      });
    }
  });
  for (const [i, id] of definition.notifyUserIds.entries()) {
    try {
      await getUser(tx, id);
    } catch (error) {
      if (!(error instanceof AppError) || error.kind !== 'not_found') throw error;
      errors.push({ path: `definition.notifyUserIds.${i}`, message: 'there is no such user' });
    }
  }
  await checkConsent(tx, definition, errors);
  await checkTemplates(definition, errors);
  if (errors.length > 0) {
    throw formsError('FORMS_INVALID_DEFINITION', 'The form definition is not valid; see errors.', errors);
  }
}

/**
 * The consent questions and newsletters a form offers: each once, of this tenant and not archived
 * (the consent module's checks: another tenant's id is unknown here), and the required questions
 * among the form's questions.
 */
async function checkConsent(tx: TenantTx, definition: FormDefinition, errors: ErrorDetail[]): Promise<void> {
  const questions = uniqueIds(definition.consentQuestionIds, 'definition.consentQuestionIds', errors);
  uniqueIds(definition.newsletterIds, 'definition.newsletterIds', errors);
  definition.requiredConsentQuestionIds.forEach((id, i) => {
    if (!questions.has(id)) {
      errors.push({
        path: `definition.requiredConsentQuestionIds.${i}`,
        message: 'must be one of the consent questions of the form',
      });
    }
  });
  await unknownIds(
    tx,
    definition.consentQuestionIds,
    'definition.consentQuestionIds',
    'CONSENT_UNKNOWN_QUESTION',
    'there is no such consent question (or it is archived)',
    assertConsentQuestions,
    errors,
  );
  await unknownIds(
    tx,
    definition.newsletterIds,
    'definition.newsletterIds',
    'CONSENT_UNKNOWN_NEWSLETTER',
    'there is no such newsletter (or it is archived)',
    assertNewsletters,
    errors,
  );
}

function uniqueIds(ids: readonly string[], path: string, errors: ErrorDetail[]): Set<string> {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) errors.push({ path: `${path}.${i}`, message: 'is listed twice' });
    seen.add(id);
  });
  return seen;
}

/**
 * Asks the owner once for all ids. When it refuses, its errors name the ids (each detail's path
 * is an id); an error that does not is narrowed down by asking once per id.
 */
async function unknownIds(
  tx: TenantTx,
  ids: readonly string[],
  path: string,
  code: string,
  message: string,
  assert: (tx: TenantTx, ids: string[]) => Promise<void>,
  errors: ErrorDetail[],
): Promise<void> {
  if (ids.length === 0) return;
  const refused = (error: unknown) => error instanceof AppError && error.code === code;
  let named: Set<string> | undefined;
  try {
    await assert(tx, [...new Set(ids)]);
    return;
  } catch (error) {
    if (!refused(error)) throw error;
    const paths = ((error as AppError).details ?? []).map((d) => d.path);
    if (paths.length > 0 && paths.every((p) => ids.includes(p))) named = new Set(paths);
  }
  if (named) {
    ids.forEach((id, i) => {
      if (named.has(id)) errors.push({ path: `${path}.${i}`, message });
    });
    return;
  }
  for (const [i, id] of ids.entries()) {
    try {
      await assert(tx, [id]);
    } catch (error) {
      if (!refused(error)) throw error;
      errors.push({ path: `${path}.${i}`, message });
    }
  }
}

function settingsOf(form: Pick<Form, 'name' | 'status' | 'version'>) {
  return { name: form.name, status: form.status, version: form.version };
}

export async function createForm(tx: TenantTx, principal: Principal, body: CreateFormBody): Promise<Form> {
  await checkDefinition(tx, body.definition);
  const id = randomUUID();
  await repo.insertForm(tx, {
    id,
    tenantId: principal.tenantId,
    name: body.name,
    status: body.status,
    createdBy: principal.userId,
  });
  await repo.insertVersion(tx, {
    tenantId: principal.tenantId,
    formId: id,
    version: 1,
    definition: JSON.stringify(body.definition),
  });
  const form = await getForm(tx, id);
  await auditBy(tx, principal, 'form.created', 'form', id, {
    kind: 'settings',
    before: null,
    after: settingsOf(form),
  });
  return form;
}

export async function getForm(tx: TenantTx, id: string): Promise<Form> {
  const row = await repo.findForm(tx, id);
  if (!row) throw formsError('FORMS_NOT_FOUND', 'There is no such form.');
  return toForm(row);
}

export async function updateForm(
  tx: TenantTx,
  principal: Principal,
  id: string,
  body: UpdateFormBody,
): Promise<Form> {
  const row = await repo.findForm(tx, id, true);
  if (!row) throw formsError('FORMS_NOT_FOUND', 'There is no such form.');
  const before = toForm(row);
  let version = before.version;
  if (body.definition && JSON.stringify(body.definition) !== JSON.stringify(before.definition)) {
    await checkDefinition(tx, body.definition);
    version += 1;
    await repo.insertVersion(tx, {
      tenantId: principal.tenantId,
      formId: id,
      version,
      definition: JSON.stringify(body.definition),
    });
  }
  const changes = {
    ...(body.name !== undefined && body.name !== before.name ? { name: body.name } : {}),
    ...(body.status !== undefined && body.status !== before.status ? { status: body.status } : {}),
    ...(version !== before.version ? { version } : {}),
  };
  if (Object.keys(changes).length === 0) return before;
  await repo.updateForm(tx, id, changes);
  forgetPublishedForm(id);
  const after = await getForm(tx, id);
  await auditBy(tx, principal, 'form.updated', 'form', id, {
    kind: 'settings',
    before: settingsOf(before),
    after: settingsOf(after),
  });
  return after;
}

/** Deletes the form with its versions, submissions and spam counts (the contacts stay). */
export async function deleteForm(tx: TenantTx, principal: Principal, id: string): Promise<void> {
  const row = await repo.findForm(tx, id, true);
  if (!row) throw formsError('FORMS_NOT_FOUND', 'There is no such form.');
  const submissions = await repo.countSubmissions(tx, id);
  await repo.deleteForm(tx, id);
  forgetPublishedForm(id);
  await auditBy(tx, principal, 'form.deleted', 'form', id, {
    kind: 'settings',
    before: { ...settingsOf(toForm(row)), submissions },
    after: null,
  });
}

export async function listForms(tx: TenantTx, query: { limit: number; cursor?: string | undefined }) {
  const rows = await repo.listForms(tx, { limit: query.limit, after: decodeCursor(query.cursor) });
  return toPage(rows, query.limit, (r) => ({
    id: r.id,
    name: r.name,
    status: r.status,
    version: r.version,
    submissionCount: Number(r.submissionCount ?? 0),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

const storedData = z.record(z.string(), submittedValueSchema);
export const storedConsent = z.array(consentAnswerSchema);
export const storedNewsletters = z.array(z.uuid());

export async function listSubmissions(
  tx: TenantTx,
  query: ListSubmissionsQuery,
): Promise<{ items: Submission[]; nextCursor: string | null }> {
  const rows = await repo.listSubmissions(
    tx,
    { formId: query.formId },
    { limit: query.limit, after: decodeCursor(query.cursor) },
  );
  return toPage(rows, query.limit, (r) => ({
    id: r.id,
    formId: r.formId,
    formVersion: r.formVersion,
    contactId: r.contactId,
    language: r.language,
    data: storedData.parse(JSON.parse(r.data)),
    createdAt: r.createdAt.toISOString(),
    autoReplyMessageId: r.autoReplyMessageId,
    consent: storedConsent.parse(JSON.parse(r.consent)),
    newsletterIds: storedNewsletters.parse(JSON.parse(r.newsletterIds)),
    status: r.status,
    failure: r.failure,
  }));
}

export async function spamCounts(tx: TenantTx, formId: string, days = 90) {
  await getForm(tx, formId);
  const rows = await repo.spamCounts(tx, formId, days);
  return { items: rows.map((r) => ({ day: r.day, reason: r.reason, count: Number(r.count) })) };
}
