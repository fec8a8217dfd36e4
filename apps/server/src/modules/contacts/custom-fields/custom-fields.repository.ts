import { type RawBuilder, type SqlBool, sql, type Updateable } from 'kysely';
import type { TenantTx } from '../../../kernel/db/tenancy.ts';
import type { CustomFieldObjectType, CustomFieldType } from './custom-fields.schema.ts';
import type { CustomFieldTable } from './custom-fields.tables.ts';

/**
 * Kysely only, no rules. Row-level security limits every query to the transaction's tenant.
 * `custom_field_value` is written by the triggers of contact and company alone (see the
 * migration); here it is only read, and its unique flag switched.
 */

function selectFields(tx: TenantTx) {
  return tx.selectFrom('customField').select([
    'customField.id',
    'customField.objectType',
    'customField.key',
    'customField.label',
    // As text: the CamelCasePlugin would rename keys inside jsonb values.
    sql<string>`custom_field.labels::text`.as('labels'),
    'customField.type',
    sql<string>`custom_field.options::text`.as('options'),
    'customField.required',
    'customField.isUnique',
    'customField.dataCategory',
    'customField.position',
    'customField.createdAt',
    'customField.updatedAt',
  ]);
}

export type FieldRow = Awaited<ReturnType<ReturnType<typeof selectFields>['execute']>>[number];

/** In form order. `lock`: FOR KEY SHARE, which waits for a definition change in progress. */
export async function listFields(
  tx: TenantTx,
  objectType?: CustomFieldObjectType,
  options: { lock?: boolean } = {},
): Promise<FieldRow[]> {
  let query = selectFields(tx)
    .orderBy('customField.objectType')
    .orderBy('customField.position')
    .orderBy('customField.key');
  if (objectType) query = query.where('customField.objectType', '=', objectType);
  if (options.lock) query = query.forKeyShare();
  return query.execute();
}

export async function findField(tx: TenantTx, id: string): Promise<FieldRow | undefined> {
  return selectFields(tx).where('customField.id', '=', id).executeTakeFirst();
}

/** Locks the field's row until the transaction ends: definition changes run one at a time. */
export async function lockField(tx: TenantTx, id: string): Promise<FieldRow | undefined> {
  return selectFields(tx).where('customField.id', '=', id).forUpdate().executeTakeFirst();
}

