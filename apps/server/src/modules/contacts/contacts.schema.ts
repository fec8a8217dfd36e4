import {
  CUSTOM_FIELD_KEY_PATTERN,
  CUSTOM_LONG_TEXT_MAX,
  MAX_CUSTOM_FIELD_OPTIONS,
  MAX_CUSTOM_FIELDS,
} from '@kontor/contracts';
import { z } from 'zod';
import { listQuerySchema } from '../../kernel/http/pagination.ts';
import type { DataCategory } from '../privacy/index.ts';
import type { CustomFields } from './contacts.tables.ts';
import {
  type Checked,
  checkBic,
  checkBirthday,
  checkCountry,
  checkEmail,
  checkIban,
  checkLanguage,
  checkPhone,
  checkVatId,
  checkWebsite,
  DEFAULT_PHONE_REGION,
  isInternationalPhone,
} from './contacts.validation.ts';

export const PAYMENT_METHODS = [
  'invoice',
  'sepa_direct_debit',
  'card',
  'cash',
  'bank_transfer',
  'other',
] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

// ---------------------------------------------------------------------------------------------
// Request bodies. Fields are checked in two steps so that one answer names every bad field:
// each field's type and length (zod, per field), then one pass over the whole body that checks
// and normalises the values with rules (email, phone, IBAN, …), adding one issue per bad field.
// An empty string means "no value" (null); in PATCH bodies null clears a field.
// ---------------------------------------------------------------------------------------------

/** Trimmed text; '' becomes null, undefined stays undefined (not given). */
function text(max: number, description?: string) {
  const schema = z
    .string()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((v) => (v === undefined ? undefined : v === null ? null : v.trim() || null));
  return description ? schema.describe(description) : schema;
}

/**
 * A custom field's value as stored and answered (its definition's type decides which; see
 * custom-fields/custom-fields.values.ts): text, URL, email, date, decimal and single select are
 * strings, number a number, boolean a boolean, multi select a list of option values.
 */
export const customFieldValueSchema = z.union([
  z.string().max(CUSTOM_LONG_TEXT_MAX),
  z.number(),
  z.boolean(),
  z.array(z.string().max(100)).max(MAX_CUSTOM_FIELD_OPTIONS),
]);

/**
 * Shape only: each value is checked against the tenant's definition of its key by the service
 * (unknown keys, types, formats, required and unique fields), every problem under
 * `customFields.<key>`.
 */
const customFieldsInput = z
  .record(
    z
      .string()
      .regex(
        CUSTOM_FIELD_KEY_PATTERN,
        'keys are lower-case letters, digits and _, starting with a letter, at most 63 characters',
      ),
    z.union([customFieldValueSchema, z.null()]),
  )
  .refine((o) => Object.keys(o).length <= MAX_CUSTOM_FIELDS, `at most ${MAX_CUSTOM_FIELDS} custom fields`)
  .nullish()
  .describe(
    'Values by the key of a custom field (GET /api/v1/custom-fields). Number: whole number; decimal: number or string, answered as an exact string ("12.50"); date: YYYY-MM-DD; multi select: a list of option values. In PATCH a key set to null is removed, and null removes them all (required fields cannot be cleared).',
  );

