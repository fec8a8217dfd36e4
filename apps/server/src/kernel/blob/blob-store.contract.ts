import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { BlobNotFoundError, type BlobStore, newBlobKey } from './blob-store.ts';

/**
 * What every BlobStore must do, run by local.test.ts and s3.test.ts against real stores.
 * `store()` is called inside each test (after the file's `before` opened it).
 */
export function blobStoreContract(name: string, store: () => BlobStore): void {
  const tenant = '3f1c2a9e-0d4b-4c55-9a51-2a7f7f0e8b11';

  async function read(s: BlobStore, key: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await s.get(key)) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks);
  }

  test(`${name}: a blob written from a buffer reads back byte for byte, with its size`, async () => {
    const s = store();
    const key = newBlobKey(tenant);
    const bytes = randomBytes(70_001);
    assert.deepEqual(await s.put(key, bytes, { contentType: 'application/pdf' }), { size: 70_001 });
    assert.ok((await read(s, key)).equals(bytes));
    assert.deepEqual(await s.stat(key), { size: 70_001 });
    assert.equal(await s.exists(key), true);
  });

  test(`${name}: a blob written from a stream of chunks reads back whole`, async () => {
    const s = store();
    const key = newBlobKey(tenant);
    const chunks = Array.from({ length: 40 }, () => randomBytes(16 * 1024 + 7));
    const { size } = await s.put(key, Readable.from(chunks));
    const whole = Buffer.concat(chunks);
    assert.equal(size, whole.length);
    const back = await read(s, key);
    assert.equal(
      createHash('sha256').update(back).digest('hex'),
      createHash('sha256').update(whole).digest('hex'),
    );
  });

  test(`${name}: a body that fails half-way leaves nothing under the key`, async () => {
    const s = store();
    const key = newBlobKey(tenant);
    async function* failing() {
      yield randomBytes(64 * 1024);
      throw new Error('limit exceeded');
    }
    await assert.rejects(s.put(key, failing()), /limit exceeded/);
    assert.equal(await s.exists(key), false);
    await assert.rejects(s.get(key), BlobNotFoundError);
  });

  test(`${name}: delete removes the blob, and deleting a missing blob is no error`, async () => {
    const s = store();
    const key = newBlobKey(tenant);
    await s.put(key, Buffer.from('bye'));
    await s.delete(key);
    assert.equal(await s.exists(key), false);
    assert.equal(await s.stat(key), undefined);
    await s.delete(key);
    await s.delete(newBlobKey(tenant));
  });

  test(`${name}: keys that could leave the store or name special files are refused`, async () => {
    const s = store();
    for (const key of [
      '../escape',
      'a/../../b',
      '/etc/passwd',
      'a/./b',
      '.tmp/x',
      'UPPER/case',
      'a b',
      'a/',
      '',
      'a\\b',
    ]) {
      await assert.rejects(s.put(key, Buffer.from('x')), /not a valid blob key/, key);
      await assert.rejects(s.get(key), /not a valid blob key/, key);
      await assert.rejects(s.delete(key), /not a valid blob key/, key);
    }
  });
}
