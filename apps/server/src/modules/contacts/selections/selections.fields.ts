import type { CustomFieldType } from '@kontor/contracts';
import { z } from 'zod';
import type { DataCategory } from '../../privacy/index.ts';
import { COMPANY_FIELD_CATEGORIES, CONTACT_FIELD_CATEGORIES, PAYMENT_METHODS } from '../contacts.schema.ts';
import { checkCountry } from '../contacts.validation.ts';

/**
 * The fields a filter can name, with their type (which decides the operators and the shape of
 * the value) and data category (which decides whether the principal may filter by them). The
 * catalog is the whitelist of columns: SQL names come from here, never from a request.
 */

/**
 * - `text`: compared folded exactly as search folds (kontor_fold: lower case, no accents,
 *   ae/oe/ue → a/o/u), so `Mueller`, `müller` and `MULLER` find Müller.
 * - `caseless`: email addresses, web sites, languages: lower case, no other folding.
 * - `code`: postal codes, IBAN, BIC, VAT ids: upper case, spaces ignored in the value.
 * - `phone`: E.164 as stored; `contains` compares digits only.
 * - `customText`: custom text, URL and email fields, compared lower-cased as their value index
 *   stores them (kontor_custom_text), so `eq`, `in` and `startsWith` read that index.
 * - `longText`: custom long text, not in the value index: `contains` reads the record.
 */
export type FieldType =
  | 'text'
  | 'caseless'
  | 'customText'
  | 'longText'
  | 'code'
  | 'phone'
  | 'country'
  | 'select'
  | 'multiSelect'
  | 'date'
  | 'timestamp'
  | 'number'
  | 'boolean';

export const FIELD_OPS = [
  'eq',
  'neq',
  'contains',
  'startsWith',
  'in',
  'lt',
  'lte',
  'gt',
  'gte',
  'before',
  'after',
  'between',
  'withinLast',
  'inMonth',
  'hasAny',
  'hasAll',
  'hasNone',
  'isEmpty',
  'isNotEmpty',
] as const;
export type FieldOp = (typeof FIELD_OPS)[number];

const PRESENCE = ['isEmpty', 'isNotEmpty'] as const;
const TEXT_OPS = ['eq', 'neq', 'contains', 'startsWith', 'in', ...PRESENCE] as const;
const ORDERED = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between', 'in'] as const;

export const OPS_BY_TYPE: Record<FieldType, readonly FieldOp[]> = {
  text: TEXT_OPS,
  caseless: TEXT_OPS,
  customText: TEXT_OPS,
  longText: ['contains', ...PRESENCE],
  code: TEXT_OPS,
  phone: ['eq', 'neq', 'contains', 'startsWith', ...PRESENCE],
  country: ['eq', 'neq', 'in', ...PRESENCE],
  select: ['eq', 'neq', 'in', ...PRESENCE],
  multiSelect: ['hasAny', 'hasAll', 'hasNone', ...PRESENCE],
  date: [...ORDERED, 'before', 'after', 'withinLast', 'inMonth', ...PRESENCE],
  timestamp: ['eq', 'lt', 'lte', 'gt', 'gte', 'before', 'after', 'between', 'withinLast'],
  number: [...ORDERED, ...PRESENCE],
  boolean: ['eq', ...PRESENCE],
};

/** Operators that only ask whether a value is there: allowed on fields the principal sees masked. */
export const PRESENCE_OPS: readonly FieldOp[] = PRESENCE;

/** A custom field as a filter reaches it: its definition's id, key, object type and type. */
export type CustomFieldRef = {
  id: string;
  key: string;
  objectType: 'contact' | 'company';
  type: CustomFieldType;
};

export type FieldSpec = {
  /** As the filter names it: `city`, `company.city`, `customFields.shoe_size`. */
  name: string;
  type: FieldType;
  /** null: not personal data (createdAt, a company's name). */
  category: DataCategory | null;
  /** The allowed values of a select or multi-select field. */
  options?: readonly string[];
  source:
    | {
        kind: 'column';
        table: 'contact' | 'company';
        column: string;
        /**
         * A stored, indexed copy of the column folded with kontor_fold (text fields): compared
         * with LEAKPROOF operators, so the index serves under row-level security.
         */
        folded?: string;
      }
    | { kind: 'custom'; field: CustomFieldRef };
};

/** Text columns with a folded copy (migration 20261130140000_contacts_selections.sql). */
const FOLDED_COLUMNS: Record<string, string> = { city: 'city_fold' };

