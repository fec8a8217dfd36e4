import type { Expression, ExpressionBuilder, SqlBool, Transaction } from 'kysely';
import type { z } from 'zod';
import type { Tables } from '../../../kernel/db/tables.ts';
import type { FieldAccess } from '../../privacy/index.ts';
import type { ContactsTables } from '../contacts.tables.ts';
import type { FieldCatalog } from './selections.fields.ts';
import type { SelectionTables } from './selections.tables.ts';

/**
 * The plug-in contract of the filter language. A filter is a tree of `{ all: [...] }`,
 * `{ any: [...] }`, `{ not: ... }` and leaves; every kind of leaf — fields, tags, the company,
 * and later consent, newsletter or engagement state — is one `SelectionLeaf` in a registry. The
 * core (selections.compile.ts) knows no leaf: it validates the tree's shape and bounds, hands
 * each leaf to its definition to check and compile, and combines what the leaves compiled to.
 *
 * A module adds a leaf by calling `registerSelectionLeaf()` (exported from contacts/index.ts)
 * when its index.ts is imported, before the app is built; see the contacts README.
 */

/** The tables a filter may read: the contacts module's, and those registered leaves add. */
export type SelectionDb = Tables & ContactsTables & SelectionTables;
export type SelectionTx = Transaction<SelectionDb>;

/**
 * What a leaf compiles to.
 * - `ids`: a query whose single column `contact_id` lists the matching contacts, read from an
 *   index that leads with `tenant_id` and compares with LEAKPROOF operators (uuid, text, date,
 *   timestamptz, float8 btree comparisons). Under row-level security PostgreSQL only uses an
 *   index for such quals, so these leaves drive the plan: at the top level of a filter they become
 *   semi-joins that the planner intersects before it reads a single contact row.
 * - `where`: a condition on the `contact` row (anything else: folded text, extract(), jsonb …),
 *   evaluated on the rows the `ids` leaves and the policies leave over.
 * - `all`: several of these that must all hold (a tag leaf with `hasAll`).
 * - `not`: the contacts a part does not match (`neq`, `hasNone`, `isEmpty` of a set of ids):
 *   the core makes it a NOT EXISTS, an anti-join.
 */
export type Compiled =
  | { kind: 'ids'; ids: Expression<{ contactId: string }> }
  | { kind: 'where'; where: Expression<SqlBool> }
  | { kind: 'all'; parts: Compiled[] }
  | { kind: 'not'; part: Compiled };

export type CheckEnv = {
  /** Standard contact and company fields and the tenant's custom fields. */
  fields: FieldCatalog;
  fieldAccess: FieldAccess;
  /** The path of the leaf in the request, e.g. `filter.all.1`. */
  path: string;
  /** A value the filter language cannot take (400, naming `path`). */
  invalid(path: string, message: string): void;
  /** A field the principal may not filter by (403, naming `path`). */
  forbidden(path: string, message: string): void;
};

export type CompileEnv<R> = {
  eb: ExpressionBuilder<SelectionDb, 'contact'>;
  fields: FieldCatalog;
  /** What the leaf's `resolve` answered for this filter (undefined without resolve). */
  resolved: R;
};

export type SelectionLeaf<N extends Record<string, unknown> = Record<string, unknown>, R = unknown> = {
  /** The key that marks a node as this leaf (`field`, `tag`, `company`, later `consent` …). */
  key: string;
  /**
   * The zod schemas of the node keys this leaf owns (its `key` and any others, e.g. `op` and
   * `value` of a field leaf): the structure only, each optional in a node. They become part of
   * the one filter schema that validates requests and feeds the OpenAPI document.
   */
  shape: Record<string, z.ZodType>;
  /** One line for the OpenAPI description of the filter. */
  describe: string;
  /** Checks the node against the tenant's fields and the principal's field access. */
  check(node: N, env: CheckEnv): void;
  /** Looks up, once per filter, what compile needs from the database (tag ids by name, …). */
  resolve?(tx: SelectionTx, nodes: N[]): Promise<R>;
  /** SQL for the node: parameters only; names only from the leaf's own whitelist. */
  compile(node: N, env: CompileEnv<R>): Compiled;
};

const registry = new Map<string, SelectionLeaf>();
const ownedKeys = new Map<string, string>();
let sealed = false;

const COMBINATORS = ['all', 'any', 'not'] as const;

/**
 * Adds a kind of leaf to the filter language. Call it at import time: once the filter schema
 * has been built (the first request or the OpenAPI document), the registry is sealed.
 */
export function registerSelectionLeaf<N extends Record<string, unknown>, R>(leaf: SelectionLeaf<N, R>): void {
  if (sealed) throw new Error(`selection leaf "${leaf.key}" registered after the filter schema was built`);
  if (!(leaf.key in leaf.shape)) throw new Error(`selection leaf "${leaf.key}" must own its own key`);
  for (const key of Object.keys(leaf.shape)) {
    const owner = (COMBINATORS as readonly string[]).includes(key) ? 'the core' : ownedKeys.get(key);
    if (owner) throw new Error(`selection leaf "${leaf.key}": key "${key}" belongs to ${owner}`);
  }
  for (const key of Object.keys(leaf.shape)) ownedKeys.set(key, leaf.key);
  registry.set(leaf.key, leaf as unknown as SelectionLeaf);
}

/** The registered leaves, in registration order; seals the registry. */
export function selectionLeaves(): SelectionLeaf[] {
  sealed = true;
  return [...registry.values()];
}

// ---------------------------------------------------------------------------------------------
// Suppressions: contacts a selection of some purpose never contains, whatever its filter says
// ---------------------------------------------------------------------------------------------

/**
 * What a selection is for. `general` (the default): any use, the filter decides alone.
 * `marketing`: sent advertising to — every suppression registered for marketing applies.
 */
export const SELECTION_PURPOSES = ['general', 'marketing'] as const;
export type SelectionPurpose = (typeof SELECTION_PURPOSES)[number];

/**
 * A rule that takes contacts out of every selection of a purpose, e.g. the consent module's
 * "a prohibition beats everything": a marketing selection never contains a person who said
 * "do not contact me at all". The core adds each applicable suppression to the compiled filter
 * as `NOT (…)` of what it compiles to (for `ids`: an anti-join), in the same statement.
 */
export type SelectionSuppression<R = unknown> = {
  /** A name for the rule (`consent.prohibition`), unique. */
  key: string;
  /** The purposes it applies to. */
  purposes: readonly SelectionPurpose[];
  /** One line for documentation: who is left out and why. */
  describe: string;
  /** Looks up, once per filter, what compile needs. */
  resolve?(tx: SelectionTx): Promise<R>;
  /** The contacts to leave out: parameters only; names only from the module's own tables. */
  compile(env: CompileEnv<R>): Compiled;
};

const suppressions = new Map<string, SelectionSuppression>();

/** Adds a suppression (call it at import time, like registerSelectionLeaf). */
export function registerSelectionSuppression<R>(suppression: SelectionSuppression<R>): void {
  if (suppressions.has(suppression.key)) {
    throw new Error(`selection suppression "${suppression.key}" is registered twice`);
  }
  suppressions.set(suppression.key, suppression as unknown as SelectionSuppression);
}

/** The suppressions that apply to selections of `purpose`, in registration order. */
export function selectionSuppressions(purpose: SelectionPurpose): SelectionSuppression[] {
  return [...suppressions.values()].filter((s) => s.purposes.includes(purpose));
}
