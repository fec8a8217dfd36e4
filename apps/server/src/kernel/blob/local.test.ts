import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { blobStoreContract } from './blob-store.contract.ts';
import { type BlobStore, newBlobKey } from './blob-store.ts';
import { createLocalBlobStore } from './local.ts';

let dir: string;
let store: BlobStore;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-local-blobs-'));
  store = createLocalBlobStore(dir);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

blobStoreContract('local', () => store);

const tenant = '0b6f3f8e-6a55-4d0c-8a3e-5d8a1f0c2e77';

test('local: key a/b is the file a/b under the folder, readable by its owner only', async () => {
  const key = newBlobKey(tenant);
  await store.put(key, Buffer.from('%PDF-1.7'));
  const file = path.join(dir, ...key.split('/'));
  assert.equal(fs.readFileSync(file, 'utf8'), '%PDF-1.7');
  if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o777, 0o600);
});

test('local: while a put is still receiving, nothing is under the key, only a partial file in .tmp', async () => {
  const key = newBlobKey(tenant);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  async function* slow() {
    yield Buffer.from('first half ');
    await gate;
    yield Buffer.from('second half');
  }
  const writing = store.put(key, slow());
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(await store.exists(key), false, 'no half file under the real key');
  assert.equal(fs.readdirSync(path.join(dir, '.tmp')).length, 1, 'the partial file lives in .tmp');
  release();
  await writing;
  assert.equal(fs.readFileSync(path.join(dir, ...key.split('/')), 'utf8'), 'first half second half');
  assert.deepEqual(fs.readdirSync(path.join(dir, '.tmp')), []);
});

test('local: a failed put removes its partial file', async () => {
  async function* failing() {
    yield Buffer.alloc(1024);
    throw new Error('client went away');
  }
  await assert.rejects(store.put(newBlobKey(tenant), failing()), /client went away/);
  assert.deepEqual(fs.readdirSync(path.join(dir, '.tmp')), []);
});

test('local: cleanUp removes partial files a crash left behind, once they are old', async () => {
  const stale = path.join(dir, '.tmp', 'crashed.part');
  const fresh = path.join(dir, '.tmp', 'writing.part');
  fs.writeFileSync(stale, 'half');
  fs.writeFileSync(fresh, 'half');
  const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
  fs.utimesSync(stale, twoHoursAgo, twoHoursAgo);
  assert.equal(await store.cleanUp(), 1);
  assert.equal(fs.existsSync(stale), false);
  assert.equal(fs.existsSync(fresh), true, 'a partial file of a write in progress stays');
  fs.rmSync(fresh);
});

test('local: the folder is made on the first write, not when the store is opened', async () => {
  const lazy = path.join(dir, 'not-yet');
  const s = createLocalBlobStore(lazy);
  assert.equal(fs.existsSync(lazy), false);
  assert.equal(await s.exists(newBlobKey(tenant)), false);
  assert.equal(await s.cleanUp(), 0);
  await s.put(newBlobKey(tenant), Buffer.from('x'));
  assert.equal(fs.existsSync(path.join(lazy, '.tmp')), true);
});

test('local: bodies failing at once or after a chunk never leave a partial file (50 tries each)', async () => {
  for (let i = 0; i < 50; i++) {
    async function* atOnce(): AsyncIterable<Uint8Array> {
      yield* [];
      throw new Error('too large');
    }
    async function* afterOne(): AsyncIterable<Uint8Array> {
      yield Buffer.alloc(70_000);
      throw new Error('too large');
    }
    await assert.rejects(store.put(newBlobKey(tenant), atOnce()), /too large/);
    await assert.rejects(store.put(newBlobKey(tenant), afterOne()), /too large/);
  }
  assert.deepEqual(fs.readdirSync(path.join(dir, '.tmp')), []);
});
