import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import type { ErrorDetail } from '../../kernel/errors.ts';
import { type CreateContactInput, createContactSchema } from './contacts.schema.ts';
import type { CustomFields, CustomFieldValue } from './contacts.tables.ts';
import type { CustomFieldDefinition } from './custom-fields/custom-fields.schema.ts';
import {
  assertUniqueValues,
  definitionsForWrite,
  listDefinitions,
} from './custom-fields/custom-fields.service.ts';
import { checkCustomFields } from './custom-fields/custom-fields.values.ts';

/**
 * Many contacts at once, for the import (modules/imports): each row is checked by the rules of
 * `POST /api/v1/contacts` (prepareContactRow, pure, so the caller can check the next batch while
 * the database writes this one), then written set-based (importContacts: one statement per kind
 * of write, whatever the batch size). One bad row never fails the batch: it comes back as a
 * `failed` outcome naming each bad field.
 */

/**
 * An array parameter as PostgreSQL array text (`{"a",NULL}`): the embedded database's driver
 * sends a JS array as `a,b`, so arrays go as text and are cast in SQL (`::text[]`, `::uuid[]` …).
 */
function arrayParam(values: readonly (string | number | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    if (v === null || v === undefined) {
      out += 'NULL';
      continue;
    }
    const text = String(v);
    out += `"${text.includes('"') || text.includes('\\') ? text.replace(/[\\"]/g, (c) => `\\${c}`) : text}"`;
  }
  return `${out}}`;
}

/** The standard fields an import writes, with their column and SQL type (for unnest()). */
const COLUMNS = [
  ['salutation', 'salutation', 'text'],
  ['firstName', 'first_name', 'text'],
  ['lastName', 'last_name', 'text'],
  ['companyId', 'company_id', 'uuid'],
  ['street', 'street', 'text'],
  ['addressLine1', 'address_line1', 'text'],
  ['addressLine2', 'address_line2', 'text'],
  ['postalCode', 'postal_code', 'text'],
  ['city', 'city', 'text'],
  ['region', 'region', 'text'],
  ['country', 'country', 'text'],
  ['email', 'email', 'text'],
  ['language', 'language', 'text'],
  ['phone', 'phone', 'text'],
  ['fax', 'fax', 'text'],
  ['mobile', 'mobile', 'text'],
  ['website', 'website', 'text'],
  ['birthday', 'birthday', 'date'],
  ['iban', 'iban', 'text'],
  ['bic', 'bic', 'text'],
  ['paymentMethod', 'payment_method', 'text'],
  ['accountHolder', 'account_holder', 'text'],
  ['vatId', 'vat_id', 'text'],
  ['notes', 'notes', 'text'],
] as const satisfies readonly (readonly [keyof CreateContactInput, string, 'text' | 'uuid' | 'date'])[];

type FieldName = (typeof COLUMNS)[number][0];

/** A contact field a file column can fill (not the company id, not tags, not custom fields). */
export type ImportableContactField = Exclude<FieldName, 'companyId'>;
export const IMPORTABLE_CONTACT_FIELDS: readonly ImportableContactField[] = COLUMNS.map(
  ([name]) => name,
).filter((name): name is ImportableContactField => name !== 'companyId');

/** The custom fields of contacts, to map columns to and to prepare rows with. */
export function contactCustomFields(tx: TenantTx): Promise<CustomFieldDefinition[]> {
  return listDefinitions(tx, 'contact');
}

export type ContactFieldValues = { [K in FieldName]: string | null };

/** A row that passed the rules, normalised as the API stores it. Made by prepareContactRow only. */
export type PreparedContact = {
  readonly ref: number;
  readonly fields: Readonly<ContactFieldValues>;
  readonly tags: readonly string[];
  readonly customFields: Readonly<CustomFields>;
  /** Keys of required custom fields the row leaves empty: fine for an update, not for a new contact. */
  readonly missingRequired: readonly string[];
};

