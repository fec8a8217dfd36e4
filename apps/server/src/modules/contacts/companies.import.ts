import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import type { ErrorDetail } from '../../kernel/errors.ts';
import type { Principal } from '../../kernel/http/auth.ts';
import { auditManyBy } from '../audit/index.ts';
import { contactsError } from './contacts.errors.ts';
import { type CreateCompanyInput, createCompanySchema } from './contacts.schema.ts';
import type { CustomFields } from './contacts.tables.ts';
import type { CustomFieldDefinition } from './custom-fields/custom-fields.schema.ts';
import { definitionsForWrite, uniqueViolationOf } from './custom-fields/custom-fields.service.ts';
import { checkCustomFields } from './custom-fields/custom-fields.values.ts';

/**
 * Many new companies at once (the demo data; later a company import): each body is checked by
 * the rules of `POST /api/v1/companies` and its custom fields against their definitions, then
 * all are written with one INSERT … SELECT FROM unnest(…), their tags with three statements and
 * their audit entries (`company.created`, field names only, one per company) with one — where
 * createCompany() costs about ten statements per company. All or nothing: any bad body refuses
 * the whole call (CONTACTS_INVALID_FIELDS, paths `<index>.<field>`), and a unique custom field's
 * value another record holds fails the statement (the unique index decides; the same 409 as
 * POST).
 */

/** An array parameter as PostgreSQL array text (see contacts.import.ts: PGlite sends arrays as `a,b`). */
function arrayParam(values: readonly (string | null)[]): string {
  return `{${values
    .map((v) => (v === null ? 'NULL' : `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`))
    .join(',')}}`;
}

const COLUMNS = [
  ['name', 'name'],
  ['street', 'street'],
  ['addressLine1', 'address_line1'],
  ['addressLine2', 'address_line2'],
  ['postalCode', 'postal_code'],
  ['city', 'city'],
  ['region', 'region'],
  ['country', 'country'],
  ['email', 'email'],
  ['phone', 'phone'],
  ['website', 'website'],
  ['vatId', 'vat_id'],
] as const satisfies readonly (readonly [keyof CreateCompanyInput, string])[];

type Prepared = { id: string; input: CreateCompanyInput; customFields: CustomFields };

function check(bodies: readonly unknown[], definitions: readonly CustomFieldDefinition[]): Prepared[] {
  const errors: ErrorDetail[] = [];
  const prepared: Prepared[] = [];
  bodies.forEach((body, index) => {
    const { customFields, ...standard } = (body ?? {}) as Record<string, unknown>;
    const parsed = createCompanySchema.safeParse(standard);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        errors.push({ path: [index, ...issue.path].join('.'), message: issue.message });
    }
    const custom = checkCustomFields(definitions, 'company', customFields ?? {}, 'create');
    for (const e of custom.errors) errors.push({ path: `${index}.${e.path}`, message: e.message });
    if (parsed.success && custom.errors.length === 0) {
      prepared.push({
        id: randomUUID(),
        input: parsed.data,
        customFields: (custom.values ?? {}) as CustomFields,
      });
    }
  });
  if (errors.length > 0) {
    throw contactsError('CONTACTS_INVALID_FIELDS', 'Some companies are not valid; see errors.', errors);
  }
  return prepared;
}

/** Creates the companies in the caller's transaction and answers their ids, in order. */
export async function createCompanies(
  tx: TenantTx,
  principal: Principal,
  bodies: readonly unknown[],
): Promise<string[]> {
  if (bodies.length === 0) return [];
  const definitions = await definitionsForWrite(tx, 'company');
  const rows = check(bodies, definitions);
  try {
    await sql`
      insert into company (id, tenant_id, ${sql.join(COLUMNS.map(([, column]) => sql.ref(column)))}, custom_fields)
      select v.id, ${principal.tenantId}::uuid, ${sql.join(COLUMNS.map(([, column]) => sql.ref(`v.${column}`)))}, v.custom_fields::jsonb
      from unnest(
        ${arrayParam(rows.map((r) => r.id))}::uuid[],
        ${sql.join(COLUMNS.map(([name]) => sql`${arrayParam(rows.map((r) => r.input[name] ?? null))}::text[]`))},
        ${arrayParam(rows.map((r) => JSON.stringify(r.customFields)))}::text[]
      ) as v (id, ${sql.join(COLUMNS.map(([, column]) => sql.ref(column)))}, custom_fields)`.execute(tx);
  } catch (error) {
    throw uniqueViolationOf(error, definitions) ?? error;
  }
  await linkTags(tx, principal.tenantId, rows);
  await auditManyBy(
    tx,
    principal,
    rows.map((r) => ({
      action: 'company.created',
      entityType: 'company',
      entityId: r.id,
      changes: { kind: 'personal-data' as const, fields: filled(r) },
    })),
  );
  return rows.map((r) => r.id);
}

/** The names of the fields a new company holds, as createCompany() audits them. */
function filled(row: Prepared): string[] {
  const fields: string[] = COLUMNS.filter(([name]) => row.input[name] != null).map(([name]) => name);
  if ((row.input.tags ?? []).length > 0) fields.push('tags');
  fields.push(...Object.keys(row.customFields).map((k) => `customFields.${k}`));
  return fields;
}

async function linkTags(tx: TenantTx, tenantId: string, rows: readonly Prepared[]): Promise<void> {
  const names = new Map<string, string>();
  for (const r of rows)
    for (const n of r.input.tags ?? []) if (!names.has(n.toLowerCase())) names.set(n.toLowerCase(), n);
  if (names.size === 0) return;
  const spelled = [...names.values()];
  await sql`
    insert into tag (tenant_id, name) select ${tenantId}::uuid, n from unnest(${arrayParam(spelled)}::text[]) as n
    on conflict (tenant_id, name) do nothing`.execute(tx);
  const { rows: tags } = await sql<{ id: string; name: string }>`
    select id, name::text as name from tag where name = any(${arrayParam(spelled)}::citext[])`.execute(tx);
  const idByKey = new Map(tags.map((t) => [t.name.toLowerCase(), t.id]));
  const companyIds: string[] = [];
  const tagIds: string[] = [];
  for (const r of rows) {
    for (const n of r.input.tags ?? []) {
      const tagId = idByKey.get(n.toLowerCase());
      if (tagId === undefined)
        throw new Error('a tag of the new companies was not found after it was created');
      companyIds.push(r.id);
      tagIds.push(tagId);
    }
  }
  await sql`
    insert into company_tag (tenant_id, company_id, tag_id)
    select ${tenantId}::uuid, v.company_id, v.tag_id
    from unnest(${arrayParam(companyIds)}::uuid[], ${arrayParam(tagIds)}::uuid[]) as v (company_id, tag_id)
    on conflict (tenant_id, company_id, tag_id) do nothing`.execute(tx);
}
