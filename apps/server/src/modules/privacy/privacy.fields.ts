/**
 * Access levels on personal data. Fields belong to data categories; a role sees a category in
 * full, masked, or not at all. The same function shapes API responses, search results and
 * exports, so no path shows more than the role allows.
 */
import {
  ACCESS_LEVELS,
  type AccessLevel,
  DATA_CATEGORIES,
  type DataCategory,
  type FieldAccess,
} from '../../kernel/http/access.ts';

export { ACCESS_LEVELS, type AccessLevel, DATA_CATEGORIES, type DataCategory, type FieldAccess };

export const FULL_ACCESS: FieldAccess = Object.fromEntries(
  DATA_CATEGORIES.map((c) => [c, 'full']),
) as FieldAccess;
const RANK: Record<AccessLevel, number> = { none: 0, masked: 1, full: 2 };

/** A role's stored setting: categories not named are seen in full. */
export function fieldAccessOf(stored: unknown): FieldAccess {
  const access = { ...FULL_ACCESS };
  if (stored && typeof stored === 'object') {
    for (const [category, level] of Object.entries(stored)) {
      if (
        (DATA_CATEGORIES as readonly string[]).includes(category) &&
        (ACCESS_LEVELS as readonly string[]).includes(String(level))
      ) {
        access[category as DataCategory] = level as AccessLevel;
      }
    }
  }
  return access;
}

/** Several roles: each category at the most open level any of them gives. No role: nothing. */
export function combineFieldAccess(perRole: FieldAccess[]): FieldAccess {
  const combined = Object.fromEntries(DATA_CATEGORIES.map((c) => [c, 'none'])) as FieldAccess;
  for (const access of perRole) {
    for (const c of DATA_CATEGORIES) if (RANK[access[c]] > RANK[combined[c]]) combined[c] = access[c];
  }
  return combined;
}

/** `DE89 3704 0044 0532 0130 00` → `DE89 **** **** 3000`: country, check digits and the last four. */
export function maskIban(iban: string): string {
  const compact = iban.replace(/\s+/g, '').toUpperCase();
  if (compact.length < 9) return '****';
  return `${compact.slice(0, 4)} **** **** ${compact.slice(-4)}`;
}

export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***@${email.slice(at + 1)}`;
}

/** Keeps the country prefix and the last two digits: `+41 *** ** 67`. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '');
  if (digits.length < 5) return '***';
  const prefix = digits.startsWith('+') ? digits.slice(0, 3) : '';
  return `${prefix} *** ** ${digits.slice(-2)}`.trim();
}

/** A masked value of a field: keeps enough to recognise it, never enough to use it. */
export function maskValue(field: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  // A list (a multi-select's choices) as one masked string: not even how many.
  if (Array.isArray(value)) return '***';
  if (typeof value !== 'string')
    return typeof value === 'object' ? Object.fromEntries(Object.keys(value).map((k) => [k, '***'])) : '***';
  if (value.length === 0) return value;
  const key = field.toLowerCase();
  if (key === 'iban') return maskIban(value);
  if (key.includes('email')) return maskEmail(value);
  if (key === 'phone' || key === 'mobile' || key === 'fax') return maskPhone(value);
  if (key === 'birthday' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value.slice(0, 4)}-**-**`;
  if (value.length <= 2) return '**';
  return `${value[0]}${'*'.repeat(Math.min(6, value.length - 1))}`;
}

/** Per-key categories of object-valued fields, e.g. `{ customFields: { shoe_size: 'custom' } }`. */
export type NestedCategories<T> = { readonly [K in keyof T]?: Readonly<Record<string, DataCategory>> };

/**
 * Shapes a record for a principal: fields of a category seen `none` become null, `masked`
 * become masked values, everything else passes through. Fields without a category are not
 * personal data (ids, timestamps, company names).
 *
 * `nested` gives the keys of an object-valued field (custom fields) categories of their own;
 * a key without one falls under the field's category. Keys seen `none` are left out — so the
 * reader cannot even tell whether they hold a value — and masked ones are masked one by one.
 */
export function presentFields<T extends Record<string, unknown>>(
  record: T,
  categories: { readonly [K in keyof T]?: DataCategory },
  access: FieldAccess,
  nested: NestedCategories<T> = {},
): T {
  const out: Record<string, unknown> = { ...record };
  for (const [field, byKey] of Object.entries(nested) as [
    string,
    Record<string, DataCategory> | undefined,
  ][]) {
    const value = out[field];
    if (!byKey || value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    const fallback = (categories as Record<string, DataCategory | undefined>)[field];
    const shaped: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const category = byKey[key] ?? fallback;
      const level = category ? access[category] : 'full';
      if (level === 'none') continue;
      shaped[key] = level === 'masked' ? maskValue(key, item) : item;
    }
    out[field] = shaped;
  }
  for (const [field, category] of Object.entries(categories) as [string, DataCategory | undefined][]) {
    if (!category || !(field in out) || nested[field as keyof T]) continue;
    const level = access[category];
    if (level === 'none') out[field] = null;
    else if (level === 'masked') out[field] = maskValue(field, out[field]);
  }
  return out as T;
}
