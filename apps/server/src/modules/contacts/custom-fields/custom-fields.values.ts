import {
  CUSTOM_DECIMAL_DIGITS,
  CUSTOM_LONG_TEXT_MAX,
  CUSTOM_TEXT_MAX,
  type CustomFieldObjectType,
} from '@kontor/contracts';
import type { ErrorDetail } from '../../../kernel/errors.ts';
import type { CustomFieldValue } from '../contacts.tables.ts';
import { type Checked, checkEmail, checkWebsite } from '../contacts.validation.ts';
import type { CustomFieldDefinition } from './custom-fields.schema.ts';

/**
 * The value rules of custom fields, as pure functions: what a person (or an import) sent for a
 * field, checked against the field's definition and normalised to what is stored. Null, '' and
 * [] mean "no value". Decimals are kept exactly, as strings ("12.50"), with at most 15 digits;
 * numbers are whole and within ±2^53 — both so that they compare exactly as float8 in the
 * value index (see the migration).
 */
export type CheckedValue = { ok: true; value: CustomFieldValue | null } | { ok: false; message: string };

const good = (value: CustomFieldValue | null): CheckedValue => ({ ok: true, value });
const bad = (message: string): CheckedValue => ({ ok: false, message });
const fromChecked = (checked: Checked): CheckedValue =>
  checked.ok ? good(checked.value) : bad(checked.message);

function optionList(def: CustomFieldDefinition): string {
  const values = def.options.map((o) => o.value);
  return values.length > 10 ? `${values.slice(0, 10).join(', ')}, …` : values.join(', ');
}

function text(raw: unknown, max: number): CheckedValue {
  const value = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
  if (typeof value !== 'string') return bad('must be text');
  const trimmed = value.trim();
  if (trimmed === '') return good(null);
  return trimmed.length > max ? bad(`must be at most ${max} characters`) : good(trimmed);
}

/** A whole number within ±(2^53 − 1), given as a JSON number or a string of digits. */
export function checkInteger(raw: unknown): CheckedValue {
  let value: number;
  if (typeof raw === 'number') value = raw;
  else if (typeof raw === 'string' && /^\s*[+-]?\d{1,16}\s*$/.test(raw)) value = Number(raw.trim());
  else if (typeof raw === 'string' && raw.trim() === '') return good(null);
  else return bad('must be a whole number');
  if (!Number.isInteger(value)) return bad('must be a whole number');
  if (!Number.isSafeInteger(value)) return bad('must be between -9007199254740991 and 9007199254740991');
  return good(value);
}

/**
 * A decimal number, given as a JSON number or a string (`12.50`, `-0.5`; a dot, no thousands
 * separators), stored as its exact decimal string without a sign for zero or leading zeros.
 */
export function checkDecimal(raw: unknown): CheckedValue {
  let text: string;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return bad('must be a number');
    text = String(raw);
    if (/e/i.test(text)) return bad(`must have at most ${CUSTOM_DECIMAL_DIGITS} digits`);
  } else if (typeof raw === 'string') {
    text = raw.trim();
    if (text === '') return good(null);
  } else return bad('must be a number');
  const match = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return bad('must be a number such as 1234.50 (a dot, no thousands separators)');
  const [, sign, whole = '', fraction = ''] = match;
  const integer = whole.replace(/^0+(?=\d)/, '');
  const digits = (integer === '0' ? '' : integer).length + fraction.length;
  if (digits > CUSTOM_DECIMAL_DIGITS) return bad(`must have at most ${CUSTOM_DECIMAL_DIGITS} digits`);
  const zero = /^0*$/.test(integer + fraction);
  return good(`${sign === '-' && !zero ? '-' : ''}${integer}${fraction ? `.${fraction}` : ''}`);
}

/** A calendar date YYYY-MM-DD, years 1000–9999. */
export function checkDate(raw: unknown): CheckedValue {
  if (typeof raw !== 'string') return bad('must be a date YYYY-MM-DD');
  const value = raw.trim();
  if (value === '') return good(null);
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return bad('must be a date YYYY-MM-DD');
  const [y, m, d] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  if (y < 1000 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return bad('is not a calendar date');
  }
  return good(value);
}