export type PreparedRow =
  | { ok: true; row: PreparedContact }
  | { ok: false; ref: number; errors: ErrorDetail[] };

/**
 * Checks one row as `POST /api/v1/contacts` checks a body (the same schema: email, E.164 phone
 * numbers read in the row's country, IBAN, BIC, VAT, country, language, birthday, website, …)
 * and its custom fields against their definitions (types and formats; required fields are
 * judged by importContacts, which knows whether the row creates a contact). `ref` is the caller's
 * reference (a row number), handed back in the outcome.
 */
export function prepareContactRow(
  ref: number,
  body: Readonly<Record<string, unknown>>,
  definitions: readonly CustomFieldDefinition[],
): PreparedRow {
  const { customFields, ...standard } = body;
  const parsed = createContactSchema.safeParse(standard);
  const errors: ErrorDetail[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(row)', message: i.message }));
  const custom = checkCustomFields(definitions, 'contact', customFields ?? {}, 'update');
  errors.push(...custom.errors);
  if (!parsed.success || errors.length > 0) return { ok: false, ref, errors };
  const values = (custom.values ?? {}) as Record<string, CustomFieldValue | null>;
  const customValues: CustomFields = {};
  for (const [key, value] of Object.entries(values)) if (value !== null) customValues[key] = value;
  const data = parsed.data;
  const fields = {} as ContactFieldValues;
  for (const [name] of COLUMNS) fields[name] = data[name] ?? null;
  return {
    ok: true,
    row: {
      ref,
      fields,
      tags: data.tags ?? [],
      customFields: customValues,
      missingRequired: requiredMissing(definitions, customValues),
    },
  };
}

function requiredMissing(definitions: readonly CustomFieldDefinition[], values: CustomFields): string[] {
  return definitions.filter((d) => d.required && values[d.key] === undefined).map((d) => d.key);
}

export type ImportDedupe = 'update' | 'skip' | 'create';

export type ImportContactsOptions = {
  /**
   * Rows whose email address a contact already has (or an earlier row of the same import):
   * `update` fills that contact with the row's values (empty cells keep what is stored, tags
   * are added), `skip` leaves it alone, `create` adds another contact anyway.
   */
  dedupe: ImportDedupe;
  /** The custom-field definitions the rows were prepared with. */
  definitions: readonly CustomFieldDefinition[];
};

export type ImportOutcome =
  | { ref: number; outcome: 'created' | 'updated' | 'skipped'; contactId: string }
  | { ref: number; outcome: 'failed'; errors: ErrorDetail[] };

export type ImportBatchResult = {
  outcomes: ImportOutcome[];
  /** Names of the fields written (custom fields by key): what the batch's audit entry lists. */
  fields: string[];
};

/** Who the rows are imported for: their tenant and, for a user limited to groups, those tags. */
export type ImportPrincipal = { tenantId: string; contactScope: readonly string[] | null };

type Draft = {
  id: string;
  fields: ContactFieldValues;
  tags: Map<string, string>;
  customFields: CustomFields;
};

/**
 * Writes a batch of prepared rows in the caller's transaction: new contacts with one
 * INSERT … SELECT FROM unnest(…), updates (dedupe `update`) with one UPDATE … FROM unnest(…),
 * tags with three statements. Rows are taken in order, so a later row with the same email
 * follows the dedupe mode against the earlier one, in this batch as in committed ones.
 * Rows the database would refuse are failed beforehand (a company that does not exist, a
 * required custom field missing on a new contact, a unique custom field's value taken, a new
 * contact outside the user's groups). Audit entries are the caller's (one per batch).
 */
export async function importContacts(
  tx: TenantTx,
  principal: ImportPrincipal,
  rows: readonly PreparedContact[],
  options: ImportContactsOptions,
): Promise<ImportBatchResult> {
  const outcomes = new Map<number, ImportOutcome>();
  const definitions = await definitionsForWrite(tx, 'contact');
  const changed = JSON.stringify(definitions) !== JSON.stringify(options.definitions);
  const existing = options.dedupe === 'create' ? new Map<string, string>() : await contactsByEmail(tx, rows);
  const companies = await existingCompanies(tx, rows);
  const scope = principal.contactScope ? new Set(principal.contactScope.map((t) => t.toLowerCase())) : null;

  const inserts = new Map<string, Draft>();
  const updates = new Map<string, Draft>();
  /** Email (lower case) → the contact this batch creates or updates for it. */
  const seen = new Map<string, string>();
  /** `<key>=<value>` of unique custom fields → the contact of this batch that holds it. */
  const claimed = new Map<string, string>();
  const fields = new Set<string>();

  for (const prepared of rows) {
    let row = prepared;
    if (changed) {
      // A definition changed since the rows were checked: check their values again.
      const custom = checkCustomFields(definitions, 'contact', row.customFields, 'update');
      if (custom.errors.length > 0) {
        outcomes.set(row.ref, { ref: row.ref, outcome: 'failed', errors: custom.errors });
        continue;
      }
      const values = (custom.values ?? {}) as CustomFields;
      row = { ...row, customFields: values, missingRequired: requiredMissing(definitions, values) };
    }
    const errors: ErrorDetail[] = [];
    if (row.fields.companyId && !companies.has(row.fields.companyId.toLowerCase())) {
      errors.push({ path: 'companyId', message: 'there is no such company' });
    }
    const key = options.dedupe === 'create' ? undefined : row.fields.email?.toLowerCase();
    const target = key === undefined ? undefined : (seen.get(key) ?? existing.get(key));
    if (target !== undefined && errors.length === 0) {
      if (options.dedupe === 'skip') {
        outcomes.set(row.ref, { ref: row.ref, outcome: 'skipped', contactId: target });
        continue;
      }
      const uniqueErrors = [
        ...claimedElsewhere(definitions, row.customFields, target, claimed),
        ...(await takenUniqueValues(tx, definitions, row.customFields, target)),
      ];
      if (uniqueErrors.length > 0) {
        outcomes.set(row.ref, { ref: row.ref, outcome: 'failed', errors: uniqueErrors });
        continue;
      }
      const draft = inserts.get(target) ?? updates.get(target) ?? emptyDraft(target);
      if (!inserts.has(target)) updates.set(target, draft);
      merge(draft, row, fields);
      claim(definitions, row.customFields, target, claimed);
      outcomes.set(row.ref, { ref: row.ref, outcome: 'updated', contactId: target });
      continue;
    }
    for (const missing of row.missingRequired) {
      errors.push({ path: `customFields.${missing}`, message: 'is required' });
    }
    if (scope && !row.tags.some((t) => scope.has(t.toLowerCase()))) {
      errors.push({
        path: 'tags',
        message: `must include one of: ${(principal.contactScope ?? []).join(', ')}`,
      });
    }
    const id = randomUUID();
    errors.push(...claimedElsewhere(definitions, row.customFields, id, claimed));
    if (errors.length === 0)
      errors.push(...(await takenUniqueValues(tx, definitions, row.customFields, undefined)));
    if (errors.length > 0) {
      outcomes.set(row.ref, { ref: row.ref, outcome: 'failed', errors });
      continue;
    }
    const draft = emptyDraft(id);
    merge(draft, row, fields);
    claim(definitions, row.customFields, id, claimed);
    inserts.set(draft.id, draft);
    if (key !== undefined) seen.set(key, draft.id);
    outcomes.set(row.ref, { ref: row.ref, outcome: 'created', contactId: draft.id });
  }

  await insertDrafts(tx, principal.tenantId, [...inserts.values()]);
  await updateDrafts(tx, [...updates.values()]);
  await linkTags(tx, principal.tenantId, [...inserts.values(), ...updates.values()]);
  return {
    outcomes: rows.map((r) => outcomes.get(r.ref) as ImportOutcome),
    fields: [...fields].sort(),
  };
}

function emptyDraft(id: string): Draft {
  const fields = {} as ContactFieldValues;
  for (const [name] of COLUMNS) fields[name] = null;
  return { id, fields, tags: new Map(), customFields: {} };
}

/** A later row's values win over an earlier one's; empty values keep what is there; tags add up. */
function merge(draft: Draft, row: PreparedContact, written: Set<string>): void {
  for (const [name] of COLUMNS) {
    const value = row.fields[name];
    if (value === null) continue;
    draft.fields[name] = value;
    written.add(name);
  }
  for (const tag of row.tags) {
    if (!draft.tags.has(tag.toLowerCase())) draft.tags.set(tag.toLowerCase(), tag);
    written.add('tags');
  }
  for (const [key, value] of Object.entries(row.customFields)) {
    draft.customFields[key] = value;
    written.add(`customFields.${key}`);
  }
}

/** The oldest contact the principal sees for each email address of the rows, by lower-case address. */
async function contactsByEmail(tx: TenantTx, rows: readonly PreparedContact[]): Promise<Map<string, string>> {
  const emails = [...new Set(rows.flatMap((r) => (r.fields.email ? [r.fields.email.toLowerCase()] : [])))];
  if (emails.length === 0) return new Map();
  // Through a function that filters by tenant and scope itself: under row-level security the
  // (tenant_id, email) index cannot serve citext's (not LEAKPROOF) equality. See the migration.
  const { rows: found } = await sql<{ key: string; id: string }>`
    select email_key as key, contact_id as id from kontor_contacts_by_email(${arrayParam(emails)}::text[])`.execute(
    tx,
  );
  return new Map(found.map((f) => [f.key, f.id]));
}

async function existingCompanies(tx: TenantTx, rows: readonly PreparedContact[]): Promise<Set<string>> {
  const ids = [
    ...new Set(rows.flatMap((r) => (r.fields.companyId ? [r.fields.companyId.toLowerCase()] : []))),
  ];
  if (ids.length === 0) return new Set();
  const { rows: found } = await sql<{ id: string }>`
    select id from company where id = any(${arrayParam(ids)}::uuid[])`.execute(tx);
  return new Set(found.map((f) => f.id.toLowerCase()));
}

function uniqueKeys(definitions: readonly CustomFieldDefinition[], values: CustomFields): [string, string][] {
  return definitions.flatMap((d) => {
    const value = values[d.key];
    return d.unique && value !== undefined
      ? [[d.key, `${d.key}=${JSON.stringify(value)}`] as [string, string]]
      : [];
  });
}

/** Values of unique custom fields an earlier row of this batch gave another contact. */
function claimedElsewhere(
  definitions: readonly CustomFieldDefinition[],
  values: CustomFields,
  contactId: string,
  claimed: ReadonlyMap<string, string>,
): ErrorDetail[] {
  return uniqueKeys(definitions, values).flatMap(([key, claim]) => {
    const holder = claimed.get(claim);
    return holder !== undefined && holder !== contactId
      ? [{ path: `customFields.${key}`, message: 'is already the value of another record' }]
      : [];
  });
}

function claim(
  definitions: readonly CustomFieldDefinition[],
  values: CustomFields,
  contactId: string,
  claimed: Map<string, string>,
): void {
  for (const [, key] of uniqueKeys(definitions, values)) claimed.set(key, contactId);
}

/** Values of unique custom fields that another contact holds already, as the API refuses them. */
async function takenUniqueValues(
  tx: TenantTx,
  definitions: readonly CustomFieldDefinition[],
  values: CustomFields,
  contactId: string | undefined,
): Promise<ErrorDetail[]> {
  if (!definitions.some((d) => d.unique && values[d.key] !== undefined)) return [];
  try {
    await assertUniqueValues(tx, definitions, values, contactId);
    return [];
  } catch (error) {
    const details = (error as { details?: ErrorDetail[] }).details;
    if (!Array.isArray(details)) throw error;
    return details;
  }
}

function columnArrays(drafts: readonly Draft[]) {
  return COLUMNS.map(
    ([name, , type]) => sql`${arrayParam(drafts.map((d) => d.fields[name]))}::${sql.raw(type)}[]`,
  );
}

async function insertDrafts(tx: TenantTx, tenantId: string, drafts: readonly Draft[]): Promise<void> {
  if (drafts.length === 0) return;
  // No RETURNING: a new contact of a user limited to groups is readable only once tagged.
  await sql`
    insert into contact (id, tenant_id, ${sql.join(COLUMNS.map(([, column]) => sql.ref(column)))}, custom_fields)
    select v.id, ${tenantId}::uuid, ${sql.join(COLUMNS.map(([, column]) => sql.ref(`v.${column}`)))}, v.custom_fields::jsonb
    from unnest(
      ${arrayParam(drafts.map((d) => d.id))}::uuid[],
      ${sql.join(columnArrays(drafts))},
      ${arrayParam(drafts.map((d) => JSON.stringify(d.customFields)))}::text[]
    ) as v (id, ${sql.join(COLUMNS.map(([, column]) => sql.ref(column)))}, custom_fields)`.execute(tx);
}

async function updateDrafts(tx: TenantTx, drafts: readonly Draft[]): Promise<void> {
  if (drafts.length === 0) return;
  const sets = COLUMNS.map(
    ([, column]) => sql`${sql.ref(column)} = coalesce(${sql.ref(`v.${column}`)}, ${sql.ref(`c.${column}`)})`,
  );
  await sql`
    update contact as c
    set ${sql.join(sets)}, custom_fields = c.custom_fields || v.custom_fields::jsonb, updated_at = now()
    from unnest(
      ${arrayParam(drafts.map((d) => d.id))}::uuid[],
      ${sql.join(columnArrays(drafts))},
      ${arrayParam(drafts.map((d) => JSON.stringify(d.customFields)))}::text[]
    ) as v (id, ${sql.join(COLUMNS.map(([, column]) => sql.ref(column)))}, custom_fields)
    where c.id = v.id`.execute(tx);
}

/** Creates the tags no contact had yet, then links each contact to its tags (existing links stay). */
async function linkTags(tx: TenantTx, tenantId: string, drafts: readonly Draft[]): Promise<void> {
  const names = new Map<string, string>();
  for (const d of drafts) for (const [key, name] of d.tags) if (!names.has(key)) names.set(key, name);
  if (names.size === 0) return;
  const spelled = [...names.values()];
  await sql`
    insert into tag (tenant_id, name) select ${tenantId}::uuid, n from unnest(${arrayParam(spelled)}::text[]) as n
    on conflict (tenant_id, name) do nothing`.execute(tx);
  const { rows: tags } = await sql<{ id: string; name: string }>`
    select id, name::text as name from tag where name = any(${arrayParam(spelled)}::citext[])`.execute(tx);
  const idByKey = new Map(tags.map((t) => [t.name.toLowerCase(), t.id]));
  const contactIds: string[] = [];
  const tagIds: string[] = [];
  for (const d of drafts) {
    for (const key of d.tags.keys()) {
      const tagId = idByKey.get(key);
      if (tagId === undefined) throw new Error('a tag of the import was not found after it was created');
      contactIds.push(d.id);
      tagIds.push(tagId);
    }
  }
  await sql`
    insert into contact_tag (tenant_id, contact_id, tag_id)
    select ${tenantId}::uuid, v.contact_id, v.tag_id
    from unnest(${arrayParam(contactIds)}::uuid[], ${arrayParam(tagIds)}::uuid[]) as v (contact_id, tag_id)
    on conflict (tenant_id, contact_id, tag_id) do nothing`.execute(tx);
}
