import { MAX_CUSTOM_FIELDS } from '@kontor/contracts';
import type { TenantTx } from '../../../kernel/db/tenancy.ts';
import type { AppError, ErrorDetail } from '../../../kernel/errors.ts';
import type { Principal } from '../../../kernel/http/auth.ts';
import { auditBy } from '../../audit/index.ts';
import type { DataCategory } from '../../privacy/index.ts';
import type { CustomFields, CustomFieldValue } from '../contacts.tables.ts';
import { customFieldsError } from './custom-fields.errors.ts';
import * as repo from './custom-fields.repository.ts';
import {
  type CreateCustomFieldInput,
  type CustomFieldDefinition,
  type CustomFieldObjectType,
  type CustomFieldOption,
  type CustomFieldType,
  isSelectType,
  mayBeUnique,
  storedLabelsSchema,
  storedOptionsSchema,
  type UpdateCustomFieldInput,
} from './custom-fields.schema.ts';
import { checkCustomFields } from './custom-fields.values.ts';

/**
 * Custom-field definitions (a tenant setting: every change audited with before and after) and
 * what the contact and company use cases need of them: checking values, unique values, and the
 * data category of each key. Each function runs in the caller's tenant transaction.
 */

function toDefinition(row: repo.FieldRow): CustomFieldDefinition {
  return {
    id: row.id,
    objectType: row.objectType as CustomFieldObjectType,
    key: row.key,
    label: row.label,
    labels: storedLabelsSchema.parse(JSON.parse(row.labels)),
    type: row.type as CustomFieldType,
    options: storedOptionsSchema.parse(JSON.parse(row.options)),
    required: row.required,
    unique: row.isUnique,
    dataCategory: row.dataCategory as CustomFieldDefinition['dataCategory'],
    position: row.position,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What the audit log keeps of a definition: everything but the timestamps. */
function settingOf(def: CustomFieldDefinition) {
  const { createdAt: _c, updatedAt: _u, ...setting } = def;
  return setting;
}

export async function listDefinitions(
  tx: TenantTx,
  objectType?: CustomFieldObjectType,
): Promise<CustomFieldDefinition[]> {
  return (await repo.listFields(tx, objectType)).map(toDefinition);
}

export async function getDefinition(tx: TenantTx, id: string): Promise<CustomFieldDefinition> {
  const row = await repo.findField(tx, id);
  if (!row) throw customFieldsError('CUSTOM_FIELDS_NOT_FOUND', 'There is no such custom field.');
  return toDefinition(row);
}

async function lockDefinition(tx: TenantTx, id: string): Promise<CustomFieldDefinition> {
  const row = await repo.lockField(tx, id);
  if (!row) throw customFieldsError('CUSTOM_FIELDS_NOT_FOUND', 'There is no such custom field.');
  return toDefinition(row);
}

function keyTakenError(objectType: CustomFieldObjectType, key: string): AppError {
  return customFieldsError(
    'CUSTOM_FIELDS_KEY_TAKEN',
    `Another custom field of ${objectType === 'contact' ? 'contacts' : 'companies'} has the key "${key}".`,
    [{ path: 'key', message: 'is taken' }],
  );
}

function isUniqueViolation(error: unknown, constraint: string | RegExp): boolean {
  const e = error as { code?: unknown; constraint?: unknown };
  if (e?.code !== '23505' || typeof e.constraint !== 'string') return false;
  return typeof constraint === 'string' ? e.constraint === constraint : constraint.test(e.constraint);
}

export async function createDefinition(
  tx: TenantTx,
  principal: Principal,
  input: CreateCustomFieldInput,
): Promise<CustomFieldDefinition> {
  if ((await repo.countFields(tx, input.objectType)) >= MAX_CUSTOM_FIELDS) {
    throw customFieldsError(
      'CUSTOM_FIELDS_LIMIT',
      `An object type has at most ${MAX_CUSTOM_FIELDS} custom fields; delete one first.`,
    );
  }
  if (await repo.keyTaken(tx, input.objectType, input.key)) throw keyTakenError(input.objectType, input.key);
  let id: string;
  try {
    id = await repo.insertField(tx, principal.tenantId, {
      objectType: input.objectType,
      key: input.key,
      label: input.label,
      labels: JSON.stringify(input.labels),
      type: input.type,
      options: JSON.stringify(input.options),
      required: input.required,
      isUnique: input.unique,
      dataCategory: input.dataCategory,
      position: input.position ?? (await repo.nextPosition(tx, input.objectType)),
    });
  } catch (error) {
    // Two creates of one key at once: the unique constraint decides.
    if (isUniqueViolation(error, 'custom_field_tenant_id_object_type_key_key')) {
      throw keyTakenError(input.objectType, input.key);
    }
    throw error;
  }
  const created = await getDefinition(tx, id);
  await auditBy(tx, principal, 'custom_field.created', 'custom_field', id, {
    kind: 'settings',
    before: null,
    after: settingOf(created),
  });
  return created;
}

/**
 * Changes what may change of a field: labels, options (add, relabel, reorder; an option records
 * still carry cannot be removed), required, unique (refused while values repeat), data category
 * and position. The key has its own use case (rename); the type and object type never change.
 */
export async function updateDefinition(
  tx: TenantTx,
  principal: Principal,
  id: string,
  patch: UpdateCustomFieldInput,
): Promise<CustomFieldDefinition> {
  const before = await lockDefinition(tx, id);
  const errors: ErrorDetail[] = [];
  if (patch.options !== undefined && !isSelectType(before.type)) {
    errors.push({ path: 'options', message: `a ${before.type} field has no options` });
  }
  if (patch.options !== undefined && isSelectType(before.type) && patch.options.length === 0) {
    errors.push({ path: 'options', message: 'a select field needs at least one option' });
  }
  if (patch.unique === true && !mayBeUnique(before.type)) {
    errors.push({ path: 'unique', message: `a ${before.type} field cannot be unique` });
  }
  if (errors.length > 0) {
    throw customFieldsError(
      'CUSTOM_FIELDS_INVALID',
      'This change does not fit the field; see errors.',
      errors,
    );
  }
  if (patch.options !== undefined) await assertOptionsRemovable(tx, before, patch.options);
  if (patch.unique === true && !before.unique) {
    const repeated = await repo.repeatedValues(tx, before);
    if (repeated > 0) throw valuesNotUnique(repeated);
  }

  const values = {
    ...(patch.label !== undefined ? { label: patch.label } : {}),
    ...(patch.labels !== undefined ? { labels: JSON.stringify(patch.labels) } : {}),
    ...(patch.options !== undefined ? { options: JSON.stringify(patch.options) } : {}),
    ...(patch.required !== undefined ? { required: patch.required } : {}),
    ...(patch.unique !== undefined ? { isUnique: patch.unique } : {}),
    ...(patch.dataCategory !== undefined ? { dataCategory: patch.dataCategory } : {}),
    ...(patch.position !== undefined ? { position: patch.position } : {}),
  };
  if (Object.keys(values).length === 0) return before;
  await repo.updateField(tx, id, values);
  if (patch.unique !== undefined && patch.unique !== before.unique) {
    try {
      await repo.setValuesUnique(tx, id, patch.unique);
    } catch (error) {
      if (isUniqueViolation(error, /^custom_field_value_unique_/)) throw valuesNotUnique(1);
      throw error;
    }
  }
  const after = await getDefinition(tx, id);
  if (JSON.stringify(settingOf(before)) !== JSON.stringify(settingOf(after))) {
    await auditBy(tx, principal, 'custom_field.updated', 'custom_field', id, {
      kind: 'settings',
      before: settingOf(before),
      after: settingOf(after),
    });
  }
  return after;
}

function valuesNotUnique(repeated: number): AppError {
  return customFieldsError(
    'CUSTOM_FIELDS_VALUES_NOT_UNIQUE',
    `${repeated} value(s) of this field are held by more than one record; make them unique first.`,
    [{ path: 'unique', message: 'the stored values repeat' }],
  );
}

/** Options removed from a select field must not be carried by any record (409 naming each). */
async function assertOptionsRemovable(
  tx: TenantTx,
  before: CustomFieldDefinition,
  options: readonly CustomFieldOption[],
): Promise<void> {
  const kept = new Set(options.map((o) => o.value));
  const removed = before.options.map((o) => o.value).filter((v) => !kept.has(v));
  const usage = await repo.optionUsage(tx, before.id, removed);
  const inUse = removed.filter((v) => (usage.get(v) ?? 0) > 0);
  if (inUse.length > 0) {
    throw customFieldsError(
      'CUSTOM_FIELDS_OPTION_IN_USE',
      'Records still carry options this change removes; change those records first.',
      inUse.map((v) => ({ path: 'options', message: `"${v}" is the value of ${usage.get(v)} record(s)` })),
    );
  }
}

/**
 * Renames a field's key and moves every record's value to the new key, in this one
 * transaction: readers see either the old key everywhere or the new one everywhere.
 */
export async function renameDefinition(
  tx: TenantTx,
  principal: Principal,
  id: string,
  key: string,
): Promise<CustomFieldDefinition> {
  const before = await lockDefinition(tx, id);
  if (before.key === key) return before;
  if (await repo.keyTaken(tx, before.objectType, key)) throw keyTakenError(before.objectType, key);
  try {
    // The field carries the new key first: the triggers index the moved values under it.
    await repo.updateField(tx, id, { key });
  } catch (error) {
    if (isUniqueViolation(error, 'custom_field_tenant_id_object_type_key_key')) {
      throw keyTakenError(before.objectType, key);
    }
    throw error;
  }
  const moved = await repo.moveKeyInRecords(tx, before, before.key, key);
  const after = await getDefinition(tx, id);
  await auditBy(tx, principal, 'custom_field.renamed', 'custom_field', id, {
    kind: 'settings',
    before: { ...settingOf(before), recordsWithValue: moved },
    after: settingOf(after),
  });
  return after;
}

/** Deletes a field and its value from every record, in this one transaction. */
export async function deleteDefinition(tx: TenantTx, principal: Principal, id: string): Promise<void> {
  const before = await lockDefinition(tx, id);
  const cleared = await repo.removeKeyFromRecords(tx, before);
  await repo.deleteField(tx, id);
  await auditBy(tx, principal, 'custom_field.deleted', 'custom_field', id, {
    kind: 'settings',
    before: { ...settingOf(before), recordsWithValue: cleared },
    after: null,
  });
}

// ---------------------------------------------------------------------------------------------
// For the contact and company use cases (and the import)
// ---------------------------------------------------------------------------------------------

/**
 * The object type's definitions for a write, read FOR KEY SHARE: a definition change running
 * at the same time (which holds its field FOR UPDATE) finishes first, and the write is then
 * checked against the field as changed.
 */
export async function definitionsForWrite(
  tx: TenantTx,
  objectType: CustomFieldObjectType,
): Promise<CustomFieldDefinition[]> {
  return (await repo.listFields(tx, objectType, { lock: true })).map(toDefinition);
}

/** The data category of each custom field of the object type, by key (field access). */
export async function categoriesByKey(
  tx: TenantTx,
  objectType: CustomFieldObjectType,
): Promise<Record<string, DataCategory>> {
  const rows = await tx
    .selectFrom('customField')
    .select(['key', 'dataCategory'])
    .where('objectType', '=', objectType)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.key, r.dataCategory as DataCategory]));
}