/** One value for one field; null when the value says "none". */
export function checkCustomValue(def: CustomFieldDefinition, raw: unknown): CheckedValue {
  if (raw === null || raw === undefined) return good(null);
  switch (def.type) {
    case 'text':
      return text(raw, CUSTOM_TEXT_MAX);
    case 'long_text':
      return text(raw, CUSTOM_LONG_TEXT_MAX);
    case 'number':
      return checkInteger(raw);
    case 'decimal':
      return checkDecimal(raw);
    case 'date':
      return checkDate(raw);
    case 'boolean':
      return typeof raw === 'boolean' ? good(raw) : bad('must be true or false');
    case 'single_select': {
      if (raw === '') return good(null);
      if (typeof raw === 'string' && def.options.some((o) => o.value === raw)) return good(raw);
      return bad(`must be one of: ${optionList(def)}`);
    }
    case 'multi_select': {
      const message = `must be a list of: ${optionList(def)}`;
      if (!Array.isArray(raw)) return bad(message);
      const chosen = new Set<string>();
      for (const item of raw) {
        if (typeof item !== 'string' || !def.options.some((o) => o.value === item)) return bad(message);
        chosen.add(item);
      }
      // Kept in the order of the field's options, so equal choices are stored alike.
      const values = def.options.map((o) => o.value).filter((v) => chosen.has(v));
      return good(values.length > 0 ? values : null);
    }
    case 'url': {
      if (typeof raw !== 'string') return bad('must be a web address, e.g. https://example.com');
      return raw.trim() === '' ? good(null) : fromChecked(checkWebsite(raw));
    }
    case 'email': {
      if (typeof raw !== 'string') return bad('must be an email address');
      return raw.trim() === '' ? good(null) : fromChecked(checkEmail(raw));
    }
  }
}

const OBJECT_NAMES: Record<CustomFieldObjectType, string> = { contact: 'contacts', company: 'companies' };

export type CheckedCustomFields = {
  /**
   * The normalised values: create — the values to store (no nulls); update — the merge patch
   * (null removes a key), or null to remove them all; undefined when none were given.
   */
  values: Record<string, CustomFieldValue | null> | null | undefined;
  errors: ErrorDetail[];
};

/**
 * Checks a body's `customFields` against the object type's definitions: unknown keys, each
 * value's type and format, and required fields (given on create; never cleared on update).
 * Every problem is reported, each under `customFields.<key>`.
 */
export function checkCustomFields(
  defs: readonly CustomFieldDefinition[],
  objectType: CustomFieldObjectType,
  input: unknown,
  mode: 'create' | 'update',
): CheckedCustomFields {
  const errors: ErrorDetail[] = [];
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const required = defs.filter((d) => d.required);
  if (input === undefined && mode === 'update') return { values: undefined, errors };
  if (input === null && mode === 'update') {
    for (const def of required) {
      errors.push({ path: `customFields.${def.key}`, message: 'is required and cannot be cleared' });
    }
    return { values: null, errors };
  }
  const given = input ?? {};
  if (typeof given !== 'object' || Array.isArray(given)) {
    return {
      values: undefined,
      errors: [{ path: 'customFields', message: 'must be an object of values by key' }],
    };
  }
  const values: Record<string, CustomFieldValue | null> = {};
  for (const [key, raw] of Object.entries(given)) {
    const def = byKey.get(key);
    if (!def) {
      errors.push({
        path: `customFields.${key}`,
        message: `there is no custom field "${key}" for ${OBJECT_NAMES[objectType]}`,
      });
      continue;
    }
    const checked = checkCustomValue(def, raw);
    if (!checked.ok) errors.push({ path: `customFields.${key}`, message: checked.message });
    else if (checked.value !== null || mode === 'update') values[key] = checked.value;
  }
  for (const def of required) {
    const path = `customFields.${def.key}`;
    if (errors.some((e) => e.path === path)) continue;
    if (mode === 'create' && (values[def.key] === undefined || values[def.key] === null)) {
      errors.push({ path, message: 'is required' });
    } else if (mode === 'update' && def.key in values && values[def.key] === null) {
      errors.push({ path, message: 'is required and cannot be cleared' });
    }
  }
  return { values, errors };
}
