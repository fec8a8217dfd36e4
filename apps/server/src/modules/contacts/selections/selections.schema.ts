import { z } from 'zod';
import { listQuerySchema } from '../../../kernel/http/pagination.ts';
import { SELECTION_PURPOSES, type SelectionLeaf, selectionLeaves } from './selections.leaf.ts';
import './selections.leaves.ts';

/**
 * The filter language: JSON, one zod schema (structure and bounds) that validates requests and
 * generates the OpenAPI document. What the structure cannot know — whether a field exists for
 * this tenant, which operators its type has, whether the principal may filter by it — is
 * checked by the core with the tenant's fields (selections.compile.ts), with the same paths.
 *
 *   { "all": [ node, … ] }      every node holds (an empty list: every contact)
 *   { "any": [ node, … ] }      at least one holds
 *   { "not": node }             the node does not hold
 *   a leaf                      { "field": "city", "op": "eq", "value": "Zürich" },
 *                               { "tag": { "hasAll": ["VIP", "Newsletter"] } },
 *                               { "company": { "id": "…" } }, and what other modules register
 */
export type FilterNode = {
  all?: FilterNode[];
  any?: FilterNode[];
  not?: FilterNode;
  [leafKey: string]: unknown;
};

/** Nesting of all/any/not, counted from the root (the root is level 1). */
export const MAX_DEPTH = 8;
/** Nodes in one filter, combinators and leaves together. */
export const MAX_NODES = 200;
/** Children of one all/any. */
export const MAX_CHILDREN = 50;

const COMBINATORS = ['all', 'any', 'not'] as const;

/**
 * Depth and size, measured without recursion before zod walks the tree (a request of 1 MiB can
 * nest ~100,000 levels: a recursive parse would overflow the stack).
 */
function bounds(input: unknown, ctx: z.RefinementCtx): unknown {
  const stack: { node: unknown; depth: number }[] = [{ node: input, depth: 1 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (node === null || typeof node !== 'object') continue;
    nodes += 1;
    if (depth > MAX_DEPTH) {
      ctx.addIssue({ code: 'custom', message: `nests deeper than ${MAX_DEPTH} levels` });
      return input;
    }
    if (nodes > MAX_NODES) {
      ctx.addIssue({ code: 'custom', message: `has more than ${MAX_NODES} nodes` });
      return input;
    }
    const record = node as Record<string, unknown>;
    for (const key of COMBINATORS) {
      const child = record[key];
      if (Array.isArray(child)) {
        if (child.length > MAX_CHILDREN) {
          ctx.addIssue({ code: 'custom', path: [key], message: `has more than ${MAX_CHILDREN} items` });
          return input;
        }
        for (const c of child) stack.push({ node: c, depth: depth + 1 });
      } else if (child !== undefined) stack.push({ node: child, depth: depth + 1 });
    }
  }
  return input;
}

/** A node below what the documentation spells out (validated by the full schema). */
const deeperNode = z
  .record(z.string(), z.unknown())
  .describe('A filter node: { all }, { any }, { not } or a leaf, as above');

/**
 * The node schema: recursive (`levels` undefined), or spelled out to a number of levels for
 * the OpenAPI document — a recursive zod schema becomes a `$ref` to a component that the
 * document would not contain.
 */
function buildNode(leaves: SelectionLeaf[], levels?: number): z.ZodType<FilterNode> {
  const kinds = [...COMBINATORS, ...leaves.map((l) => l.key)];
  const owner = new Map<string, string>();
  for (const leaf of leaves) for (const key of Object.keys(leaf.shape)) owner.set(key, leaf.key);
  const leafShape = Object.fromEntries(
    leaves.flatMap((leaf) => Object.entries(leaf.shape).map(([key, schema]) => [key, schema.optional()])),
  );
  const child = (): z.ZodType<FilterNode> =>
    levels === undefined
      ? node
      : levels > 1
        ? buildNode(leaves, levels - 1)
        : (deeperNode as z.ZodType<FilterNode>);
  const node: z.ZodType<FilterNode> = z
    .object({
      get all() {
        return z
          .array(child())
          .max(MAX_CHILDREN)
          .optional()
          .describe('Every node holds (empty: every contact)');
      },
      get any() {
        return z.array(child()).min(1).max(MAX_CHILDREN).optional().describe('At least one node holds');
      },
      get not() {
        return child().optional().describe('The node does not hold');
      },
      ...leafShape,
    })
    .strict()
    .superRefine((parsed, ctx) => {
      const value = parsed as Record<string, unknown>;
      const present = kinds.filter((k) => value[k] !== undefined);
      if (present.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          message:
            present.length === 0
              ? `must be one of: ${kinds.join(', ')}`
              : `is one thing only; it has ${present.join(' and ')}`,
        });
        return;
      }
      const kind = present[0] as string;
      for (const key of Object.keys(value)) {
        if (value[key] === undefined || key === kind) continue;
        if (owner.get(key) !== kind) {
          ctx.addIssue({ code: 'custom', path: [key], message: `does not belong in a ${kind} node` });
        }
      }
    }) as unknown as z.ZodType<FilterNode>;
  return node;
}

