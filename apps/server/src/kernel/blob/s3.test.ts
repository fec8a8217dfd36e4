import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startS3, type TestS3 } from '../../../test/support/s3.ts';
import { blobStoreContract } from './blob-store.contract.ts';
import { type BlobStore, newBlobKey } from './blob-store.ts';
import { createS3BlobStore } from './s3.ts';

// Against a real S3-compatible server (s3rver, in this process on a free port), with the AWS
// SDK's default checksum settings.
let s3: TestS3;
let store: BlobStore;
before(async () => {
  s3 = await startS3();
  store = createS3BlobStore({
    bucket: s3.bucket,
    endpoint: s3.endpoint,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
    prefix: 'kontor/',
    partSize: 5 * 1024 * 1024,
  });
});
after(async () => {
  await store.close();
  await s3.close();
});

blobStoreContract('s3', () => store);

const tenant = '9d1e4b7a-3c2f-4e8d-b6a0-1f2e3d4c5b6a';

test('s3: a body larger than a part goes up as a multipart upload and reads back whole', async () => {
  const key = newBlobKey(tenant);
  const bytes = randomBytes(11 * 1024 * 1024 + 123);
  const chunks = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) =>
    bytes.subarray(i * 65536, (i + 1) * 65536),
  );
  async function* stream() {
    yield* chunks;
  }
  assert.deepEqual(await store.put(key, stream()), { size: bytes.length });
  const back: Buffer[] = [];
  for await (const chunk of await store.get(key)) back.push(Buffer.from(chunk as Uint8Array));
  assert.ok(Buffer.concat(back).equals(bytes));
  assert.deepEqual(await store.stat(key), { size: bytes.length });
});

test('s3: keys live under the configured prefix in the bucket', async () => {
  const key = newBlobKey(tenant);
  await store.put(key, Buffer.from('prefixed'));
  // s3rver keeps objects as files: <dir>/<bucket>/<key>._S3rver_object
  const file = path.join(s3.directory, s3.bucket, 'kontor', ...key.split('/'));
  assert.ok(fs.existsSync(`${file}._S3rver_object`), 'stored under kontor/<key>');
});
