import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../kernel/db/database.ts';
import { type TenantTx, withPrincipal } from '../../kernel/db/tenancy.ts';
import { type Principal, principalOf } from '../../kernel/http/auth.ts';
import { auditManyBy } from '../audit/index.ts';
import * as repo from './contacts.repository.ts';
import { uniqueNames } from './contacts.schema.ts';

/**
 * Bulk tagging: add and remove tags on up to 1,000 contacts in one request. Every contact gets
 * its own outcome — one missing or out-of-scope id never fails the batch — and every contact
 * whose tags changed its own audit entry (field `tags`), as a PATCH of its tags would.
 */

export const BULK_MAX_IDS = 1000;

const tagNames = z
  .array(z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'))
  .max(50, 'at most 50 tags')
  .optional()
  .transform((v) => uniqueNames(v ?? []));

export const bulkTagsSchema = z
  .object({
    ids: z
      .array(z.uuid())
      .min(1, 'give at least one contact id')
      .max(BULK_MAX_IDS, `at most ${BULK_MAX_IDS} contacts at once`)
      .describe('Contact ids; each gets its own outcome, in this order (repeated ids once).'),
    add: tagNames.describe('Tag names to add; unknown ones are created. Case-insensitive.'),
    remove: tagNames.describe('Tag names to remove; names no contact carries are ignored.'),
  })
  .superRefine((body, ctx) => {
    if (body.add.length === 0 && body.remove.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['add'], message: 'give tags to add or to remove' });
    }
    const added = new Set(body.add.map((n) => n.toLowerCase()));
    for (const [i, name] of body.remove.entries()) {
      if (added.has(name.toLowerCase())) {
        ctx.addIssue({ code: 'custom', path: ['remove', i], message: `"${name}" is to be added as well` });
      }
    }
  });
export type BulkTagsInput = z.output<typeof bulkTagsSchema>;

export const bulkOutcomeSchema = z.object({
  id: z.uuid(),
  ok: z.boolean(),
  code: z.string().optional().describe('Why not: CONTACTS_NOT_FOUND, CONTACTS_OUT_OF_SCOPE'),
});
export type BulkOutcome = z.infer<typeof bulkOutcomeSchema>;

/**
 * Adds and removes tags on each contact. Ids not found — another tenant's, deleted, or outside a
 * scoped user's groups — answer CONTACTS_NOT_FOUND; a change that would take a contact out of
 * the user's groups answers CONTACTS_OUT_OF_SCOPE and is not made. A contact whose tags do not
 * change is ok and not audited.
 */
export async function bulkTagContacts(
  tx: TenantTx,
  principal: Principal,
  input: BulkTagsInput,
): Promise<BulkOutcome[]> {
  const ids = [...new Set(input.ids.map((id) => id.toLowerCase()))];
  const visible = await visibleContactIds(tx, ids);
  const current = await repo.tagNamesOf(tx, 'contact', [...visible]);
  const adding = new Set(input.add.map((n) => n.toLowerCase()));
  const removing = new Set(input.remove.map((n) => n.toLowerCase()));
  const scope = principal.contactScope ? new Set(principal.contactScope.map((t) => t.toLowerCase())) : null;

  const outcomes = new Map<string, BulkOutcome>();
  const changed: string[] = [];
  for (const id of ids) {
    if (!visible.has(id)) {
      outcomes.set(id, { id, ok: false, code: 'CONTACTS_NOT_FOUND' });
      continue;
    }
    const before = new Set((current.get(id) ?? []).map((n) => n.toLowerCase()));
    const after = new Set([...before].filter((n) => !removing.has(n)));
    for (const name of adding) after.add(name);
    if (scope && ![...after].some((n) => scope.has(n))) {
      outcomes.set(id, { id, ok: false, code: 'CONTACTS_OUT_OF_SCOPE' });
      continue;
    }
    outcomes.set(id, { id, ok: true });
    if (after.size !== before.size || [...after].some((n) => !before.has(n))) changed.push(id);
  }

  if (changed.length > 0) {
    await touchContacts(tx, changed);
    if (input.add.length > 0) {
      const tagIds = await repo.ensureTags(tx, principal.tenantId, input.add);
      await linkTags(tx, principal.tenantId, changed, tagIds);
    }
    if (input.remove.length > 0) await unlinkTags(tx, changed, input.remove);
    // One chain append for the batch: an entry per changed contact, written in one statement.
    await auditManyBy(
      tx,
      principal,
      changed.map((id) => ({
        action: 'contact.updated',
        entityType: 'contact',
        entityId: id,
        changes: { kind: 'personal-data' as const, fields: ['tags'] },
      })),
    );
  }
  return ids.map((id) => outcomes.get(id) as BulkOutcome);
}

// -- queries (set-based: one statement per step, whatever the number of contacts) -----------

/** Up to 1,000 ids as one parameter (uuids hold no comma), instead of 1,000 parameters. */
const uuids = (ids: string[]) => sql`string_to_array(${ids.join(',')}, ',')::uuid[]`;

/** Which of the ids the transaction sees (row-level security: tenant and contact scope). */
async function visibleContactIds(tx: TenantTx, ids: string[]): Promise<Set<string>> {
  const { rows } = await sql<{ id: string }>`select id from contact where id = any(${uuids(ids)})`.execute(
    tx,
  );
  return new Set(rows.map((r) => r.id));
}

/** updated_at moves with the tags, as with a PATCH of the tags. */
async function touchContacts(tx: TenantTx, ids: string[]): Promise<void> {
  await sql`update contact set updated_at = now() where id = any(${uuids(ids)})`.execute(tx);
}

async function linkTags(
  tx: TenantTx,
  tenantId: string,
  contactIds: string[],
  tagIds: string[],
): Promise<void> {
  if (tagIds.length === 0) return;
  await sql`insert into contact_tag (tenant_id, contact_id, tag_id)
    select ${tenantId}::uuid, c.id, t.id
    from unnest(${uuids(contactIds)}) as c (id) cross join unnest(${uuids(tagIds)}) as t (id)
    on conflict (tenant_id, contact_id, tag_id) do nothing`.execute(tx);
}

async function unlinkTags(tx: TenantTx, contactIds: string[], names: string[]): Promise<void> {
  await sql`delete from contact_tag
    where contact_id = any(${uuids(contactIds)})
      and tag_id in (select id from tag where name in (${sql.join(names.map((n) => sql`${n}::citext`))}))`.execute(
    tx,
  );
}

// -- HTTP ------------------------------------------------------------------------------------

/** `POST /api/v1/contacts/bulk/tags`, registered by contactsRoutes(). */
export function registerBulkTagRoute(app: FastifyInstance, database: Database): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/v1/contacts/bulk/tags',
    {
      config: { access: { area: 'contacts', action: 'update' } },
      schema: {
        tags: ['contacts'],
        summary: 'Add and remove tags on up to 1,000 contacts; an outcome per contact, never a failed batch',
        body: bulkTagsSchema,
        response: { 200: z.object({ items: z.array(bulkOutcomeSchema) }) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const items = await withPrincipal(database.db, principal, (tx) =>
        bulkTagContacts(tx, principal, request.body),
      );
      return { items };
    },
  );
}