export type CheckedRecordValues<Mode extends 'create' | 'update'> = {
  defs: CustomFieldDefinition[];
  values: Mode extends 'create' ? CustomFields : Record<string, CustomFieldValue | null> | null | undefined;
};

/**
 * A record body's custom fields checked against the definitions (see checkCustomFields);
 * problems are added to `errors`, under `customFields.<key>`.
 */
export async function checkRecordValues<Mode extends 'create' | 'update'>(
  tx: TenantTx,
  objectType: CustomFieldObjectType,
  input: unknown,
  mode: Mode,
  errors: ErrorDetail[],
): Promise<CheckedRecordValues<Mode>> {
  // An update that leaves the custom fields alone needs no definitions (nor their locks).
  if (mode === 'update' && input === undefined)
    return { defs: [], values: undefined } as unknown as CheckedRecordValues<Mode>;
  const defs = await definitionsForWrite(tx, objectType);
  const checked = checkCustomFields(defs, objectType, input, mode);
  errors.push(...checked.errors);
  const values = mode === 'create' ? ((checked.values ?? {}) as CustomFields) : checked.values;
  return { defs, values: values as CheckedRecordValues<Mode>['values'] };
}

/**
 * Refuses (409, naming each field) values of unique fields that another record already holds.
 * The unique indexes decide races between concurrent writes; see uniqueViolationOf().
 */
