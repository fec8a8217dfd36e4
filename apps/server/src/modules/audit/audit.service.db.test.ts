import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { freshDatabase, TEST_DB_KIND, type TestDatabase } from '../../../test/support/database.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { AppError } from '../../kernel/errors.ts';
import { GENESIS_HASH } from './audit.hash.ts';
import type { AuditChanges } from './audit.schema.ts';
import { recordAudit, recordAudits, verifyAuditChain } from './audit.service.ts';

let database: TestDatabase;
before(async () => {
  database = await freshDatabase();
});
after(() => database.close());

/** A bare tenant row, so that no other module's audit entries are in the way. */
async function newTenant(): Promise<string> {
  const rows = await database.asOwner((s) =>
    s.query<{ id: string }>("INSERT INTO tenant (name) VALUES ('Audit test') RETURNING id"),
  );
  return rows[0]!.id;
}

function record(tenantId: string, i: number) {
  return withTenant(database.db, tenantId, (tx) =>
    recordAudit(tx, {
      tenantId,
      actor: { kind: 'system' },
      action: 'setting.updated',
      entityType: 'setting',
      entityId: `s${i}`,
      changes: { kind: 'settings', before: { limit: i - 1 }, after: { limit: i } },
    }),
  );
}

async function tenantWithEntries(n: number): Promise<{ tenantId: string; ids: string[] }> {
  const tenantId = await newTenant();
  const ids: string[] = [];
  for (let i = 1; i <= n; i++) ids.push((await record(tenantId, i)).id);
  return { tenantId, ids };
}

type Row = { id: string; seq: number; prev_hash: string; hash: string; changes: unknown };

