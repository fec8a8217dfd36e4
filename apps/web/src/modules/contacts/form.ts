import type { FieldAccess } from '@kontor/contracts';
import { z } from 'zod';
import { accessTo, type FieldDef, type FieldKey } from './fields.ts';

/**
 * The pure part of the contact and company forms: values as the inputs hold them (strings),
 * what a create or a change sends, and the client-side checks of the obvious. The server is the
 * authority on everything else (E.164, IBAN checksums, VAT formats) and names bad fields in its
 * 400 answer; the forms put those messages on the fields.
 */

export type FormValues<K extends string> = Record<K, string>;

/** What a form shows for each field: the stored value, or '' for none. */
export function initialValues<K extends FieldKey>(
  defs: readonly FieldDef<K>[],
  record: { readonly [P in K]: string | null } | undefined,
): FormValues<K> {
  return Object.fromEntries(defs.map((def) => [def.key, record?.[def.key] ?? ''])) as FormValues<K>;
}

/** The fields the user may change: those of categories they see in full. */
export function editableDefs<K extends FieldKey>(
  defs: readonly FieldDef<K>[],
  access: FieldAccess,
): FieldDef<K>[] {
  return defs.filter((def) => accessTo(def, access) === 'full');
}

/** A create: every editable field that has a value, trimmed. */
export function valuesToCreate<K extends FieldKey>(
  editable: readonly FieldDef<K>[],
  values: FormValues<K>,
): Partial<Record<K, string>> {
  const body: Partial<Record<K, string>> = {};
  for (const def of editable) {
    const value = values[def.key].trim();
    if (value !== '') body[def.key] = value;
  }
  return body;
}

/**
 * A PATCH: only the editable fields whose value changed; an emptied field is sent as null
 * (cleared). Masked and hidden fields are never sent, whatever their inputs hold.
 */
export function changedValues<K extends FieldKey>(
  editable: readonly FieldDef<K>[],
  initial: FormValues<K>,
  values: FormValues<K>,
): Partial<Record<K, string | null>> {
  const body: Partial<Record<K, string | null>> = {};
  for (const def of editable) {
    const before = initial[def.key].trim();
    const after = values[def.key].trim();
    if (before !== after) body[def.key] = after === '' ? null : after;
  }
  return body;
}

/** Tags compare as the server does: case-insensitively, in any order. */
export function sameTags(a: readonly string[], b: readonly string[]): boolean {
  const fold = (tags: readonly string[]) => [...new Set(tags.map((tag) => tag.trim().toLowerCase()))].sort();
  const left = fold(a);
  const right = fold(b);
  return left.length === right.length && left.every((tag, index) => tag === right[index]);
}

/** Why a value is refused before it is sent; each has its message under `contacts.form.invalid`. */
export type ClientIssue =
  | 'tooLong'
  | 'email'
  | 'phone'
  | 'website'
  | 'date'
  | 'future'
  | 'identify'
  | 'required';

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const phonePattern = /^[0-9+()./\s-]+$/;
const websitePattern = /^(https?:\/\/)?[^\s/?#]+\.[^\s/?#]+(\S*)$/i;

/** Today as YYYY-MM-DD in the user's time zone (a birthday may be today, not tomorrow). */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** The zod schema of one field's obvious rules ('' is always fine: it means "no value"). */
function fieldSchema(def: FieldDef): z.ZodType<string> {
  const base = z.string().refine((v) => v.trim().length <= def.max, { message: 'tooLong' });
  const filled = (check: (v: string) => boolean) => (v: string) => v.trim() === '' || check(v.trim());
  switch (def.input) {
    case 'email':
      return base.refine(
        filled((v) => emailPattern.test(v)),
        { message: 'email' },
      );
    case 'tel':
      return base.refine(
        filled((v) => phonePattern.test(v) && /\d/.test(v)),
        { message: 'phone' },
      );
    case 'url':
      return base.refine(
        filled((v) => websitePattern.test(v)),
        { message: 'website' },
      );
    case 'date':
      return base.refine(filled(isDay), { message: 'date' }).refine(
        filled((v) => !isDay(v) || v <= today()),
        { message: 'future' },
      );
    default:
      return base;
  }
}

/**
 * Checks the editable fields; answers the first issue per field. `required` names fields that
 * must not be empty (a company's name); `identify` is the contact rule that a new person needs a
 * name, an email address, a phone number or a company (put on lastName, as the server does).
 */
export function checkValues<K extends FieldKey>(
  editable: readonly FieldDef<K>[],
  values: FormValues<K>,
  options: { required?: readonly K[]; identify?: { companyId: string | null } } = {},
): Partial<Record<K, ClientIssue>> {
  const shape = Object.fromEntries(editable.map((def) => [def.key, fieldSchema(def)]));
  const result = z.object(shape).safeParse(values);
  const issues: Partial<Record<K, ClientIssue>> = {};
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path[0] as K;
      issues[key] ??= issue.message as ClientIssue;
    }
  }
  const editableKeys = new Set<string>(editable.map((def) => def.key));
  for (const key of options.required ?? []) {
    if (editableKeys.has(key) && values[key].trim() === '') issues[key] ??= 'required';
  }
  if (options.identify) {
    const filled = (key: string) => editableKeys.has(key) && (values as Record<string, string>)[key]?.trim();
    const identifies =
      options.identify.companyId !== null ||
      ['firstName', 'lastName', 'email', 'phone', 'mobile'].some((key) => filled(key));
    if (!identifies && editableKeys.has('lastName'))
      (issues as Record<string, ClientIssue>).lastName ??= 'identify';
  }
  return issues;
}

/** The server's field messages of a 400 answer by path; `tags.3` counts as `tags`. */
export function serverFieldErrors(
  errors: readonly { path: string; message: string }[],
): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const { path, message } of errors) {
    const field = path.replace(/^body\./, '').split('.')[0] ?? path;
    byField[field] ??= message;
  }
  return byField;
}
