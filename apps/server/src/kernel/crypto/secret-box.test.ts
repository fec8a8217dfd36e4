import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createSecretBox, keyFromDataDir, keyFromSecret, SecretBoxError } from './secret-box.ts';

test('a sealed value opens with the same key and context, and never shows the plaintext', () => {
  const box = createSecretBox(randomBytes(32));
  const sealed = box.seal('JBSWY3DPEHPK3PXP', 'totp:user-1');
  assert.match(sealed, /^kb1\.[\w-]+\.[\w-]+\.[\w-]+$/);
  assert.ok(!sealed.includes('JBSWY3DPEHPK3PXP'));
  assert.equal(box.open(sealed, 'totp:user-1'), 'JBSWY3DPEHPK3PXP');
  assert.notEqual(box.seal('JBSWY3DPEHPK3PXP', 'totp:user-1'), sealed, 'a fresh IV each time');
  assert.equal(box.isSealed(sealed), true);
  assert.equal(box.isSealed('JBSWY3DPEHPK3PXP'), false);
});

test('a value does not open in another context, with another key, or when altered', () => {
  const key = randomBytes(32);
  const box = createSecretBox(key);
  const sealed = box.seal('seed', 'totp:user-1');
  assert.throws(() => box.open(sealed, 'totp:user-2'), SecretBoxError);
  assert.throws(() => createSecretBox(randomBytes(32)).open(sealed, 'totp:user-1'), SecretBoxError);
  const parts = sealed.split('.');
  const body = Buffer.from(parts[2] as string, 'base64url');
  body[0] = (body[0] as number) ^ 1;
  parts[2] = body.toString('base64url');
  assert.throws(() => box.open(parts.join('.'), 'totp:user-1'), SecretBoxError);
  assert.throws(() => box.open('plain', 'totp:user-1'), SecretBoxError);
  assert.throws(() => createSecretBox(randomBytes(16)), SecretBoxError);
});

test('KONTOR_SECRET gives the same key every time; different secrets give different keys', () => {
  const a = keyFromSecret('a'.repeat(40));
  assert.deepEqual(a, keyFromSecret('a'.repeat(40)));
  assert.notDeepEqual(a, keyFromSecret('b'.repeat(40)));
  const sealed = createSecretBox(a).seal('x', 'c');
  assert.equal(createSecretBox(keyFromSecret('a'.repeat(40))).open(sealed, 'c'), 'x');
});

test('without KONTOR_SECRET the key is created once in the data folder, readable only by its owner', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-key-'));
  try {
    const first = keyFromDataDir(dir);
    assert.deepEqual(keyFromDataDir(dir), first);
    assert.equal(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777, 0o600);
    fs.writeFileSync(path.join(dir, 'secret.key'), 'short');
    assert.throws(() => keyFromDataDir(dir), SecretBoxError);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
