import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { freshDatabase, TEST_DB_KIND, type TestDatabase } from '../../../test/support/database.ts';
import { silentLogger } from '../../../test/support/logger.ts';
import { createProbeTable, probeJob } from '../../../test/support/probe.ts';
import { type Child, SERVER_DIR, start } from '../../../test/support/process.ts';
import { createTenant } from '../../modules/tenants/index.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { createJobQueue, installJobSchema } from './queue.ts';

const JOBS = 30;
const worker = path.join(SERVER_DIR, 'test/fixtures/job-worker.ts');
let pgDatabase: TestDatabase | undefined;
let dataDir: string | undefined;
let env: NodeJS.ProcessEnv;

/** PostgreSQL: a fresh test database shared with the children. PGlite: a data folder on disk. */
async function openShared(): Promise<Database> {
  if (TEST_DB_KIND === 'postgres') {
    pgDatabase ??= await freshDatabase();
    return pgDatabase;
  }
  dataDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-crash-'));
  const database = await openDatabase({ kind: 'pglite', dataDir });
  await migrate(database);
  await installJobSchema(database, silentLogger());
  return database;
}

async function release(database: Database): Promise<void> {
  if (database !== pgDatabase) await database.close();
}

before(async () => {
  const database = await openShared();
  env =
    TEST_DB_KIND === 'postgres'
      ? { DATABASE_URL: pgDatabase?.url }
      : { DATABASE_URL: '', KONTOR_DATA_DIR: dataDir };
  await createProbeTable(database);
  await release(database);
});

const children: Child[] = [];
function track(child: Child): Child {
  children.push(child);
  return child;
}

async function waitUntil(check: () => boolean, seconds = 60): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

after(async () => {
  for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
  await pgDatabase?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test(`kill -9 of a worker while jobs run: after a restart every job has its effect exactly once (${TEST_DB_KIND})`, async () => {
  // Queue the jobs while no worker runs.
  const database = await openShared();
  const { tenantId } = await createTenant(database.db, {
    name: 'Crash GmbH',
    adminEmail: 'ops@crash.example',
  });
  const probe = probeJob({ expireInSeconds: 3, retryLimit: 5 });
  const queue = createJobQueue({ database, logger: silentLogger(), definitions: [probe] });
  await queue.start({ work: false });
  for (let i = 0; i < JOBS; i++) {
    await queue.send(
      probe,
      { key: `job-${String(i).padStart(2, '0')}`, failTimes: 0, workMs: 150 },
      { tenantId },
    );
  }
  await queue.stop();
  await release(database);

  // First worker: killed with SIGKILL part-way through.
  const first = track(start(process.execPath, ['--import', 'tsx', worker], env));
  await first.waitForLine(/^ready$/);
  await first.waitForLine(/^effect job-\d+$/, 60);
  await waitUntil(() => (first.stdout().match(/^effect /gm)?.length ?? 0) >= 5);
  first.process.kill('SIGKILL');
  const died = await first.exited;
  assert.equal(died.signal, 'SIGKILL');
  const doneBeforeKill = first.stdout().match(/^effect /gm)?.length ?? 0;
  assert.ok(doneBeforeKill < JOBS, `the kill came while jobs were still running (${doneBeforeKill} done)`);

  // Second worker: picks up where the first died (expired jobs are retried).
  const second = track(start(process.execPath, ['--import', 'tsx', worker], env));
  // Every effect done, and every job completed: a job whose effect committed just before the
  // kill is retried once it expires, finds its effect recorded and completes without a second one.
  await second.waitForLine(new RegExp(`^progress ${JOBS} ${JOBS}$`), 120);
  await new Promise((r) => setTimeout(r, 1500)); // let any duplicate delivery show itself
  second.process.kill('SIGTERM');
  assert.equal((await second.exited).code, 0);

  const check = await openShared();
  try {
    const effects = await check.asOwner((s) =>
      s.query<{ key: string; n: number }>(
        'SELECT key, count(*)::int AS n FROM job_probe GROUP BY key ORDER BY key',
      ),
    );
    assert.equal(effects.length, JOBS, 'every job had its effect');
    assert.deepEqual(
      effects.filter((e) => e.n !== 1),
      [],
      'no effect happened twice',
    );
    const states = await sql<{ state: string; n: number }>`
      select state::text as state, count(*)::int as n from pgboss.job where name = 'test.probe' group by state`.execute(
      check.db,
    );
    assert.deepEqual(states.rows, [{ state: 'completed', n: JOBS }]);
  } finally {
    await release(check);
  }
});
