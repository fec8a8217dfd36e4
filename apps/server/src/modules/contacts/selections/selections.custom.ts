import type { CustomFieldType } from '@kontor/contracts';
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { TenantTx } from '../../../kernel/db/tenancy.ts';
import { presentSql } from '../custom-fields/custom-fields.repository.ts';
import { listDefinitions } from '../custom-fields/custom-fields.service.ts';
import type {
  CustomFieldRef,
  FieldOp,
  FieldSpec,
  FieldType,
  Normalised,
  Scalar,
} from './selections.fields.ts';
import type { Compiled } from './selections.leaf.ts';

/**
 * Custom fields in filters. Their values are read from the typed value index of the
 * custom-fields module (`custom_field_value`, tenant first in every index, float8/date/bool/text
 * columns whose comparisons are LEAKPROOF): every comparison is a set of record ids read from an
 * index, which under row-level security is what lets the planner start from it.
 */

const TYPES: Record<CustomFieldType, FieldType> = {
  text: 'customText',
  url: 'customText',
  email: 'customText',
  long_text: 'longText',
  number: 'number',
  decimal: 'number',
  date: 'date',
  boolean: 'boolean',
  single_select: 'select',
  multi_select: 'multiSelect',
};

/**
 * The tenant's custom fields as filter fields: `customFields.<key>` of persons,
 * `company.customFields.<key>` of their companies.
 */
export async function customFieldSpecs(tx: TenantTx): Promise<FieldSpec[]> {
  return (await listDefinitions(tx)).map(
    (def): FieldSpec => ({
      name: def.objectType === 'contact' ? `customFields.${def.key}` : `company.customFields.${def.key}`,
      type: TYPES[def.type],
      category: def.dataCategory,
      ...(def.type === 'single_select' || def.type === 'multi_select'
        ? { options: def.options.map((o) => o.value) }
        : {}),
      source: {
        kind: 'custom',
        field: { id: def.id, key: def.key, objectType: def.objectType, type: def.type },
      },
    }),
  );
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A value of the index's column for this field type (a parameter). */
function typed(field: CustomFieldRef, value: Scalar): RawBuilder<unknown> {
  switch (TYPES[field.type]) {
    case 'customText':
      return sql`kontor_custom_text(${String(value)})`;
    case 'number':
      return sql`${Number(value)}::double precision`;
    case 'date':
      return sql`${String(value)}::date`;
    case 'boolean':
      return sql`${Boolean(value)}::boolean`;
    default:
      return sql`${String(value)}::text`;
  }
}

function column(field: CustomFieldRef): RawBuilder<unknown> {
  switch (TYPES[field.type]) {
    case 'number':
      return sql.ref('v.value_number');
    case 'date':
      return sql.ref('v.value_date');
    case 'boolean':
      return sql.ref('v.value_bool');
    default:
      return sql.ref('v.value_text');
  }
}

const COMPARE: Partial<Record<FieldOp, string>> = {
  eq: '=',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
  before: '<',
  after: '>',
};

/** The condition on an index row `v` of the field; undefined for what the index cannot answer. */
function rowCondition(field: CustomFieldRef, op: FieldOp, v: Normalised): RawBuilder<SqlBool> | undefined {
  const col = column(field);
  switch (v.shape) {
    case 'one': {
      const value = typed(field, v.value);
      if (op === 'contains') {
        return sql<SqlBool>`${col} like '%' || kontor_custom_text(${escapeLike(String(v.value))}) || '%'`;
      }
      // starts_with() is LEAKPROOF and, on the "C" collation of value_text, an index range.
      if (op === 'startsWith') return sql<SqlBool>`${col} ^@ ${value}`;
      const compare = COMPARE[op];
      return compare ? sql<SqlBool>`${col} ${sql.raw(compare)} ${value}` : undefined;
    }
    case 'list':
      return sql<SqlBool>`${col} in (${sql.join(v.values.map((x) => typed(field, x)))})`;
    case 'range':
      return sql<SqlBool>`${col} between ${typed(field, v.from)} and ${typed(field, v.to)}`;
    case 'days':
      return sql<SqlBool>`${col} between current_date - ${v.days}::int and current_date`;
    case 'month':
      return sql<SqlBool>`extract(month from ${col}) = ${v.month}`;
    default:
      return undefined;
  }
}

/** The ids of the records whose value of the field meets the condition, from the value index. */
function holders(field: CustomFieldRef, condition: RawBuilder<SqlBool>) {
  return sql<{
    contactId: string;
  }>`select v.record_id as contact_id from custom_field_value v where v.field_id = ${field.id}::uuid and ${presentSql(field.type, 'v')} and ${condition}`;
}

/** Contact ids: the records themselves, or the persons of the companies that match. */
function matching(field: CustomFieldRef, condition: RawBuilder<SqlBool>): Compiled {
  const ids = holders(field, condition);
  if (field.objectType === 'contact') return { kind: 'ids', ids };
  return { kind: 'where', where: sql<SqlBool>`contact.company_id in (${ids})` };
}

/**
 * The SQL of a custom-field leaf. `neq`, `hasNone` and `isEmpty` are the contacts outside the
 * matching set (an anti-join); a person without a company has no value of a company's field.
 */
export function customFieldCondition(
  spec: FieldSpec,
  field: CustomFieldRef,
  op: FieldOp,
  v: Normalised,
): Compiled {
  const TRUE = sql<SqlBool>`true`;
  switch (op) {
    case 'isNotEmpty':
      return matching(field, TRUE);
    case 'isEmpty':
      return { kind: 'not', part: matching(field, TRUE) };
    case 'neq':
      return { kind: 'not', part: customFieldCondition(spec, field, 'eq', v) };
    case 'hasAny':
      return customFieldCondition(spec, field, 'in', v);
    case 'hasNone':
      return { kind: 'not', part: customFieldCondition(spec, field, 'in', v) };
    case 'hasAll': {
      if (v.shape !== 'list') break;
      return {
        kind: 'all',
        parts: [...new Set(v.values)].map((value) =>
          customFieldCondition(spec, field, 'eq', { shape: 'one', value }),
        ),
      };
    }
    case 'contains':
      if (spec.type === 'longText' && v.shape === 'one') {
        // Long text is not in the value index: the stored value, folded as search folds.
        const stored =
          field.objectType === 'contact'
            ? sql`contact.custom_fields ->> ${field.key}::text`
            : sql`(select co.custom_fields ->> ${field.key}::text from company co where co.id = contact.company_id)`;
        return {
          kind: 'where',
          where: sql<SqlBool>`kontor_fold(${stored}) like '%' || kontor_fold(${escapeLike(String(v.value))}) || '%'`,
        };
      }
      break;
    default:
      break;
  }
  const condition = rowCondition(field, op, v);
  if (!condition) throw new Error(`selections: no SQL for custom ${field.type} ${op}`);
  return matching(field, condition);
}