export type FieldCatalog = {
  get(name: string): FieldSpec | undefined;
  /** Every name, for error messages and the OpenAPI description. */
  names(): string[];
};

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const CONTACT_TYPES: Record<string, FieldType> = {
  salutation: 'text',
  firstName: 'text',
  lastName: 'text',
  street: 'text',
  addressLine1: 'text',
  addressLine2: 'text',
  postalCode: 'code',
  city: 'text',
  region: 'text',
  country: 'country',
  email: 'caseless',
  language: 'caseless',
  phone: 'phone',
  fax: 'phone',
  mobile: 'phone',
  website: 'caseless',
  birthday: 'date',
  iban: 'code',
  bic: 'code',
  paymentMethod: 'select',
  accountHolder: 'text',
  vatId: 'code',
  notes: 'text',
  createdAt: 'timestamp',
  updatedAt: 'timestamp',
};

const COMPANY_TYPES: Record<string, FieldType> = {
  name: 'text',
  street: 'text',
  addressLine1: 'text',
  addressLine2: 'text',
  postalCode: 'code',
  city: 'text',
  region: 'text',
  country: 'country',
  email: 'caseless',
  phone: 'phone',
  website: 'caseless',
  vatId: 'code',
};

const categoryOf = (categories: Record<string, DataCategory>, field: string): DataCategory | null =>
  categories[field] ?? null;

/** The standard fields of a person and of the person's company (`company.<field>`). */
export const STANDARD_FIELDS: readonly FieldSpec[] = [
  ...Object.entries(CONTACT_TYPES).map(
    ([name, type]): FieldSpec => ({
      name,
      type,
      category: categoryOf(CONTACT_FIELD_CATEGORIES, name),
      ...(name === 'paymentMethod' ? { options: PAYMENT_METHODS } : {}),
      source: {
        kind: 'column',
        table: 'contact',
        column: snake(name),
        ...(FOLDED_COLUMNS[name] ? { folded: FOLDED_COLUMNS[name] } : {}),
      },
    }),
  ),
  ...Object.entries(COMPANY_TYPES).map(
    ([name, type]): FieldSpec => ({
      name: `company.${name}`,
      type,
      category: categoryOf(COMPANY_FIELD_CATEGORIES, name),
      source: { kind: 'column', table: 'company', column: snake(name) },
    }),
  ),
];

export function fieldCatalog(custom: readonly FieldSpec[] = []): FieldCatalog {
  const byName = new Map([...STANDARD_FIELDS, ...custom].map((f) => [f.name, f]));
  return { get: (name) => byName.get(name), names: () => [...byName.keys()] };
}

// ---------------------------------------------------------------------------------------------
// Values: what each operator takes for each type, normalised for SQL. Pure; the leaf's check
// reports the message, its compile uses the value.
// ---------------------------------------------------------------------------------------------

export type Scalar = string | number | boolean;
export type Normalised =
  | { shape: 'none' }
  | { shape: 'one'; value: Scalar }
  | { shape: 'list'; values: Scalar[] }
  | { shape: 'range'; from: Scalar; to: Scalar }
  /** A moment range for timestamps: from ≤ t < to (either end open when undefined). */
  | { shape: 'moments'; from?: string; to?: string; fromInclusive: boolean; toInclusive: boolean }
  | { shape: 'days'; days: number }
  | { shape: 'month'; month: number };

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };
const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = <T>(message: string): Checked<T> => ({ ok: false, message });

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const instant = z.iso.datetime({ offset: true });

export function isDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/** The start of the day after `date` (UTC), as an ISO instant. */
function dayAfter(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString();
}
const dayStart = (date: string) => `${date}T00:00:00.000Z`;

/** One value of a field of this type, normalised; undefined when it is not one. */
function scalarOf(spec: FieldSpec, raw: unknown): Checked<Scalar> {
  switch (spec.type) {
    case 'text':
    case 'caseless':
    case 'customText':
    case 'longText':
      return typeof raw === 'string' && raw.trim() !== ''
        ? ok(raw.trim())
        : bad('must be a non-empty string');
    case 'code':
      return typeof raw === 'string' && raw.trim() !== ''
        ? ok(raw.replace(/\s+/g, '').toUpperCase())
        : bad('must be a non-empty string');
    case 'phone': {
      if (typeof raw !== 'string' || !/^[0-9+()./\s-]+$/.test(raw) || !/\d/.test(raw))
        return bad('must be a phone number or its digits');
      return ok(raw.replace(/[^0-9+]/g, ''));
    }
    case 'country': {
      if (typeof raw !== 'string') return bad('must be an ISO 3166-1 alpha-2 country code, e.g. DE');
      const checked = checkCountry(raw);
      return checked.ok ? ok(checked.value) : bad(checked.message);
    }
    case 'select':
    case 'multiSelect':
      return typeof raw === 'string' && spec.options?.includes(raw)
        ? ok(raw)
        : bad(`must be one of ${(spec.options ?? []).join(', ')}`);
    case 'date':
      return isDate(raw) ? ok(raw) : bad('must be a date, YYYY-MM-DD');
    case 'timestamp':
      return isDate(raw) || (typeof raw === 'string' && instant.safeParse(raw).success)
        ? ok(raw as string)
        : bad('must be a date (YYYY-MM-DD) or an ISO 8601 date-time with offset');
    case 'number':
      return typeof raw === 'number' && Number.isFinite(raw) ? ok(raw) : bad('must be a number');
    case 'boolean':
      return typeof raw === 'boolean' ? ok(raw) : bad('must be true or false');
  }
}