let built: z.ZodType<FilterNode> | undefined;

/**
 * The one filter schema, built from the registered leaves on first use. It validates in two
 * steps: the first two levels as the OpenAPI document shows them, then the whole tree (paths
 * name the node wherever it fails: `filter.all.1.value`).
 */
export const filterSchema: z.ZodType<FilterNode> = z.preprocess(
  bounds,
  z.lazy(() => {
    if (!built) {
      const leaves = selectionLeaves();
      const described = buildNode(leaves, 2).describe(
        `A filter: { all: [...] }, { any: [...] }, { not: node } or a leaf: ${leaves.map((l) => l.describe).join('; ')}. ` +
          `At most ${MAX_DEPTH} levels, ${MAX_NODES} nodes, ${MAX_CHILDREN} children per all/any.`,
      );
      const full = buildNode(leaves) as unknown as z.ZodType<FilterNode, FilterNode>;
      built = described.pipe(full) as unknown as z.ZodType<FilterNode>;
    }
    return built;
  }),
) as unknown as z.ZodType<FilterNode>;

// ---------------------------------------------------------------------------------------------
// Saved selections
// ---------------------------------------------------------------------------------------------

const name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const description = z
  .string()
  .trim()
  .max(2000, 'must be at most 2000 characters')
  .nullish()
  .transform((v) => (v === undefined ? undefined : v || null));

const purpose = z
  .enum(SELECTION_PURPOSES)
  .describe(
    'general: any use, the filter decides alone; marketing: for advertising — never contains a contact with a current prohibition ("do not contact me at all") or another marketing suppression',
  );

export const createSelectionSchema = z.object({
  name: name.describe('Unique in the tenant, case-insensitively'),
  description,
  purpose: purpose.default('general'),
  filter: filterSchema,
});
export type CreateSelectionInput = z.output<typeof createSelectionSchema>;

export const updateSelectionSchema = z.object({
  name: name.optional(),
  description,
  purpose: purpose.optional(),
  filter: filterSchema.optional(),
});
export type UpdateSelectionInput = z.output<typeof updateSelectionSchema>;

export const countBodySchema = z.object({ filter: filterSchema, purpose: purpose.default('general') });

export const queryBodySchema = z.object({
  filter: filterSchema,
  purpose: purpose.default('general'),
  limit: listQuerySchema.shape.limit,
  cursor: listQuerySchema.shape.cursor,
});

export const listSelectionsQuerySchema = listQuerySchema;

export const selectionSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  purpose: z.enum(SELECTION_PURPOSES),
  filter: z.record(z.string(), z.unknown()).describe('The filter as saved'),
  createdBy: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Selection = z.infer<typeof selectionSchema>;

export const countSchema = z.object({ count: z.number().int() });

export const selectionIdParams = z.object({ id: z.uuid() });
