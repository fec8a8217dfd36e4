import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import type { AccessLevel } from '../../privacy/index.ts';
import { customFieldCondition } from './selections.custom.ts';
import {
  FIELD_OPS,
  type FieldOp,
  type FieldSpec,
  type Normalised,
  normaliseValue,
  OPS_BY_TYPE,
  PRESENCE_OPS,
  type Scalar,
} from './selections.fields.ts';
import { type CheckEnv, type Compiled, registerSelectionLeaf } from './selections.leaf.ts';

/**
 * The built-in leaves: a field of the person or of the person's company (incl. custom fields),
 * the person's tags, and the company itself.
 */

const TRUE = sql<SqlBool>`true`;
const FALSE = sql<SqlBool>`false`;

const scalar = z.union([z.string().max(500), z.number(), z.boolean()]);

// ---------------------------------------------------------------------------------------------
// field: { field, op, value }
// ---------------------------------------------------------------------------------------------

export type FieldNode = { field: string; op?: FieldOp; value?: unknown };

/** Whether the principal's access to a category lets them filter with this operator. */
function allows(level: AccessLevel, op: FieldOp): boolean {
  // A masked value still shows whether there is one; anything more would read through the mask.
  return level === 'full' || (level === 'masked' && PRESENCE_OPS.includes(op));
}

function checkField(node: FieldNode, env: CheckEnv): void {
  const spec = env.fields.get(node.field);
  if (!spec) {
    env.invalid(`${env.path}.field`, `is not a field contacts can be filtered by: ${node.field}`);
    return;
  }
  if (node.op === undefined) {
    env.invalid(`${env.path}.op`, `is required: one of ${OPS_BY_TYPE[spec.type].join(', ')}`);
    return;
  }
  if (!OPS_BY_TYPE[spec.type].includes(node.op)) {
    env.invalid(
      `${env.path}.op`,
      `${node.field} is a ${spec.type} field: use one of ${OPS_BY_TYPE[spec.type].join(', ')}`,
    );
    return;
  }
  const value = normaliseValue(spec, node.op, node.value);
  if (!value.ok) {
    env.invalid(`${env.path}.value`, value.message);
    return;
  }
  if (spec.category && !allows(env.fieldAccess[spec.category], node.op)) {
    env.forbidden(
      `${env.path}.field`,
      env.fieldAccess[spec.category] === 'masked'
        ? `${node.field} is shown to you masked: only isEmpty and isNotEmpty may test it`
        : `${node.field} is personal data (${spec.category}) you may not see`,
    );
  }
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);
const str = (v: Scalar) => String(v);

/** How a value of each text-like type is compared: the same function on column and value. */
function textForm(spec: FieldSpec, expr: Expression<unknown> | RawBuilder<unknown>): RawBuilder<string> {
  switch (spec.type) {
    case 'text':
      return sql<string>`kontor_fold(${expr})`;
    case 'caseless':
      return sql<string>`lower(${expr}::text)`;
    case 'code':
      return sql<string>`replace(upper(${expr}::text), ' ', '')`;
    default:
      return sql<string>`${expr}::text`;
  }
}

const isTextual = (spec: FieldSpec) =>
  spec.type === 'text' || spec.type === 'caseless' || spec.type === 'code' || spec.type === 'phone';

const CASTS: Partial<Record<FieldSpec['type'], RawBuilder<unknown>>> = {
  date: sql`date`,
  number: sql`numeric`,
  select: sql`text`,
  country: sql`text`,
  boolean: sql`boolean`,
};

/** A parameter of the field's SQL type. */
function param(spec: FieldSpec, value: Scalar): RawBuilder<unknown> {
  const cast = CASTS[spec.type];
  return cast ? sql`${value}::${cast}` : sql`${value}`;
}

/**
 * The condition of an operator on a column (of contact or of the person's company). Values are
 * parameters; the column comes from the catalog. `folded`: the column's stored folded copy,
 * compared as is (a plain text comparison, which an index serves under row-level security).
 */
