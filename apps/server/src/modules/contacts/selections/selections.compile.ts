import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { ErrorDetail } from '../../../kernel/errors.ts';
import { type FieldAccess, maskValue } from '../../privacy/index.ts';
import { selectionsError } from './selections.errors.ts';
import type { FieldCatalog } from './selections.fields.ts';
import {
  type Compiled,
  type SelectionDb,
  type SelectionLeaf,
  type SelectionPurpose,
  type SelectionSuppression,
  type SelectionTx,
  selectionLeaves,
  selectionSuppressions,
} from './selections.leaf.ts';
import { type FilterNode, filterSchema } from './selections.schema.ts';

/**
 * The core of the filter language: it knows all/any/not and the registry of leaves, nothing
 * about any particular leaf. A filter goes through three steps —
 *   1. prepareFilter: the structure (zod, bounds), then each leaf's check against the tenant's
 *      fields and the principal's field access (400 / 403, every problem with its path), then
 *      each kind of leaf's look-ups, once per filter (tag ids by name, …), and those of the
 *      suppressions registered for the selection's purpose (marketing: the consent module's
 *      prohibitions);
 *   2. filterCondition: SQL for `contact`, parameters only, each suppression as NOT (…);
 *   3. the repository runs it in the caller's transaction, under row-level security and the
 *      principal's contact scope (withPrincipal), so a filter never reaches past what the
 *      principal may see.
 */

type Located = { leaf: SelectionLeaf; node: Record<string, unknown>; path: string };

function kindOf(node: FilterNode): 'all' | 'any' | 'not' | SelectionLeaf {
  if (node.all !== undefined) return 'all';
  if (node.any !== undefined) return 'any';
  if (node.not !== undefined) return 'not';
  for (const leaf of selectionLeaves()) if (node[leaf.key] !== undefined) return leaf;
  // The schema lets no other node through.
  throw new Error('selections: a filter node of no known kind');
}

/** Every leaf of the tree with its path (`filter.all.1`). The tree is bounded (MAX_DEPTH). */
function locateLeaves(node: FilterNode, path: string, out: Located[] = []): Located[] {
  const kind = kindOf(node);
  if (kind === 'all' || kind === 'any') {
    (node[kind] as FilterNode[]).forEach((child, i) => {
      locateLeaves(child, `${path}.${kind}.${i}`, out);
    });
  } else if (kind === 'not') locateLeaves(node.not as FilterNode, `${path}.not`, out);
  else out.push({ leaf: kind, node, path });
  return out;
}

/**
 * What a filter tests, without its values: the field names of field leaves and the kind of every
 * other leaf (`city`, `customFields.score`, `tag`), sorted. For the audit log. Tolerates a
 * stored filter that no longer parses (it skips what it does not know).
 */
export function filterOutline(filter: unknown): string[] {
  const found = new Set<string>();
  const leafKeys = selectionLeaves().map((l) => l.key);
  const stack: unknown[] = [filter];
  for (let seen = 0; stack.length > 0 && seen < 1_000; seen += 1) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object' || Array.isArray(node)) continue;
    const record = node as Record<string, unknown>;
    for (const key of ['all', 'any'] as const)
      if (Array.isArray(record[key])) stack.push(...(record[key] as unknown[]));
    if (record.not !== undefined) stack.push(record.not);
    if (typeof record.field === 'string') found.add(record.field);
    else for (const key of leafKeys) if (key !== 'field' && record[key] !== undefined) found.add(key);
  }
  return [...found].sort();
}

/**
 * A saved filter as a reader may see it: the value of a field leaf whose category the reader
 * sees masked is masked (`Müller` → `M*****`), one they may not see at all becomes null — a
 * colleague's filter must not show what the reader's field access hides. Tolerant of filters
 * that no longer parse.
 */
export function presentFilter(filter: unknown, fields: FieldCatalog, fieldAccess: FieldAccess): unknown {
  const present = (node: unknown, depth: number): unknown => {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || depth > 20) return node;
    const record = { ...(node as Record<string, unknown>) };
    for (const key of ['all', 'any'] as const) {
      const children = record[key];
      if (Array.isArray(children)) record[key] = children.map((c) => present(c, depth + 1));
    }
    if (record.not !== undefined) record.not = present(record.not, depth + 1);
    const category = typeof record.field === 'string' ? fields.get(record.field)?.category : undefined;
    if (category && record.value !== undefined && fieldAccess[category] !== 'full') {
      const field = String(record.field).split('.').at(-1) ?? '';
      const mask = (v: unknown) => maskValue(field, typeof v === 'string' ? v : String(v));
      record.value =
        fieldAccess[category] === 'none'
          ? null
          : Array.isArray(record.value)
            ? record.value.map(mask)
            : mask(record.value);
    }
    return record;
  };
  return present(filter, 0);
}

