import type { DataCategory } from './rights.ts';

/**
 * Custom fields: tenant-defined fields of contacts and companies (`/api/v1/custom-fields`).
 * Shared by the server (validation, storage) and the web app (settings, forms).
 */
export const CUSTOM_FIELD_OBJECT_TYPES = ['contact', 'company'] as const;
export type CustomFieldObjectType = (typeof CUSTOM_FIELD_OBJECT_TYPES)[number];

export const CUSTOM_FIELD_TYPES = [
  'text',
  'long_text',
  'number',
  'decimal',
  'date',
  'boolean',
  'single_select',
  'multi_select',
  'url',
  'email',
] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** Types whose values are chosen from the field's options. */
export const CUSTOM_FIELD_SELECT_TYPES = ['single_select', 'multi_select'] as const;

/** Types that may be marked unique (one record per value). */
export const CUSTOM_FIELD_UNIQUE_TYPES = ['text', 'number', 'decimal', 'date', 'url', 'email'] as const;

/** A field's stable key: lower-case letters, digits and _, starting with a letter, at most 63. */
export const CUSTOM_FIELD_KEY_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;

/** Most fields per object type (and so most custom values per record). */
export const MAX_CUSTOM_FIELDS = 50;
/** Most options of a select field. */
export const MAX_CUSTOM_FIELD_OPTIONS = 200;
/** Longest value of a `text` field; `long_text` takes up to 10,000 characters. */
export const CUSTOM_TEXT_MAX = 500;
export const CUSTOM_LONG_TEXT_MAX = 10_000;
/** A decimal has at most this many digits, so that it compares exactly as a double. */
export const CUSTOM_DECIMAL_DIGITS = 15;

/** Languages a field's and an option's label may be given in. */
export const CUSTOM_FIELD_LABEL_LANGUAGES = ['de', 'en', 'fr'] as const;

/** The data categories a custom field may be put in (field access, compliance rules). */
export const CUSTOM_FIELD_DATA_CATEGORIES = [
  'identity',
  'contact_details',
  'address',
  'billing',
  'birthday',
  'notes',
  'custom',
] as const satisfies readonly DataCategory[];
export type CustomFieldDataCategory = (typeof CUSTOM_FIELD_DATA_CATEGORIES)[number];