export function columnCondition(
  spec: FieldSpec,
  op: FieldOp,
  v: Normalised,
  column: RawBuilder<unknown>,
  folded?: RawBuilder<unknown>,
): RawBuilder<SqlBool> {
  const col = spec.type === 'country' || spec.type === 'select' ? sql`${column}::text` : column;
  const present = isTextual(spec)
    ? sql<SqlBool>`(${col} is not null and ${col}::text <> '')`
    : sql<SqlBool>`${col} is not null`;
  if (op === 'isEmpty') return sql<SqlBool>`not ${present}`;
  if (op === 'isNotEmpty') return present;

  if (isTextual(spec)) {
    const left = folded ?? textForm(spec, col);
    if (v.shape === 'one') {
      const value = str(v.value);
      // starts_with() is LEAKPROOF and, on the "C" collation of the folded copy, an index range.
      if (folded && op === 'startsWith') return sql<SqlBool>`${folded} ^@ kontor_fold(${value})`;
      if (spec.type === 'phone') {
        // Stored as E.164: eq/neq/startsWith compare the number, contains compares digits.
        if (op === 'contains') {
          const digits = value.replace(/\D/g, '').replace(/^0+/, '');
          return sql<SqlBool>`kontor_phone_digits(${col}) like ${`%${digits}%`}`;
        }
        if (op === 'startsWith') return sql<SqlBool>`${col} like ${`${escapeLike(value)}%`}`;
      }
      switch (op) {
        case 'eq':
          return sql<SqlBool>`${left} = ${textForm(spec, sql`${value}`)}`;
        case 'neq':
          return sql<SqlBool>`(${col} is null or ${left} <> ${textForm(spec, sql`${value}`)})`;
        case 'contains':
          return sql<SqlBool>`${left} like '%' || ${textForm(spec, sql`${escapeLike(value)}`)} || '%'`;
        case 'startsWith':
          return sql<SqlBool>`${left} like ${textForm(spec, sql`${escapeLike(value)}`)} || '%'`;
        default:
          break;
      }
    }
    if (op === 'in' && v.shape === 'list') {
      return sql<SqlBool>`${left} in (${sql.join(v.values.map((x) => textForm(spec, sql`${str(x)}`)))})`;
    }
    throw new Error(`selections: no SQL for ${spec.type} ${op}`);
  }

  if (spec.type === 'timestamp') {
    if (v.shape === 'days') return sql<SqlBool>`${col} >= now() - make_interval(days => ${v.days})`;
    if (v.shape !== 'moments') throw new Error(`selections: no SQL for timestamp ${op}`);
    const parts: RawBuilder<SqlBool>[] = [];
    if (v.from)
      parts.push(sql<SqlBool>`${col} ${sql.raw(v.fromInclusive ? '>=' : '>')} ${v.from}::timestamptz`);
    if (v.to) parts.push(sql<SqlBool>`${col} ${sql.raw(v.toInclusive ? '<=' : '<')} ${v.to}::timestamptz`);
    return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
  }

  if (v.shape === 'days') {
    return sql<SqlBool>`(${col} <= current_date and ${col} >= current_date - ${v.days}::int)`;
  }
  if (v.shape === 'month') return sql<SqlBool>`extract(month from ${col}) = ${v.month}`;
  if (v.shape === 'range') {
    return sql<SqlBool>`${col} between ${param(spec, v.from)} and ${param(spec, v.to)}`;
  }
  if (v.shape === 'list') {
    return sql<SqlBool>`${col} in (${sql.join(v.values.map((x) => param(spec, x)))})`;
  }
  if (v.shape !== 'one') throw new Error(`selections: no SQL for ${spec.type} ${op}`);
  const value = param(spec, v.value);
  const COMPARE: Partial<Record<FieldOp, string>> = {
    eq: '=',
    lt: '<',
    lte: '<=',
    gt: '>',
    gte: '>=',
    before: '<',
    after: '>',
  };
  if (op === 'neq') return sql<SqlBool>`(${col} is null or ${col} <> ${value})`;
  const compare = COMPARE[op];
  if (!compare) throw new Error(`selections: no SQL for ${spec.type} ${op}`);
  return sql<SqlBool>`${col} ${sql.raw(compare)} ${value}`;
}

function compileField(node: FieldNode, env: { fields: CheckEnv['fields'] }): Compiled {
  const spec = env.fields.get(node.field);
  const op = node.op;
  const value = spec && op ? normaliseValue(spec, op, node.value) : undefined;
  if (!spec || !op || !value?.ok) throw new Error('selections: compile of an unchecked field leaf');
  const { source } = spec;
  if (source.kind === 'custom') return customFieldCondition(spec, source.field, op, value.value);
  if (source.table === 'contact') {
    const folded = source.folded ? sql.ref(`contact.${source.folded}`) : undefined;
    return {
      kind: 'where',
      where: columnCondition(spec, op, value.value, sql.ref(`contact.${source.column}`), folded),
    };
  }
  // A field of the person's company: the companies that match, then their persons. A person
  // without a company has no value (isEmpty holds, every comparison fails).
  const matching = (o: FieldOp, v: Normalised) =>
    sql<SqlBool>`contact.company_id in (select co.id from company co where ${columnCondition(spec, o, v, sql.ref(`co.${source.column}`))})`;
  if (op === 'isEmpty') {
    return {
      kind: 'where',
      where: sql<SqlBool>`not coalesce(${matching('isNotEmpty', { shape: 'none' })}, false)`,
    };
  }
  return { kind: 'where', where: matching(op, value.value) };
}

registerSelectionLeaf<FieldNode, undefined>({
  key: 'field',
  shape: {
    field: z
      .string()
      .min(1)
      .max(100)
      .describe(
        'A contact field (city), a field of the company (company.city) or a custom field (customFields.<key>)',
      ),
    op: z.enum(FIELD_OPS).describe('Which operators a field takes depends on its type'),
    value: z
      .union([scalar, z.array(scalar).min(1).max(100)])
      .describe(
        'One value; a list for in/hasAny/hasAll/hasNone; [from, to] for between; none for isEmpty/isNotEmpty',
      ),
  },
  describe: '{ field, op, value } (field: a contact field such as city, company.<field>, customFields.<key>)',
  check: checkField,
  compile: compileField,
});