/** A timestamp value as a range of instants: a date stands for that whole day (UTC). */
function momentsOf(op: FieldOp, value: string, to?: string): Normalised {
  const day = isDate(value);
  switch (op) {
    case 'eq':
      return day
        ? {
            shape: 'moments',
            from: dayStart(value),
            to: dayAfter(value),
            fromInclusive: true,
            toInclusive: false,
          }
        : { shape: 'moments', from: value, to: value, fromInclusive: true, toInclusive: true };
    case 'before':
    case 'lt':
      return { shape: 'moments', to: day ? dayStart(value) : value, fromInclusive: true, toInclusive: false };
    case 'lte':
      return day
        ? { shape: 'moments', to: dayAfter(value), fromInclusive: true, toInclusive: false }
        : { shape: 'moments', to: value, fromInclusive: true, toInclusive: true };
    case 'after':
    case 'gt':
      return day
        ? { shape: 'moments', from: dayAfter(value), fromInclusive: true, toInclusive: false }
        : { shape: 'moments', from: value, fromInclusive: false, toInclusive: false };
    case 'gte':
      return {
        shape: 'moments',
        from: day ? dayStart(value) : value,
        fromInclusive: true,
        toInclusive: false,
      };
    default: {
      // between: both ends included; a date end includes its whole day.
      const end = to as string;
      return {
        shape: 'moments',
        from: day ? dayStart(value) : value,
        ...(isDate(end) ? { to: dayAfter(end), toInclusive: false } : { to: end, toInclusive: true }),
        fromInclusive: true,
      };
    }
  }
}

const MAX_DAYS = 36_500;

/** The value of `op` on a field of this type, normalised, or why it is not acceptable. */
export function normaliseValue(spec: FieldSpec, op: FieldOp, raw: unknown): Checked<Normalised> {
  if (op === 'isEmpty' || op === 'isNotEmpty') {
    return raw === undefined ? ok({ shape: 'none' }) : bad(`${op} takes no value`);
  }
  if (raw === undefined) return bad(`${op} needs a value`);
  switch (op) {
    case 'withinLast':
      return Number.isInteger(raw) && (raw as number) >= 1 && (raw as number) <= MAX_DAYS
        ? ok({ shape: 'days', days: raw as number })
        : bad(`must be a number of days, 1 to ${MAX_DAYS}`);
    case 'inMonth':
      return Number.isInteger(raw) && (raw as number) >= 1 && (raw as number) <= 12
        ? ok({ shape: 'month', month: raw as number })
        : bad('must be a month, 1 to 12');
    case 'in':
    case 'hasAny':
    case 'hasAll':
    case 'hasNone': {
      if (!Array.isArray(raw) || raw.length === 0) return bad(`${op} takes a non-empty list of values`);
      const values: Scalar[] = [];
      for (const [i, item] of raw.entries()) {
        const one = scalarOf(spec, item);
        if (!one.ok) return bad(`item ${i} ${one.message}`);
        values.push(one.value);
      }
      return ok({ shape: 'list', values });
    }
    case 'between': {
      if (!Array.isArray(raw) || raw.length !== 2) return bad('between takes two values, [from, to]');
      const from = scalarOf(spec, raw[0]);
      const to = scalarOf(spec, raw[1]);
      if (!from.ok) return bad(`from ${from.message}`);
      if (!to.ok) return bad(`to ${to.message}`);
      if (spec.type === 'timestamp') {
        if (new Date(String(from.value)).getTime() > new Date(String(to.value)).getTime())
          return bad('from must not be after to');
        return ok(momentsOf('between', String(from.value), String(to.value)));
      }
      if (from.value > to.value) return bad('from must not be after to');
      return ok({ shape: 'range', from: from.value, to: to.value });
    }
    default: {
      if (Array.isArray(raw)) return bad(`${op} takes one value, not a list`);
      const one = scalarOf(spec, raw);
      if (!one.ok) return bad(one.message);
      if (spec.type === 'timestamp') return ok(momentsOf(op, String(one.value)));
      return ok({ shape: 'one', value: one.value });
    }
  }
}
