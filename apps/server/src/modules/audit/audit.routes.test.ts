import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import type { AuditEntry, AuditEntryInput } from './index.ts';
import { recordAudit } from './index.ts';

let ctx: TestContext;
before(async () => {
  ctx = await testContext();
});
after(() => ctx.close());

type Page = { items: AuditEntry[]; nextCursor: string | null };

async function record(tenantId: string, entries: Omit<AuditEntryInput, 'tenantId'>[]): Promise<string[]> {
  return withTenant(ctx.database.db, tenantId, async (tx) => {
    const ids: string[] = [];
    for (const entry of entries) ids.push((await recordAudit(tx, { ...entry, tenantId })).id);
    return ids;
  });
}

function probe(minute: number, extra: Partial<Omit<AuditEntryInput, 'tenantId'>> = {}) {
  return {
    actor: { kind: 'system' as const },
    action: 'probe.updated',
    entityType: 'probe',
    entityId: `p${minute}`,
    changes: { kind: 'settings' as const, before: minute - 1, after: minute },
    occurredAt: new Date(Date.UTC(2026, 10, 1, 10, minute)),
    ...extra,
  };
}

async function list(token: string, query: string): Promise<Page> {
  const response = await ctx.app.inject({ url: `/api/v1/audit-log?${query}`, headers: bearer(token) });
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as Page;
}

test('GET /api/v1/audit-log pages newest first with a cursor, none twice, none skipped', async () => {
  const tenant = await ctx.newTenant();
  // Two entries share a time: the id breaks the tie, and the cursor must not lose either.
  const entries = [probe(1), probe(2), probe(3), probe(3), probe(4), probe(5), probe(6)];
  const ids = await record(tenant.tenantId, entries);
  const expected = ids
    .map((id, i) => ({ id, at: entries[i]!.occurredAt.getTime() }))
    .sort((x, y) => y.at - x.at || (y.id < x.id ? -1 : 1))
    .map((e) => e.id);
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: Page = await list(
      tenant.apiToken,
      `entityType=probe&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
    );
    assert.ok(page.items.length <= 3);
    seen.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor && pages < 10);
  assert.equal(pages, 3);
  assert.deepEqual(seen, expected);
});

test('an entry is presented with its sequence, actor, changes and hash', async () => {
  const tenant = await ctx.newTenant();
  await record(tenant.tenantId, [
    probe(7, {
      actor: { kind: 'user', userId: tenant.adminUserId },
      action: 'contact.updated',
      entityType: 'contact',
      entityId: 'c-7',
      changes: { kind: 'personal-data', fields: ['email'] },
    }),
  ]);
  const [item] = (await list(tenant.apiToken, 'entityType=contact')).items;
  assert.ok(item);
  assert.deepEqual(
    { ...item, id: undefined, seq: undefined, hash: undefined },
    {
      id: undefined,
      seq: undefined,
      hash: undefined,
      occurredAt: '2026-11-01T10:07:00.000Z',
      actor: { kind: 'user', userId: tenant.adminUserId },
      action: 'contact.updated',
      entityType: 'contact',
      entityId: 'c-7',
      changes: { kind: 'personal-data', fields: ['email'] },
    },
  );
  assert.ok(item.seq >= 1);
  assert.match(item.hash, /^[0-9a-f]{64}$/);
});

test("one tenant's token never lists another tenant's audit entries", async () => {
  const a = await ctx.newTenant();
  const b = await ctx.newTenant();
  const [onlyA] = await record(a.tenantId, [probe(1)]);
  const [onlyB] = await record(b.tenantId, [probe(1)]);
  const idsA = (await list(a.apiToken, 'limit=200')).items.map((i) => i.id);
  const idsB = (await list(b.apiToken, 'limit=200')).items.map((i) => i.id);
  assert.ok(idsA.includes(onlyA!) && !idsA.includes(onlyB!));
  assert.ok(idsB.includes(onlyB!) && !idsB.includes(onlyA!));
});

// Names no other module writes, so that entries from tenant creation stay out of the way.
test('the list filters by action, entity, actor and time', async () => {
  const tenant = await ctx.newTenant();
  const user = { kind: 'api_token' as const, userId: tenant.adminUserId };
  const [first, second, third] = await record(tenant.tenantId, [
    probe(10, { action: 'probe_role.updated', entityType: 'probe_role', entityId: 'r1' }),
    probe(20, { action: 'probe_role.updated', entityType: 'probe_role', entityId: 'r2', actor: user }),
    probe(30, { action: 'probe_token.revoked', entityType: 'probe_token', entityId: 't1', actor: user }),
  ]);
  const ids = async (query: string) => (await list(tenant.apiToken, query)).items.map((i) => i.id);
  assert.deepEqual(await ids('action=probe_role.updated'), [second, first]);
  assert.deepEqual(await ids('entityType=probe_role&entityId=r1'), [first]);
  assert.deepEqual(await ids(`actorUserId=${tenant.adminUserId}&entityType=probe_role`), [second]);
  assert.deepEqual(await ids(`actorUserId=${tenant.adminUserId}&action=probe_token.revoked`), [third]);
  assert.deepEqual(
    await ids('from=2026-11-01T10:20:00Z&to=2026-11-01T10:30:00Z&entityType=probe_role'),
    [second],
    'from is inclusive, to exclusive',
  );
});

test('a cursor that was not handed out, or a bad filter, is a 400 problem', async () => {
  const tenant = await ctx.newTenant();
  for (const query of ['cursor=bm90LWEtY3Vyc29y', 'actorUserId=someone', 'from=yesterday']) {
    const response = await ctx.app.inject({
      url: `/api/v1/audit-log?${query}`,
      headers: bearer(tenant.apiToken),
    });
    assert.equal(response.statusCode, 400, query);
    assert.match(String(response.headers['content-type']), /application\/problem\+json/);
  }
});

test('the audit log needs credentials', async () => {
  const response = await ctx.app.inject({ url: '/api/v1/audit-log' });
  assert.equal(response.statusCode, 401);
});
