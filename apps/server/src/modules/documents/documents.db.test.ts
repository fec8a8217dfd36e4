import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { freshDatabase, TEST_DB_KIND, type TestDatabase } from '../../../test/support/database.ts';
import { silentLogger } from '../../../test/support/logger.ts';
import { type BlobStore, newBlobKey } from '../../kernel/blob/blob-store.ts';
import { createLocalBlobStore } from '../../kernel/blob/local.ts';
import { reserveBlobKey, sweepBlobs } from '../../kernel/blob/sweep.ts';
import { type TenantTx, withTenant } from '../../kernel/db/tenancy.ts';
import { createTenant } from '../tenants/index.ts';

// The database's half of crash-safe deletion: the triggers on `document` and `blob_deletion`.
let database: TestDatabase;
let dir: string;
let blobs: BlobStore;
before(async () => {
  database = await freshDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-documents-db-'));
  blobs = createLocalBlobStore(dir);
});
after(async () => {
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
async function tenantWithPerson(): Promise<{ tenantId: string; contactId: string }> {
  counter += 1;
  const { tenantId } = await createTenant(database.db, {
    name: `Docs ${counter}`,
    adminEmail: `d${counter}@example.com`,
  });
  const contactId = await withTenant(database.db, tenantId, async (tx) => {
    const { rows } = await sql<{ id: string }>`
      insert into contact (tenant_id, last_name) values (${tenantId}, 'Muster') returning id`.execute(tx);
    return rows[0]?.id as string;
  });
  return { tenantId, contactId };
}

function insertDocument(tx: TenantTx, tenantId: string, contactId: string, key: string) {
  return sql`
    insert into document (tenant_id, contact_id, file_name, content_type, size, sha256, blob_key)
    values (${tenantId}, ${contactId}, 'a.pdf', 'application/pdf', 5, ${'0'.repeat(64)}, ${key})`.execute(tx);
}

async function pendingKeys(): Promise<string[]> {
  const rows = await database.asOwner((s) =>
    s.query<{ key: string }>('select key from blob_deletion order by key'),
  );
  return rows.map((r) => r.key);
}

test('a document row claims its upload reservation; without an open one it cannot be inserted', async () => {
  const { tenantId, contactId } = await tenantWithPerson();
  const key = newBlobKey(tenantId);
  await reserveBlobKey(database.db, key);
  await withTenant(database.db, tenantId, (tx) => insertDocument(tx, tenantId, contactId, key));
  assert.ok(!(await pendingKeys()).includes(key), 'the reservation is claimed with the insert');

  const unreserved = newBlobKey(tenantId);
  await assert.rejects(
    withTenant(database.db, tenantId, (tx) => insertDocument(tx, tenantId, contactId, unreserved)),
    /no open upload reservation/,
  );
  const expired = newBlobKey(tenantId);
  await reserveBlobKey(database.db, expired, 0);
  await assert.rejects(
    withTenant(database.db, tenantId, (tx) => insertDocument(tx, tenantId, contactId, expired)),
    /no open upload reservation/,
    'a reservation that fell due may be being swept',
  );
});

test("a blob key must lie under the document's own tenant", async () => {
  const mine = await tenantWithPerson();
  const other = await tenantWithPerson();
  const foreign = newBlobKey(other.tenantId);
  await reserveBlobKey(database.db, foreign);
  await assert.rejects(
    withTenant(database.db, mine.tenantId, (tx) =>
      insertDocument(tx, mine.tenantId, mine.contactId, foreign),
    ),
    /document_blob_key_check|check constraint/,
  );
});

test('deleting a person, or a whole tenant, hands every document blob to the sweep in the same transaction', async () => {
  const { tenantId, contactId } = await tenantWithPerson();
  const keys = [newBlobKey(tenantId), newBlobKey(tenantId)];
  for (const key of keys) {
    await reserveBlobKey(database.db, key);
    await blobs.put(key, Buffer.from('%PDF-'));
    await withTenant(database.db, tenantId, (tx) => insertDocument(tx, tenantId, contactId, key));
  }
  // A deletion that rolls back hands nothing over.
  await assert.rejects(
    withTenant(database.db, tenantId, async (tx) => {
      await sql`delete from contact where id = ${contactId}`.execute(tx);
      throw new Error('changed my mind');
    }),
    /changed my mind/,
  );
  assert.deepEqual(
    (await pendingKeys()).filter((k) => keys.includes(k)),
    [],
  );
  await withTenant(database.db, tenantId, (tx) =>
    sql`delete from contact where id = ${contactId}`.execute(tx),
  );
  assert.deepEqual(
    (await pendingKeys()).filter((k) => keys.includes(k)),
    [...keys].sort(),
  );
  await sweepBlobs(database.db, blobs, silentLogger());
  for (const key of keys) assert.equal(await blobs.exists(key), false);

  const doomed = await tenantWithPerson();
  const key = newBlobKey(doomed.tenantId);
  await reserveBlobKey(database.db, key);
  await withTenant(database.db, doomed.tenantId, (tx) =>
    insertDocument(tx, doomed.tenantId, doomed.contactId, key),
  );
  await database.asOwner((s) => s.query('delete from tenant where id = $1', [doomed.tenantId]));
  assert.ok((await pendingKeys()).includes(key), "a deleted tenant's files are swept too");
});

test('an insert racing its reservation falling due wins or loses whole: the sweep skips a key an open insert holds', {
  skip: TEST_DB_KIND !== 'postgres' && 'needs concurrent transactions (PostgreSQL)',
}, async () => {
  await sweepBlobs(database.db, blobs, silentLogger()); // what earlier tests handed over
  const { tenantId, contactId } = await tenantWithPerson();
  const key = newBlobKey(tenantId);
  await reserveBlobKey(database.db, key, 2);
  await blobs.put(key, Buffer.from('%PDF-'));
  let release!: () => void;
  const hold = new Promise<void>((resolve) => {
    release = resolve;
  });
  let claimed!: () => void;
  const insertDone = new Promise<void>((resolve) => {
    claimed = resolve;
  });
  const inserting = withTenant(database.db, tenantId, async (tx) => {
    await insertDocument(tx, tenantId, contactId, key);
    claimed();
    await hold;
  });
  await insertDone;
  await new Promise((r) => setTimeout(r, 2500)); // the reservation is due now, as seen from outside
  const swept = await sweepBlobs(database.db, blobs, silentLogger());
  assert.equal(swept.deleted, 0, 'the key held by the open insert is skipped');
  assert.equal(await blobs.exists(key), true);
  release();
  await inserting;
  assert.equal(await blobs.exists(key), true, 'the committed document still has its file');
  assert.ok(!(await pendingKeys()).includes(key));
});

test('row-level security: a scoped principal sees documents only of persons in scope', async () => {
  const { tenantId, contactId } = await tenantWithPerson();
  const key = newBlobKey(tenantId);
  await reserveBlobKey(database.db, key);
  await withTenant(database.db, tenantId, (tx) => insertDocument(tx, tenantId, contactId, key));
  const count = (scope: string[] | null) =>
    withTenant(database.db, tenantId, async (tx) => {
      if (scope)
        await sql`select set_config('app.contact_scope', ${JSON.stringify(scope)}, true)`.execute(tx);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from document`.execute(tx);
      return rows[0]?.n;
    });
  assert.equal(await count(null), 1);
  assert.equal(await count(['Nord']), 0, 'the person carries no tag of the scope');
});