export async function countFields(tx: TenantTx, objectType: CustomFieldObjectType): Promise<number> {
  const row = await tx
    .selectFrom('customField')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('objectType', '=', objectType)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function keyTaken(
  tx: TenantTx,
  objectType: CustomFieldObjectType,
  key: string,
): Promise<boolean> {
  const row = await tx
    .selectFrom('customField')
    .select('id')
    .where('objectType', '=', objectType)
    .where('key', '=', key)
    .executeTakeFirst();
  return row !== undefined;
}

export async function nextPosition(tx: TenantTx, objectType: CustomFieldObjectType): Promise<number> {
  const row = await tx
    .selectFrom('customField')
    .select(sql<number>`coalesce(max(position) + 1, 0)::int`.as('next'))
    .where('objectType', '=', objectType)
    .executeTakeFirstOrThrow();
  return row.next;
}

export type FieldValues = {
  objectType: CustomFieldObjectType;
  key: string;
  label: string;
  labels: string;
  type: CustomFieldType;
  options: string;
  required: boolean;
  isUnique: boolean;
  dataCategory: string;
  position: number;
};

export async function insertField(tx: TenantTx, tenantId: string, values: FieldValues): Promise<string> {
  const row = await tx
    .insertInto('customField')
    .values({ ...values, tenantId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateField(
  tx: TenantTx,
  id: string,
  values: Omit<Updateable<CustomFieldTable>, 'updatedAt'>,
): Promise<void> {
  await tx
    .updateTable('customField')
    .set({ ...values, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export async function deleteField(tx: TenantTx, id: string): Promise<void> {
  await tx.deleteFrom('customField').where('id', '=', id).execute();
}

// ---------------------------------------------------------------------------------------------
// the value index
// ---------------------------------------------------------------------------------------------

/**
 * "This index row holds a value" for a field of the type, in the form of the partial index that
 * serves it (the planner uses a partial index only when the query implies its predicate).
 */
export function presentSql(type: CustomFieldType, alias = 'v'): RawBuilder<SqlBool> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  switch (type) {
    case 'text':
    case 'url':
    case 'email':
    case 'single_select':
    case 'multi_select':
      return sql<SqlBool>`${column('value_text')} is not null`;
    case 'number':
    case 'decimal':
      return sql<SqlBool>`${column('value_number')} is not null`;
    case 'date':
      return sql<SqlBool>`${column('value_date')} is not null`;
    case 'boolean':
      return sql<SqlBool>`${column('value_bool')} is not null`;
    case 'long_text':
      return sql<SqlBool>`(${column('value_text')} is null and ${column('value_number')} is null and ${column('value_date')} is null and ${column('value_bool')} is null)`;
  }
}

/** The ids of the records holding a value of the field, as a subquery (index only). */
function holders(field: { id: string; type: CustomFieldType }) {
  return sql`select v.record_id from custom_field_value v
    where v.field_id = ${field.id}::uuid and ${presentSql(field.type)}`;
}

/** How many records carry each of the given options. */
export async function optionUsage(
  tx: TenantTx,
  fieldId: string,
  values: readonly string[],
): Promise<Map<string, number>> {
  if (values.length === 0) return new Map();
  const { rows } = await sql<{ value: string; n: number }>`
    select v.value_text as value, count(*)::int as n from custom_field_value v
    where v.field_id = ${fieldId}::uuid
      and v.value_text in (${sql.join(values.map((value) => sql`${value}`))})
    group by v.value_text`.execute(tx);
  return new Map(rows.map((r) => [r.value, r.n]));
}

/** How many distinct values of the field more than one record holds (unique would fail). */
export async function repeatedValues(
  tx: TenantTx,
  field: { id: string; type: CustomFieldType },
): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from (
      select 1 from custom_field_value v
      where v.field_id = ${field.id}::uuid and ${presentSql(field.type)}
      group by v.value_text, v.value_number, v.value_date
      having count(*) > 1
    ) repeated`.execute(tx);
  return rows[0]?.n ?? 0;
}

/** Marks the field's index rows unique or not; unique rows meet the unique indexes. */
export async function setValuesUnique(tx: TenantTx, fieldId: string, unique: boolean): Promise<void> {
  await sql`update custom_field_value set is_unique = ${unique}
    where field_id = ${fieldId}::uuid and is_unique <> ${unique}`.execute(tx);
}

/** How many records hold a value of the field. */
export async function holderCount(
  tx: TenantTx,
  field: { id: string; type: CustomFieldType },
): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(distinct v.record_id)::int as n from custom_field_value v
    where v.field_id = ${field.id}::uuid and ${presentSql(field.type)}`.execute(tx);
  return rows[0]?.n ?? 0;
}

/**
 * Moves the value of every record from one key to another, in one statement (the triggers
 * re-index it under the field, which must already carry the new key). Returns the count.
 */
export async function moveKeyInRecords(
  tx: TenantTx,
  field: { id: string; type: CustomFieldType; objectType: CustomFieldObjectType },
  from: string,
  to: string,
): Promise<number> {
  const result = await sql`
    update ${sql.table(field.objectType)}
    set custom_fields = (custom_fields - ${from}::text) || jsonb_build_object(${to}::text, custom_fields -> ${from}::text)
    where id in (${holders(field)}) and custom_fields ? ${from}::text`.execute(tx);
  return Number(result.numAffectedRows ?? 0);
}

/** Removes the key from every record that has it (the triggers drop its index rows). */
export async function removeKeyFromRecords(
  tx: TenantTx,
  field: { id: string; type: CustomFieldType; objectType: CustomFieldObjectType; key: string },
): Promise<number> {
  const result = await sql`
    update ${sql.table(field.objectType)}
    set custom_fields = custom_fields - ${field.key}::text
    where id in (${holders(field)}) and custom_fields ? ${field.key}::text`.execute(tx);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * The condition under which an index row holds this value of a unique field (the typed column
 * and comparison the unique index is built on). Undefined for types that cannot be unique.
 */
export function sameValueSql(
  type: CustomFieldType,
  value: string | number,
  alias = 'v',
): RawBuilder<SqlBool> | undefined {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  switch (type) {
    case 'text':
    case 'url':
    case 'email':
      return sql<SqlBool>`${column('value_text')} = kontor_custom_text(${String(value)})`;
    case 'number':
    case 'decimal':
      return sql<SqlBool>`${column('value_number')} = ${String(value)}::double precision`;
    case 'date':
      return sql<SqlBool>`${column('value_date')} = ${String(value)}::date`;
    default:
      return undefined;
  }
}

/** Whether another record than `exceptRecordId` holds this value of the unique field. */
export async function valueHeldByAnother(
  tx: TenantTx,
  field: { id: string; type: CustomFieldType },
  value: string | number,
  exceptRecordId: string | undefined,
): Promise<boolean> {
  const same = sameValueSql(field.type, value);
  if (!same) return false;
  const { rows } = await sql<{ one: number }>`
    select 1 as one from custom_field_value v
    where v.field_id = ${field.id}::uuid and v.is_unique and ${same}
      ${exceptRecordId ? sql`and v.record_id <> ${exceptRecordId}::uuid` : sql``}
    limit 1`.execute(tx);
  return rows.length > 0;
}