export type FilterProblems = { invalid: ErrorDetail[]; forbidden: ErrorDetail[] };

/** Checks each leaf; answers every problem found, each with its path. Pure. */
export function checkFilter(
  filter: FilterNode,
  env: { fields: FieldCatalog; fieldAccess: FieldAccess },
  root = 'filter',
): FilterProblems & { leaves: Located[] } {
  const problems: FilterProblems = { invalid: [], forbidden: [] };
  const leaves = locateLeaves(filter, root);
  for (const { leaf, node, path } of leaves) {
    leaf.check(node, {
      fields: env.fields,
      fieldAccess: env.fieldAccess,
      path,
      invalid: (p, message) => problems.invalid.push({ path: p, message }),
      forbidden: (p, message) => problems.forbidden.push({ path: p, message }),
    });
  }
  return { ...problems, leaves };
}

/** A filter that passed every check, with what its leaves looked up. */
export type PreparedFilter = {
  filter: FilterNode;
  fields: FieldCatalog;
  resolved: ReadonlyMap<string, unknown>;
  /** The suppressions of the selection's purpose, with what each looked up. */
  suppressions?: ReadonlyArray<{ suppression: SelectionSuppression; resolved: unknown }>;
};

/**
 * Parses and checks a filter (from a request, a saved selection or another module) and looks up
 * what its leaves need. Throws SELECTIONS_INVALID_FILTER (400) naming each bad path, else
 * SELECTIONS_FIELD_FORBIDDEN (403) naming each field the principal may not filter by.
 */
export async function prepareFilter(
  tx: SelectionTx,
  raw: unknown,
  env: { fields: FieldCatalog; fieldAccess: FieldAccess; root?: string; purpose?: SelectionPurpose },
): Promise<PreparedFilter> {
  const root = env.root ?? 'filter';
  const parsed = filterSchema.safeParse(raw);
  if (!parsed.success) {
    throw selectionsError(
      'SELECTIONS_INVALID_FILTER',
      'The filter is not valid; see errors for what is wrong where.',
      parsed.error.issues.map((i) => ({ path: [root, ...i.path].join('.'), message: i.message })),
    );
  }
  const { invalid, forbidden, leaves } = checkFilter(parsed.data, env, root);
  if (invalid.length > 0) {
    throw selectionsError(
      'SELECTIONS_INVALID_FILTER',
      'The filter is not valid; see errors for what is wrong where.',
      invalid,
    );
  }
  if (forbidden.length > 0) {
    throw selectionsError(
      'SELECTIONS_FIELD_FORBIDDEN',
      'The filter tests fields your field access does not show you; a count would reveal them.',
      forbidden,
    );
  }
  const resolved = new Map<string, unknown>();
  for (const leaf of selectionLeaves()) {
    if (!leaf.resolve) continue;
    const nodes = leaves.filter((l) => l.leaf === leaf).map((l) => l.node);
    if (nodes.length > 0) resolved.set(leaf.key, await leaf.resolve(tx, nodes));
  }
  const suppressions = [];
  for (const suppression of selectionSuppressions(env.purpose ?? 'general')) {
    suppressions.push({
      suppression,
      resolved: suppression.resolve ? await suppression.resolve(tx) : undefined,
    });
  }
  return { filter: parsed.data, fields: env.fields, resolved, suppressions };
}

// ---------------------------------------------------------------------------------------------
// SQL
// ---------------------------------------------------------------------------------------------

type Eb = ExpressionBuilder<SelectionDb, 'contact'>;
type Ids = Expression<{ contactId: string }>;

const TRUE = sql<SqlBool>`true`;