export async function assertUniqueValues(
  tx: TenantTx,
  defs: readonly CustomFieldDefinition[],
  values: Record<string, CustomFieldValue | null> | null | undefined,
  recordId: string | undefined,
): Promise<void> {
  if (!values) return;
  const taken: ErrorDetail[] = [];
  for (const def of defs) {
    const value = values[def.key];
    if (
      !def.unique ||
      value === undefined ||
      value === null ||
      typeof value === 'boolean' ||
      Array.isArray(value)
    )
      continue;
    if (await repo.valueHeldByAnother(tx, def, value, recordId)) {
      taken.push({ path: `customFields.${def.key}`, message: 'is already the value of another record' });
    }
  }
  if (taken.length > 0) throw valueTaken(taken);
}

function valueTaken(errors: ErrorDetail[]): AppError {
  return customFieldsError(
    'CUSTOM_FIELDS_VALUE_TAKEN',
    'Another record already has this value of a unique field.',
    errors,
  );
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * A database error from a record write that a unique custom field refused (a concurrent write
 * took the value first), as the 409 assertUniqueValues() answers; undefined for anything else.
 * The field is read from the error's detail (tenant id, field id, value); the value is not kept.
 */
export function uniqueViolationOf(
  error: unknown,
  defs: readonly CustomFieldDefinition[],
): AppError | undefined {
  if (!isUniqueViolation(error, /^custom_field_value_unique_/)) return undefined;
  const detail = String((error as { detail?: unknown }).detail ?? '');
  const ids = new Set(detail.match(UUID)?.map((id) => id.toLowerCase()) ?? []);
  const fields = defs.filter((d) => ids.has(d.id));
  const named = fields.length > 0 ? fields : defs.filter((d) => d.unique);
  return valueTaken(
    named.map((d) => ({ path: `customFields.${d.key}`, message: 'is already the value of another record' })),
  );
}
