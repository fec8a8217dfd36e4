import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freshDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { silentLogger } from '../../../test/support/logger.ts';
import { type BlobStore, newBlobKey } from './blob-store.ts';
import { createLocalBlobStore } from './local.ts';
import { discardBlob, reserveBlobKey, sweepBlobs } from './sweep.ts';

let database: TestDatabase;
let dir: string;
let blobs: BlobStore;
before(async () => {
  database = await freshDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-sweep-'));
  blobs = createLocalBlobStore(dir);
});
after(async () => {
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const tenant = '5c0b8f1e-2d3a-4b6c-9e7f-0a1b2c3d4e5f';

async function pending(key: string) {
  const rows = await database.asOwner((s) =>
    s.query<{ attempts: number; lastError: string | null; dueInSeconds: number }>(
      `select attempts, last_error as "lastError", extract(epoch from due_at - now())::float8 as "dueInSeconds"
       from blob_deletion where key = $1`,
      [key],
    ),
  );
  return rows[0];
}

test('an abandoned upload (reserved, written, never claimed) is deleted once its reservation falls due', async () => {
  const key = newBlobKey(tenant);
  await reserveBlobKey(database.db, key);
  await blobs.put(key, Buffer.from('half an upload'));
  assert.equal((await sweepBlobs(database.db, blobs, silentLogger())).deleted, 0, 'not due yet');
  assert.equal(await blobs.exists(key), true);
  assert.ok(((await pending(key))?.dueInSeconds ?? 0) > 3500, 'due in an hour');

  const abandoned = newBlobKey(tenant);
  await reserveBlobKey(database.db, abandoned, 0);
  await blobs.put(abandoned, Buffer.from('a killed upload'));
  const result = await sweepBlobs(database.db, blobs, silentLogger());
  assert.deepEqual(result, { deleted: 1, failed: 0 });
  assert.equal(await blobs.exists(abandoned), false);
  assert.equal(await pending(abandoned), undefined, 'its row is gone too');
  assert.equal(await blobs.exists(key), true, 'an upload still within its hour stays');
});

test('discarding an upload deletes its blob and its reservation at once', async () => {
  const key = newBlobKey(tenant);
  await reserveBlobKey(database.db, key);
  await blobs.put(key, Buffer.from('refused'));
  await discardBlob(database.db, blobs, key);
  assert.equal(await blobs.exists(key), false);
  assert.equal(await pending(key), undefined);
});

test('a deletion that fails stays listed, is retried later with backoff, and succeeds then', async () => {
  const key = newBlobKey(tenant);
  await reserveBlobKey(database.db, key, 0);
  await blobs.put(key, Buffer.from('stubborn'));
  let broken = true;
  const flaky: BlobStore = {
    ...blobs,
    delete: async (k) => {
      if (broken) throw new Error('store unavailable');
      await blobs.delete(k);
    },
  };
  assert.deepEqual(await sweepBlobs(database.db, flaky, silentLogger()), { deleted: 0, failed: 1 });
  const after1 = await pending(key);
  assert.equal(after1?.attempts, 1);
  assert.equal(after1?.lastError, 'store unavailable');
  assert.ok((after1?.dueInSeconds ?? 0) > 20, 'retried after a delay, not in a tight loop');
  assert.deepEqual(
    await sweepBlobs(database.db, flaky, silentLogger()),
    { deleted: 0, failed: 0 },
    'not due yet',
  );

  broken = false;
  await database.asOwner((s) => s.exec(`update blob_deletion set due_at = now() where key = '${key}'`));
  assert.deepEqual(await sweepBlobs(database.db, flaky, silentLogger()), { deleted: 1, failed: 0 });
  assert.equal(await blobs.exists(key), false);
  assert.equal(await pending(key), undefined);
});

test('a reservation key must be a blob key', async () => {
  await assert.rejects(reserveBlobKey(database.db, '../x'), /not a valid blob key/);
});

test('the sweep works through more keys than one batch, and one failing key does not hold up the rest', async () => {
  const keys = Array.from({ length: 7 }, () => newBlobKey(tenant));
  for (const key of keys) {
    await reserveBlobKey(database.db, key, 0);
    await blobs.put(key, Buffer.from(key));
  }
  const [stuck] = keys;
  const picky: BlobStore = {
    ...blobs,
    delete: async (k) => {
      if (k === stuck) throw new Error('permission denied');
      await blobs.delete(k);
    },
  };
  assert.deepEqual(await sweepBlobs(database.db, picky, silentLogger(), { batch: 3, concurrency: 2 }), {
    deleted: 6,
    failed: 1,
  });
  for (const key of keys.slice(1)) assert.equal(await blobs.exists(key), false);
  assert.equal(await blobs.exists(stuck as string), true);
  assert.equal((await pending(stuck as string))?.attempts, 1);
});