function and(parts: Expression<SqlBool>[]): Expression<SqlBool> {
  if (parts.length === 0) return TRUE;
  if (parts.length === 1) return parts[0] as Expression<SqlBool>;
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

function or(parts: Expression<SqlBool>[]): Expression<SqlBool> {
  if (parts.length === 1) return parts[0] as Expression<SqlBool>;
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

const isIds = (c: Compiled): boolean =>
  c.kind === 'ids' || (c.kind === 'all' && c.parts.length > 0 && c.parts.every(isIds));

/** Sets of ids combined; each in parentheses (INTERSECT binds tighter than UNION). */
const setOf = (sets: Ids[], operator: 'intersect' | 'union all'): Ids =>
  sql<{ contactId: string }>`${sql.join(
    sets.map((s) => sql`(${s})`),
    sql` ${sql.raw(operator)} `,
  )}`;

/** The contact ids of a compiled part made of ids only: one query, several intersected. */
function idsOf(c: Compiled): Ids {
  if (c.kind === 'ids') return c.ids;
  if (c.kind === 'all') {
    const parts = c.parts.map(idsOf);
    return parts.length === 1 ? (parts[0] as Ids) : setOf(parts, 'intersect');
  }
  throw new Error('selections: not a set of ids');
}

/**
 * A compiled part as a condition on the contact row. A set of ids becomes a correlated EXISTS,
 * which PostgreSQL answers with one index probe per row (the id is pushed into the set's query).
 */
function asWhere(c: Compiled): Expression<SqlBool> {
  switch (c.kind) {
    case 'where':
      return c.where;
    case 'ids':
      return existsIn(c.ids);
    case 'all':
      return and(c.parts.map(asWhere));
    case 'not':
      // EXISTS is never NULL: a plain NOT EXISTS, which at the top level becomes an anti-join.
      return isIds(c.part) ? sql<SqlBool>`not ${existsIn(idsOf(c.part))}` : negate(asWhere(c.part));
  }
}

const existsIn = (ids: Ids) =>
  sql<SqlBool>`exists (select 1 from (${ids}) as s where s.contact_id = contact.id)`;

/** SQL's NOT of a NULL is NULL; a filter's `not` of "no value" must hold. */
const negate = (where: Expression<SqlBool>) => sql<SqlBool>`not coalesce(${where}, false)`;

function compileNode(
  node: FilterNode,
  fields: FieldCatalog,
  resolved: ReadonlyMap<string, unknown>,
  eb: Eb,
): Compiled {
  const kind = kindOf(node);
  if (kind === 'all') {
    return {
      kind: 'all',
      parts: (node.all as FilterNode[]).map((n) => compileNode(n, fields, resolved, eb)),
    };
  }
  if (kind === 'any') {
    const parts = (node.any as FilterNode[]).map((n) => compileNode(n, fields, resolved, eb));
    // Sets of ids stay a set (a UNION ALL of index reads); anything else is an OR of conditions.
    if (parts.every(isIds)) {
      const sets = parts.map(idsOf);
      return {
        kind: 'ids',
        ids: sets.length === 1 ? (sets[0] as Ids) : setOf(sets, 'union all'),
      };
    }
    return { kind: 'where', where: or(parts.map(asWhere)) };
  }
  if (kind === 'not') return { kind: 'not', part: compileNode(node.not as FilterNode, fields, resolved, eb) };
  return kind.compile(node, { eb, fields, resolved: resolved.get(kind.key) });
}

/** The parts that must all hold, with nested `all`s flattened. */
function conjuncts(c: Compiled): Compiled[] {
  return c.kind === 'all' ? c.parts.flatMap(conjuncts) : [c];
}

/**
 * The filter as a condition on `contact`. At the top level each set of ids becomes
 * `contact.id IN (…)`, which PostgreSQL turns into a semi-join: the planner can intersect the
 * index reads of several tags and custom fields (merge or hash joins on contact_id) before it
 * fetches the contacts that remain and evaluates the other conditions on them.
 */
export function filterCondition(prepared: PreparedFilter, eb: Eb): Expression<SqlBool> {
  const compiled = compileNode(prepared.filter, prepared.fields, prepared.resolved, eb);
  // A suppression takes its contacts out whatever the filter says: NOT EXISTS, an anti-join.
  const suppressed: Compiled[] = (prepared.suppressions ?? []).map(({ suppression, resolved }) => ({
    kind: 'not',
    part: suppression.compile({ eb, fields: prepared.fields, resolved }),
  }));
  return and(
    [...conjuncts(compiled), ...suppressed].map((c) =>
      isIds(c) ? sql<SqlBool>`contact.id in (${idsOf(c)})` : asWhere(c),
    ),
  );
}