const tagsInput = z
  .array(z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'))
  .max(50, 'at most 50 tags')
  .nullish()
  .transform((v) => (v === undefined ? undefined : uniqueNames(v ?? [])))
  .describe('Tag names; unknown ones are created. Case-insensitive: "VIP" and "vip" are one tag.');

/** Names without case-insensitive duplicates, first spelling kept. */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => {
    const key = n.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const contactShape = {
  salutation: text(50, 'Free text, e.g. Frau, Herr, Dr., Madame'),
  firstName: text(200),
  lastName: text(200),
  companyId: z.uuid().nullish().describe('The company this person belongs to'),
  street: text(200),
  addressLine1: text(200),
  addressLine2: text(200),
  postalCode: text(20),
  city: text(200),
  region: text(200, 'State, canton, department'),
  country: text(10, 'ISO 3166-1 alpha-2, e.g. DE, CH, AT, FR'),
  email: text(320, 'An email address'),
  language: text(35, 'BCP 47, e.g. de, de-CH, fr'),
  phone: text(50, 'Stored in E.164; national numbers are read in the country of the record (else DE)'),
  fax: text(50, 'As phone'),
  mobile: text(50, 'As phone'),
  website: text(2048, 'http(s) URL; a bare domain gets https://'),
  birthday: text(10, 'YYYY-MM-DD, not in the future'),
  iban: text(50, 'Stored in electronic format (no spaces, upper case)'),
  bic: text(20),
  paymentMethod: text(30, `One of ${PAYMENT_METHODS.join(', ')}`),
  accountHolder: text(200),
  vatId: text(30, 'VAT/UID number: DE123456789, ATU12345678, CHE-123.456.789 MWST, FRXX123456789'),
  notes: text(10_000),
  tags: tagsInput,
  customFields: customFieldsInput,
};

const companyShape = {
  name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  street: contactShape.street,
  addressLine1: contactShape.addressLine1,
  addressLine2: contactShape.addressLine2,
  postalCode: contactShape.postalCode,
  city: contactShape.city,
  region: contactShape.region,
  country: contactShape.country,
  email: contactShape.email,
  phone: contactShape.phone,
  website: contactShape.website,
  vatId: contactShape.vatId,
  tags: tagsInput,
  customFields: customFieldsInput,
};

type Rule = (raw: string) => Checked;

const checkPaymentMethod: Rule = (raw) =>
  (PAYMENT_METHODS as readonly string[]).includes(raw)
    ? { ok: true, value: raw }
    : { ok: false, message: `must be one of ${PAYMENT_METHODS.join(', ')}` };

const RULES: Record<string, Rule> = {
  country: checkCountry,
  email: checkEmail,
  language: checkLanguage,
  website: checkWebsite,
  birthday: (raw) => checkBirthday(raw),
  iban: checkIban,
  bic: checkBic,
  vatId: checkVatId,
  paymentMethod: checkPaymentMethod,
};
const PHONE_FIELDS = ['phone', 'fax', 'mobile'] as const;

/**
 * Checks and normalises every rule-bound field of a body at once. Phone numbers are read in
 * the body's country (else DE). In a PATCH without a country, a national number is left as
 * typed for the service, which knows the record's stored country (see normaliseNationalPhones).
 */
function normaliseBody<T extends Record<string, unknown>>(
  body: T,
  ctx: z.RefinementCtx,
  mode: 'create' | 'update',
): T {
  const out: Record<string, unknown> = { ...body };
  for (const [key, rule] of Object.entries(RULES)) {
    const raw = body[key];
    if (typeof raw !== 'string') continue;
    const checked = rule(raw);
    if (checked.ok) out[key] = checked.value;
    else ctx.addIssue({ code: 'custom', path: [key], message: checked.message });
  }
  const country = typeof out.country === 'string' && checkCountry(out.country).ok ? out.country : undefined;
  for (const key of PHONE_FIELDS) {
    const raw = body[key];
    if (typeof raw !== 'string') continue;
    if (mode === 'update' && body.country === undefined && !isInternationalPhone(raw)) {
      if (!/^[0-9+()./\s-]+$/.test(raw)) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'must be a phone number' });
      }
      continue;
    }
    const checked = checkPhone(raw, country ?? DEFAULT_PHONE_REGION);
    if (checked.ok) out[key] = checked.value;
    else ctx.addIssue({ code: 'custom', path: [key], message: checked.message });
  }
  if (body.customFields && typeof body.customFields === 'object' && mode === 'create') {
    out.customFields = Object.fromEntries(Object.entries(body.customFields).filter(([, v]) => v !== null));
  }
  return out as T;
}

/** Whether a contact has something that says who it is. */
export function identifiesSomeone(c: {
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  mobile?: string | null | undefined;
  companyId?: string | null | undefined;
}): boolean {
  return Boolean(c.firstName || c.lastName || c.email || c.phone || c.mobile || c.companyId);
}
export const IDENTIFY_MESSAGE = 'give a name, an email address, a phone number or a company';

