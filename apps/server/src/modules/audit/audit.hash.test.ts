import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditEntryHash, canonicalJson, GENESIS_HASH, type HashedEntry, isoMicros } from './audit.hash.ts';

const entry: HashedEntry = {
  id: '5b0f3b55-6c6e-4f0a-9d8e-2a1c3e4f5a6b',
  tenantId: '0d9e8f7a-1b2c-4d3e-8f4a-5b6c7d8e9f00',
  seq: 1,
  occurredAt: '2026-11-29T10:00:00.123000Z',
  actorKind: 'system',
  actorUserId: null,
  action: 'setting.updated',
  entityType: 'setting',
  entityId: 'language',
  changes: { kind: 'settings', before: 'de', after: 'en' },
  prevHash: GENESIS_HASH,
};

// sha256 of the canonical JSON {"action":…,"actor":{"kind":"system","userId":null},…,"v":1}, checked
// independently (Python json.dumps with sorted keys and no spaces gives the same digest).
test('the entry hash is pinned: existing chains stay verifiable only while it does not change', () => {
  assert.equal(auditEntryHash(entry), '2c507dd5b2c943e258bdcc38c1d7c4bb5aa5f1c4af174c4df58479d0326d7d9a');
});

test('the hash does not depend on the order of keys in changes', () => {
  assert.equal(
    auditEntryHash({ ...entry, changes: { after: 'en', before: 'de', kind: 'settings' } }),
    auditEntryHash(entry),
  );
});

test('every hashed field changes the hash', () => {
  const variants: Partial<HashedEntry>[] = [
    { id: '5b0f3b55-6c6e-4f0a-9d8e-2a1c3e4f5a6c' },
    { tenantId: '0d9e8f7a-1b2c-4d3e-8f4a-5b6c7d8e9f01' },
    { seq: 2 },
    { occurredAt: '2026-11-29T10:00:00.123001Z' },
    { actorKind: 'cli' },
    { actorUserId: '0d9e8f7a-1b2c-4d3e-8f4a-5b6c7d8e9f00' },
    { action: 'setting.created' },
    { entityType: 'settings' },
    { entityId: null },
    { changes: { kind: 'settings', before: 'de', after: 'fr' } },
    { prevHash: 'f'.repeat(64) },
  ];
  const hashes = new Set([auditEntryHash(entry), ...variants.map((v) => auditEntryHash({ ...entry, ...v }))]);
  assert.equal(hashes.size, variants.length + 1);
});

test('canonical JSON sorts keys and refuses what JSON cannot hold', () => {
  assert.equal(
    canonicalJson({ b: [1, 'x', null], a: { d: true, c: 1e21 } }),
    '{"a":{"c":1e+21,"d":true},"b":[1,"x",null]}',
  );
  assert.throws(() => canonicalJson({ n: Number.NaN }));
  assert.throws(() => canonicalJson(undefined));
});

test('a date is written with microseconds, as PostgreSQL gives it back', () => {
  assert.equal(isoMicros(new Date('2026-11-29T10:00:00.123Z')), '2026-11-29T10:00:00.123000Z');
});
