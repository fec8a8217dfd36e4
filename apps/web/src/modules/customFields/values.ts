import type { CustomField } from './api/customFields.ts';

/**
 * Custom-field values as form inputs hold them, and what a create or a change sends. Text,
 * numbers, decimals and dates are strings ('' = no value; the server checks and normalises
 * them), checkboxes booleans, a single select its option value or '', a multi-select a list.
 */
export type CustomInputValue = string | boolean | string[];
export type CustomValues = Record<string, CustomInputValue>;

/** A record's stored custom fields: an object by key, a masked string, or null (hidden). */
export type StoredCustomFields = Record<string, unknown> | string | null | undefined;

export function storedObject(stored: StoredCustomFields): Record<string, unknown> {
  return stored !== null && typeof stored === 'object' ? stored : {};
}

export function inputValueOf(def: CustomField, stored: unknown): CustomInputValue {
  if (def.type === 'boolean') return stored === true;
  if (def.type === 'multi_select') return Array.isArray(stored) ? stored.map(String) : [];
  if (stored === null || stored === undefined) return '';
  return String(stored);
}

export function initialCustomValues(defs: readonly CustomField[], stored: StoredCustomFields): CustomValues {
  const values = storedObject(stored);
  return Object.fromEntries(defs.map((def) => [def.key, inputValueOf(def, values[def.key])]));
}

function isEmpty(value: CustomInputValue): boolean {
  if (typeof value === 'boolean') return false;
  if (Array.isArray(value)) return value.length === 0;
  return value.trim() === '';
}

function toSent(value: CustomInputValue): string | boolean | string[] {
  return typeof value === 'string' ? value.trim() : value;
}

/** A create: each editable field with a value (a checkbox only when ticked or required). */
export function customValuesToCreate(
  editable: readonly CustomField[],
  values: CustomValues,
): Record<string, string | boolean | string[]> {
  const body: Record<string, string | boolean | string[]> = {};
  for (const def of editable) {
    const value = values[def.key];
    if (value === undefined || isEmpty(value)) continue;
    if (value === false && !def.required) continue;
    body[def.key] = toSent(value);
  }
  return body;
}

function same(a: CustomInputValue, b: CustomInputValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v) => b.includes(v));
  if (typeof a === 'string' && typeof b === 'string') return a.trim() === b.trim();
  return a === b;
}

/** A change (JSON merge patch): the editable fields whose value changed; an emptied one is null. */
export function changedCustomValues(
  editable: readonly CustomField[],
  initial: CustomValues,
  values: CustomValues,
): Record<string, string | boolean | string[] | null> {
  const body: Record<string, string | boolean | string[] | null> = {};
  for (const def of editable) {
    const before = initial[def.key];
    const after = values[def.key];
    if (before === undefined || after === undefined || same(before, after)) continue;
    body[def.key] = isEmpty(after) ? null : toSent(after);
  }
  return body;
}

/** Required fields left empty, by key (checked before a create is sent). */
export function missingRequired(editable: readonly CustomField[], values: CustomValues): string[] {
  return editable
    .filter((def) => def.required && def.type !== 'boolean')
    .filter((def) => {
      const value = values[def.key];
      return value === undefined || isEmpty(value);
    })
    .map((def) => def.key);
}