function createContactBody<S extends Partial<typeof contactShape>>(shape: S) {
  return z.object(shape).transform((body, ctx) => {
    const out = normaliseBody(body, ctx, 'create');
    if (!identifiesSomeone(out as Parameters<typeof identifiesSomeone>[0]))
      ctx.addIssue({ code: 'custom', path: ['lastName'], message: IDENTIFY_MESSAGE });
    return out;
  });
}
export const createContactSchema = createContactBody(contactShape);
export type CreateContactInput = z.output<typeof createContactSchema>;
export type ContactFieldName = keyof typeof contactShape;

const createSchemaByFields = new Map<string, z.ZodType<CreateContactInput>>();

/**
 * `createContactSchema` limited to the given fields (and always tags, custom fields and the
 * language): the same rules and messages for the fields a caller fills, without checking two
 * dozen absent ones every time (the public form POST). Other keys of the input are dropped.
 */
export function createContactSchemaFor(fields: readonly ContactFieldName[]): z.ZodType<CreateContactInput> {
  const key = [...fields].sort().join(',');
  let schema = createSchemaByFields.get(key);
  if (!schema) {
    // In contactShape's order, so the issues come in the same order as the full schema's.
    const wanted = new Set<string>([...fields, 'tags', 'customFields', 'language']);
    const shape = Object.fromEntries(
      Object.entries(contactShape).filter(([name]) => wanted.has(name)),
    ) as Partial<typeof contactShape>;
    schema = createContactBody(shape) as unknown as z.ZodType<CreateContactInput>;
    // The field sets of the forms in use: a few dozen; a bound all the same.
    if (createSchemaByFields.size >= 1000) createSchemaByFields.clear();
    createSchemaByFields.set(key, schema);
  }
  return schema;
}

/** Whether a name is a field of a person (contactShape). */
export function isContactField(name: string): name is ContactFieldName {
  return Object.hasOwn(contactShape, name);
}

export const updateContactSchema = z
  .object(contactShape)
  .transform((body, ctx) => normaliseBody(body, ctx, 'update'));
export type UpdateContactInput = z.output<typeof updateContactSchema>;

export const createCompanySchema = z
  .object(companyShape)
  .transform((body, ctx) => normaliseBody(body, ctx, 'create'));
export type CreateCompanyInput = z.output<typeof createCompanySchema>;

export const updateCompanySchema = z
  .object({ ...companyShape, name: companyShape.name.optional() })
  .transform((body, ctx) => normaliseBody(body, ctx, 'update'));
export type UpdateCompanyInput = z.output<typeof updateCompanySchema>;

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

/** Most results a search answers with (ranked, one page). */
export const SEARCH_LIMIT = 50;

const tagFilter = z
  .union([z.string().trim().min(1).max(100), z.array(z.string().trim().min(1).max(100)).max(10)])
  .optional()
  .transform((v) => (v === undefined ? [] : typeof v === 'string' ? [v] : v))
  .describe('Only records with this tag (by name); repeat for records with all of several tags.');

const searchQuery = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((v) => v || undefined)
  .describe(
    `Search: names, company, email, phone, city; accent-, umlaut- and typo-tolerant. Ranked; at most ${SEARCH_LIMIT} results, no further pages.`,
  );

export const listContactsQuerySchema = listQuerySchema.extend({
  q: searchQuery,
  tag: tagFilter,
  companyId: z.uuid().optional().describe('Only the persons of this company'),
});
export type ListContactsQuery = z.output<typeof listContactsQuerySchema>;

export const listCompaniesQuerySchema = listQuerySchema.extend({ q: searchQuery, tag: tagFilter });
export type ListCompaniesQuery = z.output<typeof listCompaniesQuerySchema>;

export const idParams = z.object({ id: z.uuid() });

// ---------------------------------------------------------------------------------------------
// Responses. Personal fields are strings or null: field access may mask a value (`DE89 ****`)
// or hide it (null) — see CONTACT_FIELD_CATEGORIES and modules/privacy presentFields().
// ---------------------------------------------------------------------------------------------