async function rowsOf(tenantId: string): Promise<Row[]> {
  const rows = await database.asOwner((s) =>
    s.query<Row>(
      'SELECT id, seq, prev_hash, hash, changes FROM audit_log WHERE tenant_id = $1 ORDER BY seq',
      [tenantId],
    ),
  );
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

function asOwner(text: string, params: unknown[]) {
  return database.asOwner((s) => s.query(text, params));
}

// Runs first: later tests break chains on purpose, and verifying all tenants stops at a break.
test(`an untouched log verifies whole across every tenant (${TEST_DB_KIND})`, async () => {
  await tenantWithEntries(3);
  await tenantWithEntries(2);
  assert.deepEqual(await verifyAuditChain(database), { ok: true, checked: 5, tenants: 2 });
});

test('each tenant has its own chain, numbered 1, 2, 3 … and linked by hash', async () => {
  const a = await newTenant();
  const b = await newTenant();
  for (const tenantId of [a, b, a, a, b]) await record(tenantId, 1);
  const rowsA = await rowsOf(a);
  const rowsB = await rowsOf(b);
  assert.deepEqual(
    rowsA.map((r) => r.seq),
    [1, 2, 3],
  );
  assert.deepEqual(
    rowsB.map((r) => r.seq),
    [1, 2],
  );
  for (const rows of [rowsA, rowsB]) {
    assert.equal(rows[0]!.prev_hash, GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) assert.equal(rows[i]!.prev_hash, rows[i - 1]!.hash);
  }
  assert.deepEqual(await verifyAuditChain(database, a), { ok: true, checked: 3, tenants: 1 });
  assert.deepEqual(await verifyAuditChain(database, b), { ok: true, checked: 2, tenants: 1 });
});

test('altering any hashed column of one entry directly in the database makes verify name that entry', async () => {
  const alterations: [string, string, string][] = [
    [
      'changes',
      `UPDATE audit_log SET changes = '{"kind":"settings","before":{"limit":2},"after":{"limit":99}}' WHERE id = $1`,
      'hash mismatch',
    ],
    [
      'occurred_at (by 1 µs)',
      "UPDATE audit_log SET occurred_at = occurred_at + interval '1 microsecond' WHERE id = $1",
      'hash mismatch',
    ],
    ['action', "UPDATE audit_log SET action = 'setting.viewed' WHERE id = $1", 'hash mismatch'],
    ['entity_id', 'UPDATE audit_log SET entity_id = NULL WHERE id = $1', 'hash mismatch'],
    ['actor', "UPDATE audit_log SET actor_kind = 'cli' WHERE id = $1", 'hash mismatch'],
    ['hash', "UPDATE audit_log SET hash = repeat('a', 64) WHERE id = $1", 'hash mismatch'],
    ['prev_hash', "UPDATE audit_log SET prev_hash = repeat('b', 64) WHERE id = $1", 'prev_hash mismatch'],
  ];
  for (const [column, statement, reason] of alterations) {
    const { tenantId, ids } = await tenantWithEntries(5);
    await asOwner(statement, [ids[2]]);
    const result = await verifyAuditChain(database, tenantId);
    assert.deepEqual(
      result.ok ? result : { ...result, detail: undefined },
      { ok: false, checked: 2, tenants: 1, tenantId, entryId: ids[2], seq: 3, reason, detail: undefined },
      column,
    );
  }
});

test('deleting an entry in the middle is detected at the entry after it', async () => {
  const { tenantId, ids } = await tenantWithEntries(5);
  await asOwner('DELETE FROM audit_log WHERE id = $1', [ids[2]]);
  const result = await verifyAuditChain(database, tenantId);
  assert.equal(result.ok, false);
  assert.ok(!result.ok);
  assert.deepEqual(
    { entryId: result.entryId, seq: result.seq, reason: result.reason, detail: result.detail },
    { entryId: ids[3], seq: 4, reason: 'seq gap', detail: 'expected seq 3, found 4' },
  );
});

test('deleting the first entry is detected at the entry after it', async () => {
  const { tenantId, ids } = await tenantWithEntries(3);
  await asOwner('DELETE FROM audit_log WHERE id = $1', [ids[0]]);
  const result = await verifyAuditChain(database, tenantId);
  assert.ok(!result.ok);
  assert.deepEqual([result.entryId, result.reason], [ids[1], 'seq gap']);
});

test('deleting the last entries is detected against the chain head', async () => {
  const { tenantId, ids } = await tenantWithEntries(5);
  await asOwner('DELETE FROM audit_log WHERE id = ANY($1::uuid[])', [[ids[3], ids[4]]]);
  const result = await verifyAuditChain(database, tenantId);
  assert.ok(!result.ok);
  assert.deepEqual(
    { checked: result.checked, entryId: result.entryId, seq: result.seq, reason: result.reason },
    { checked: 3, entryId: null, seq: 4, reason: 'missing tail' },
  );
});

test('deleting every entry of a tenant is detected against the chain head', async () => {
  const { tenantId } = await tenantWithEntries(2);
  await asOwner('DELETE FROM audit_log WHERE tenant_id = $1', [tenantId]);
  const result = await verifyAuditChain(database, tenantId);
  assert.ok(!result.ok);
  assert.deepEqual([result.seq, result.reason], [1, 'missing tail']);
});

test('an entry added behind the writer’s back, beyond the chain head, is detected', async () => {
  const { tenantId, ids } = await tenantWithEntries(2);
  const [copy] = await asOwner(
    `INSERT INTO audit_log (tenant_id, seq, occurred_at, actor_kind, action, entity_type, changes, prev_hash, hash)
     SELECT tenant_id, 3, occurred_at, actor_kind, action, entity_type, changes, hash, hash FROM audit_log WHERE id = $1
     RETURNING id`,
    [ids[1]],
  );
  const result = await verifyAuditChain(database, tenantId);
  assert.ok(!result.ok);
  assert.deepEqual([result.entryId, result.reason], [(copy as { id: string }).id, 'beyond head']);
});

test('the application role cannot update, delete or truncate audit entries, nor delete the chain head', async () => {
  const { tenantId, ids } = await tenantWithEntries(2);
  const attempts = [
    sql`UPDATE audit_log SET action = 'x.y' WHERE id = ${ids[0]}`,
    sql`DELETE FROM audit_log WHERE id = ${ids[0]}`,
    sql`TRUNCATE audit_log`,
    sql`DELETE FROM audit_chain_head`,
  ];
  for (const statement of attempts) {
    await assert.rejects(
      withTenant(database.db, tenantId, (tx) => statement.execute(tx)),
      /permission denied/,
    );
  }
  assert.deepEqual(await verifyAuditChain(database, tenantId), { ok: true, checked: 2, tenants: 1 });
});

test('20 concurrent appends of one tenant make one unbroken chain, seq 1 to 20', async () => {
  const tenantId = await newTenant();
  await Promise.all(Array.from({ length: 20 }, (_, i) => record(tenantId, i + 1)));
  assert.deepEqual(
    (await rowsOf(tenantId)).map((r) => r.seq),
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
  assert.deepEqual(await verifyAuditChain(database, tenantId), { ok: true, checked: 20, tenants: 1 });
});

test('a change that rolls back takes its audit entry with it, and the chain goes on without a gap', async () => {
  const { tenantId } = await tenantWithEntries(1);
  await assert.rejects(
    withTenant(database.db, tenantId, async (tx) => {
      await recordAudit(tx, {
        tenantId,
        actor: { kind: 'cli' },
        action: 'setting.updated',
        entityType: 'setting',
        changes: { kind: 'settings', before: null, after: 'x' },
      });
      throw new Error('the change failed');
    }),
    /the change failed/,
  );
  await record(tenantId, 2);
  assert.deepEqual(
    (await rowsOf(tenantId)).map((r) => r.seq),
    [1, 2],
  );
  assert.deepEqual(await verifyAuditChain(database, tenantId), { ok: true, checked: 2, tenants: 1 });
});

test('a personal-data entry stores field names only; anything like a value is refused', async () => {
  const tenantId = await newTenant();
  const userId = '7d3c6a0e-2f7b-4c1e-9a55-0c1f4f6b8e21';
  const write = (changes: AuditChanges) =>
    withTenant(database.db, tenantId, (tx) =>
      recordAudit(tx, {
        tenantId,
        actor: { kind: 'user', userId },
        action: 'contact.updated',
        entityType: 'contact',
        entityId: 'c-1',
        changes,
      }),
    );
  await write({ kind: 'personal-data', fields: ['email', 'displayName'] });
  const [row] = await rowsOf(tenantId);
  assert.deepEqual(row?.changes, { kind: 'personal-data', fields: ['email', 'displayName'] });

  const refused = [
    { kind: 'personal-data', fields: ['email'], values: { email: 'jane@example.com' } },
    { kind: 'personal-data', fields: ['jane@example.com'] },
    { kind: 'personal-data', fields: [] },
    { kind: 'personal-data', fields: ['email'], before: 'a@example.com', after: 'b@example.com' },
  ];
  for (const changes of refused) {
    await assert.rejects(
      write(changes as unknown as AuditChanges),
      (error: unknown) => error instanceof AppError && error.code === 'AUDIT_INVALID_ENTRY',
      JSON.stringify(changes),
    );
  }
  assert.equal((await rowsOf(tenantId)).length, 1);
});

test("an entry for another tenant than the transaction's is refused by row-level security", async () => {
  const mine = await newTenant();
  const other = await newTenant();
  await assert.rejects(
    withTenant(database.db, mine, (tx) =>
      recordAudit(tx, {
        tenantId: other,
        actor: { kind: 'system' },
        action: 'setting.updated',
        entityType: 'setting',
        changes: { kind: 'settings', before: 1, after: 2 },
      }),
    ),
    /row-level security/,
  );
});

test('verifying a tenant that does not exist, or by something that is not an id, is an error', async () => {
  await assert.rejects(
    verifyAuditChain(database, '00000000-0000-4000-8000-000000000000'),
    (error: unknown) => error instanceof AppError && error.code === 'AUDIT_TENANT_NOT_FOUND',
  );
  await assert.rejects(
    verifyAuditChain(database, "x' OR true --"),
    (error: unknown) => error instanceof AppError && error.code === 'AUDIT_INVALID_TENANT',
  );
});

test('verifying every tenant stops at the first broken entry', async () => {
  const result = await verifyAuditChain(database);
  assert.equal(result.ok, false);
});

test('a batch of entries continues the chain in order, one link each, and verifies whole', async () => {
  const { tenantId } = await tenantWithEntries(2);
  const batch = await withTenant(database.db, tenantId, (tx) =>
    recordAudits(
      tx,
      Array.from({ length: 2500 }, (_, i) => ({
        tenantId,
        actor: { kind: 'system' as const },
        action: 'contact.updated',
        entityType: 'contact',
        entityId: `c${i}`,
        changes: { kind: 'personal-data' as const, fields: ['tags'] },
      })),
    ),
  );
  assert.deepEqual(
    batch.map((e) => e.seq),
    Array.from({ length: 2500 }, (_, i) => i + 3),
  );
  await record(tenantId, 3);
  const rows = await rowsOf(tenantId);
  assert.equal(rows.length, 2503);
  for (let i = 1; i < rows.length; i++) assert.equal(rows[i]!.prev_hash, rows[i - 1]!.hash);
  assert.deepEqual(await verifyAuditChain(database, tenantId), { ok: true, checked: 2503, tenants: 1 });
});

test('one invalid entry rejects the whole batch, naming its position', async () => {
  const { tenantId } = await tenantWithEntries(1);
  await assert.rejects(
    withTenant(database.db, tenantId, (tx) =>
      recordAudits(tx, [
        {
          tenantId,
          actor: { kind: 'system' },
          action: 'contact.updated',
          entityType: 'contact',
          entityId: 'a',
          changes: { kind: 'personal-data', fields: ['tags'] },
        },
        {
          tenantId,
          actor: { kind: 'system' },
          action: 'contact.updated',
          entityType: 'contact',
          entityId: 'b',
          changes: { kind: 'personal-data', fields: ['Müller <mueller@example.com>'] },
        },
      ]),
    ),
    (error: unknown) =>
      error instanceof AppError &&
      error.code === 'AUDIT_INVALID_ENTRY' &&
      /^1\./.test(error.details?.[0]?.path ?? ''),
  );
  assert.equal((await rowsOf(tenantId)).length, 1);
});
