import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../../test/support/logger.ts';
import { buildApp } from '../../app.ts';
import { createLocalBlobStore } from '../../kernel/blob/local.ts';
import { createSecretBox } from '../../kernel/crypto/secret-box.ts';
import { openDatabase } from '../../kernel/db/database.ts';
import { migrate } from '../../kernel/db/migrate.ts';
import { createJobQueue } from '../../kernel/jobs/queue.ts';

test('GET /readyz is 503 with the pending migrations until they are applied, then 200', async () => {
  const database = await openDatabase({ kind: 'pglite-memory' }); // never migrated
  const queue = createJobQueue({ database, logger: silentLogger(), definitions: [] });
  const app = await buildApp({
    config: { baseUrl: 'http://localhost:3000', rateLimit: 0, session: { idleMinutes: 30, maxHours: 12 } },
    database,
    queue,
    blobs: createLocalBlobStore(path.join(os.tmpdir(), 'kontor-readyz-blobs')), // never written
    secrets: createSecretBox(randomBytes(32)),
    logger: silentLogger(),
    webDist: false,
  });
  try {
    const before = await app.inject({ url: '/readyz' });
    assert.equal(before.statusCode, 503);
    const body = before.json() as { status: string; pending: string[] };
    assert.equal(body.status, 'not_ready');
    assert.ok(body.pending.length >= 1);
    assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200, 'alive even when not ready');
    await migrate(database);
    const afterwards = await app.inject({ url: '/readyz' });
    assert.equal(afterwards.statusCode, 200);
    assert.equal(afterwards.json().status, 'ready');
  } finally {
    await app.close();
    await database.close();
  }
});