// ---------------------------------------------------------------------------------------------
// tag: { tag: { hasAll | hasAny | hasNone: [names] } }
// ---------------------------------------------------------------------------------------------

const tagNames = z.array(z.string().trim().min(1).max(100)).min(1).max(20);

export type TagNode = { tag: { hasAll?: string[]; hasAny?: string[]; hasNone?: string[] } };

/** Tag ids by lower-cased name; names no tag has are missing (they match nobody). */
type TagIds = Map<string, string>;

registerSelectionLeaf<TagNode, TagIds>({
  key: 'tag',
  shape: {
    tag: z
      .object({ hasAll: tagNames.optional(), hasAny: tagNames.optional(), hasNone: tagNames.optional() })
      .strict()
      .describe('Tag names, case-insensitive; a name no tag has matches nobody'),
  },
  describe: '{ tag: { hasAll | hasAny | hasNone: [names] } }',
  check(node, env) {
    const given = Object.entries(node.tag).filter(([, v]) => v !== undefined);
    if (given.length !== 1) env.invalid(`${env.path}.tag`, 'takes exactly one of hasAll, hasAny, hasNone');
  },
  async resolve(tx, nodes) {
    const names = [
      ...new Set(
        nodes.flatMap((n) => Object.values(n.tag).flatMap((v) => v ?? [])).map((n) => n.toLowerCase()),
      ),
    ];
    if (names.length === 0) return new Map();
    const rows = await tx
      .selectFrom('tag')
      .select(['tag.id', 'tag.name'])
      .where(
        'tag.name',
        'in',
        names.map((n) => sql<string>`${n}::citext`),
      )
      .execute();
    return new Map(rows.map((r) => [r.name.toLowerCase(), r.id]));
  },
  compile(node, { eb, resolved }) {
    const ids = (list: string[]) => list.flatMap((n) => resolved.get(n.toLowerCase()) ?? []);
    // The index contact_tag (tenant_id, tag_id, contact_id): uuid comparisons are LEAKPROOF, so
    // it serves under row-level security; each tag reads its contacts in contact_id order.
    const withTag = (tagId: string) =>
      eb.selectFrom('contactTag').select('contactTag.contactId').where('contactTag.tagId', '=', tagId);
    const { hasAll, hasAny, hasNone } = node.tag;
    if (hasAll) {
      const known = ids(hasAll);
      if (known.length < new Set(hasAll.map((n) => n.toLowerCase())).size)
        return { kind: 'where', where: FALSE };
      return { kind: 'all', parts: [...new Set(known)].map((id) => ({ kind: 'ids', ids: withTag(id) })) };
    }
    if (hasAny) {
      const known = [...new Set(ids(hasAny))];
      if (known.length === 0) return { kind: 'where', where: FALSE };
      if (known.length === 1) return { kind: 'ids', ids: withTag(known[0] as string) };
      return {
        kind: 'ids',
        ids: eb
          .selectFrom('contactTag')
          .select('contactTag.contactId')
          .where('contactTag.tagId', 'in', known),
      };
    }
    const known = [...new Set(ids(hasNone ?? []))];
    if (known.length === 0) return { kind: 'where', where: TRUE };
    return {
      kind: 'where',
      where: eb.not(
        eb.exists(
          eb
            .selectFrom('contactTag')
            .select(sql`1`.as('one'))
            .whereRef('contactTag.tenantId', '=', 'contact.tenantId')
            .whereRef('contactTag.contactId', '=', 'contact.id')
            .where('contactTag.tagId', 'in', known),
        ),
      ),
    };
  },
});

// ---------------------------------------------------------------------------------------------
// company: { company: { id | in | exists } }
// ---------------------------------------------------------------------------------------------

export type CompanyNode = { company: { id?: string; in?: string[]; exists?: boolean } };

registerSelectionLeaf<CompanyNode, undefined>({
  key: 'company',
  shape: {
    company: z
      .object({
        id: z.uuid().optional(),
        in: z.array(z.uuid()).min(1).max(100).optional(),
        exists: z.boolean().optional(),
      })
      .strict()
      .describe('The persons of one company (id), of any of several (in), or with / without one (exists)'),
  },
  describe: '{ company: { id | in | exists } }',
  check(node, env) {
    const given = Object.entries(node.company).filter(([, v]) => v !== undefined);
    if (given.length !== 1) env.invalid(`${env.path}.company`, 'takes exactly one of id, in, exists');
  },
  compile(node, { eb }) {
    const { id, in: ids, exists } = node.company;
    // contact_tenant_company (tenant_id, company_id, …) serves these: uuid equality is LEAKPROOF.
    if (id !== undefined) return { kind: 'where', where: eb('contact.companyId', '=', id) };
    if (ids !== undefined) return { kind: 'where', where: eb('contact.companyId', 'in', ids) };
    return {
      kind: 'where',
      where: exists ? eb('contact.companyId', 'is not', null) : eb('contact.companyId', 'is', null),
    };
  },
});