const personal = z.string().nullable();
const customFieldsOut = z
  .record(z.string(), customFieldValueSchema)
  .nullable()
  .describe(
    "By key. Each field has its own data category: a field the reader's field access hides is left out, a masked one reads as a masked string ('***').",
  );

export const contactSchema = z.object({
  id: z.uuid(),
  salutation: personal,
  firstName: personal,
  lastName: personal,
  companyId: z.uuid().nullable(),
  companyName: z.string().nullable(),
  street: personal,
  addressLine1: personal,
  addressLine2: personal,
  postalCode: personal,
  city: personal,
  region: personal,
  country: personal,
  email: personal,
  language: z.string().nullable(),
  phone: personal,
  fax: personal,
  mobile: personal,
  website: personal,
  birthday: personal,
  iban: personal,
  bic: personal,
  paymentMethod: personal,
  accountHolder: personal,
  vatId: personal,
  notes: personal,
  tags: z.array(z.string()),
  customFields: customFieldsOut,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const companySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  street: personal,
  addressLine1: personal,
  addressLine2: personal,
  postalCode: personal,
  city: personal,
  region: personal,
  country: personal,
  email: personal,
  phone: personal,
  website: personal,
  vatId: personal,
  tags: z.array(z.string()),
  customFields: customFieldsOut,
  contactCount: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const tagSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  contactCount: z.number().int(),
  companyCount: z.number().int(),
  createdAt: z.iso.datetime(),
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** A contact as the service hands it out, before field access is applied. */
export type Contact = {
  id: string;
  salutation: string | null;
  firstName: string | null;
  lastName: string | null;
  companyId: string | null;
  companyName: string | null;
  street: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  postalCode: string | null;
  city: string | null;
  region: string | null;
  country: string | null;
  email: string | null;
  language: string | null;
  phone: string | null;
  fax: string | null;
  mobile: string | null;
  website: string | null;
  birthday: string | null;
  iban: string | null;
  bic: string | null;
  paymentMethod: string | null;
  accountHolder: string | null;
  vatId: string | null;
  notes: string | null;
  tags: string[];
  customFields: CustomFields;
  createdAt: string;
  updatedAt: string;
};

export type Company = {
  id: string;
  name: string;
  street: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  postalCode: string | null;
  city: string | null;
  region: string | null;
  country: string | null;
  email: string | null;
  phone: string | null;
  website: string | null;
  vatId: string | null;
  tags: string[];
  customFields: CustomFields;
  contactCount: number;
  createdAt: string;
  updatedAt: string;
};

export type Tag = z.infer<typeof tagSchema>;

/** The data category of each personal field of a contact (field access, compliance rules). */
export const CONTACT_FIELD_CATEGORIES = {
  salutation: 'identity',
  firstName: 'identity',
  lastName: 'identity',
  email: 'contact_details',
  phone: 'contact_details',
  fax: 'contact_details',
  mobile: 'contact_details',
  website: 'contact_details',
  street: 'address',
  addressLine1: 'address',
  addressLine2: 'address',
  postalCode: 'address',
  city: 'address',
  region: 'address',
  country: 'address',
  iban: 'billing',
  bic: 'billing',
  paymentMethod: 'billing',
  accountHolder: 'billing',
  vatId: 'billing',
  birthday: 'birthday',
  notes: 'notes',
  // Each custom field has its own category (its definition's dataCategory, passed to
  // presentFields() per key); 'custom' is for keys without a definition.
  customFields: 'custom',
} as const satisfies { [K in keyof Contact]?: DataCategory };

/** A company's name is not personal data; its contact details, address and VAT id may be. */
export const COMPANY_FIELD_CATEGORIES = {
  email: 'contact_details',
  phone: 'contact_details',
  website: 'contact_details',
  street: 'address',
  addressLine1: 'address',
  addressLine2: 'address',
  postalCode: 'address',
  city: 'address',
  region: 'address',
  country: 'address',
  vatId: 'billing',
  customFields: 'custom',
} as const satisfies { [K in keyof Company]?: DataCategory };

/** The stored custom fields, parsed as everything read from a JSON column is. */
export const storedCustomFieldsSchema = z.record(z.string(), customFieldValueSchema);
