import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freshDatabase, TEST_DB_KIND, type TestDatabase } from '../../../test/support/database.ts';
import { CONTACT_HEADER, contactRows, toCsv } from '../../../test/support/imports.ts';
import { silentLogger } from '../../../test/support/logger.ts';
import { type Child, SERVER_DIR, start } from '../../../test/support/process.ts';
import { createLocalBlobStore } from '../../kernel/blob/local.ts';
import { type Database, openDatabase } from '../../kernel/db/database.ts';
import { migrate } from '../../kernel/db/migrate.ts';
import { createJobQueue, installJobSchema } from '../../kernel/jobs/queue.ts';
import { jobDefinitions } from '../../worker.ts';
import { authenticateApiToken } from '../identity/index.ts';
import { createTenant } from '../tenants/index.ts';
import { runImportJob } from './imports.jobs.ts';
import { startImport, uploadImport } from './imports.service.ts';

// Must show (issue 4): killing the worker mid-import and starting another yields each row exactly
// once. Real worker processes (test/fixtures/import-worker.ts: the production job list and queue,
// imports in batches of 200 rows) on a shared database: PostgreSQL, or a PGlite folder on disk.

const ROWS = 6000;
const BATCH = 200;
const worker = path.join(SERVER_DIR, 'test/fixtures/import-worker.ts');
let pgDatabase: TestDatabase | undefined;
let dataDir: string | undefined;
let env: NodeJS.ProcessEnv;

async function openShared(): Promise<Database> {
  if (TEST_DB_KIND === 'postgres') {
    pgDatabase ??= await freshDatabase();
    return pgDatabase;
  }
  dataDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-import-crash-'));
  const database = await openDatabase({ kind: 'pglite', dataDir });
  await migrate(database);
  await installJobSchema(database, silentLogger());
  return database;
}

async function release(database: Database): Promise<void> {
  if (database !== pgDatabase) await database.close();
}

const children: Child[] = [];
function track(child: Child): Child {
  children.push(child);
  return child;
}

async function* bytesOf(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}

function lastProgress(child: Child): { row: number; status: string } | undefined {
  const lines = child.stdout().match(/^progress \d+ \w+$/gm);
  const last = lines?.at(-1)?.split(' ');
  return last ? { row: Number(last[1]), status: String(last[2]) } : undefined;
}

before(async () => {
  const database = await openShared();
  await release(database);
  env =
    TEST_DB_KIND === 'postgres'
      ? { DATABASE_URL: pgDatabase?.url, IMPORT_BATCH_ROWS: String(BATCH) }
      : { DATABASE_URL: '', KONTOR_DATA_DIR: dataDir, IMPORT_BATCH_ROWS: String(BATCH) };
});

after(async () => {
  for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
  await pgDatabase?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test(`kill -9 of the worker mid-import, then another worker: each row exactly once, nothing lost (${TEST_DB_KIND})`, async () => {
  // The file: ROWS contacts; three rows repeat an earlier row's email (dedupe "update": they fill
  // that contact), three have a broken IBAN.
  const rows = contactRows(ROWS);
  const repeats = [
    [1500, 10],
    [3100, 2000],
    [4700, 4600],
  ] as const;
  for (const [row, of] of repeats) {
    (rows[row] as string[])[3] = (rows[of] as string[])[3] as string;
    (rows[row] as string[])[1] = `Repeat${row}`;
  }
  const broken = [777, 2222, 5555];
  for (const row of broken) (rows[row] as string[])[9] = 'DE00 0000 0000 0000 0000 00';
  const csv = toCsv([CONTACT_HEADER, ...rows]);

  // Upload and start it while no worker runs: the job waits in the queue.
  const database = await openShared();
  const logger = silentLogger();
  const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-import-blobs-'));
  const blobs = createLocalBlobStore(blobDir);
  const queue = createJobQueue({
    database,
    logger,
    definitions: jobDefinitions({ db: database.db, logger, blobs }),
  });
  await queue.start({ work: false });
  let importId: string;
  let tenantId: string;
  try {
    const tenant = await createTenant(database.db, {
      name: 'Import Crash AG',
      adminEmail: 'ops@crash.example',
    });
    tenantId = tenant.tenantId;
    const principal = await authenticateApiToken(database.db, tenant.apiToken);
    assert.ok(principal);
    const deps = {
      db: database.db,
      queue,
      runJob: runImportJob({ db: database.db, logger }),
      maxFileBytes: 10 * 1024 * 1024,
    };
    const view = await uploadImport(deps, principal, { fileName: 'kontakte.csv', bytes: bytesOf(csv) }, {});
    assert.equal(view.totalRows, ROWS);
    importId = view.id;
    await startImport(deps, principal, view.id, {
      mapping: view.suggestedMapping as never,
      dedupe: 'update',
      tags: ['Import'],
      defaultCountry: null,
    });
  } finally {
    await queue.stop();
    await blobs.close();
    fs.rmSync(blobDir, { recursive: true, force: true });
    await release(database);
  }

  // First worker: killed with SIGKILL part-way through the import.
  const first = track(start(process.execPath, ['--import', 'tsx', worker], env));
  await first.waitForLine(/^ready$/, 120);
  await first.waitForLine(/^progress ([1-9]\d{3,}) running$/, 180).catch((error: unknown) => {
    throw new Error(
      `${String(error)}\nall stdout:\n${first.stdout().replace(/(progress \d+ \w+\n)\1+/g, '$1')}`,
    );
  });
  first.process.kill('SIGKILL');
  assert.equal((await first.exited).signal, 'SIGKILL');
  const atKill = lastProgress(first);
  assert.ok(atKill && atKill.row >= 1000 && atKill.row < ROWS, `killed mid-import (at row ${atKill?.row})`);

  // Second worker: the job's heartbeat stopped with the first, so the queue retries it here, and
  // it resumes from the last committed batch.
  const second = track(start(process.execPath, ['--import', 'tsx', worker], env));
  await second.waitForLine(new RegExp(`^progress ${ROWS} completed$`), 240);
  await new Promise((r) => setTimeout(r, 1000)); // let a duplicate delivery show itself
  second.process.kill('SIGTERM');
  assert.equal((await second.exited).code, 0);

  const check = await openShared();
  try {
    const [counts] = await check.asOwner((s) =>
      s.query<Record<string, number | string>>(
        `SELECT status, total_rows, next_row, created_count, updated_count, skipped_count, failed_count,
                (SELECT count(*)::int FROM data_import_chunk WHERE import_id = $1) AS chunks,
                (SELECT count(*)::int FROM data_import_error WHERE import_id = $1) AS error_rows
         FROM data_import WHERE id = $1`,
        [importId],
      ),
    );
    assert.deepEqual(counts, {
      status: 'completed',
      total_rows: ROWS,
      next_row: ROWS,
      created_count: ROWS - repeats.length - broken.length,
      updated_count: repeats.length,
      skipped_count: 0,
      failed_count: broken.length,
      chunks: 0,
      error_rows: broken.length,
    });
    const [contacts] = await check.asOwner((s) =>
      s.query<{ n: number; emails: number; tagged: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT lower(email::text))::int AS emails,
                (SELECT count(*)::int FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id
                  WHERE t.tenant_id = $1 AND t.name = 'Import') AS tagged
         FROM contact WHERE tenant_id = $1`,
        [tenantId],
      ),
    );
    assert.deepEqual(contacts, {
      n: ROWS - repeats.length - broken.length,
      emails: ROWS - repeats.length - broken.length,
      tagged: ROWS - repeats.length - broken.length,
    });
    // Each repeated row filled the contact of the earlier row, once.
    const repeated = await check.asOwner((s) =>
      s.query<{ first_name: string }>(
        `SELECT first_name FROM contact WHERE tenant_id = $1 AND email = ANY($2::citext[]) ORDER BY first_name`,
        [tenantId, repeats.map(([, of]) => (rows[of] as string[])[3])],
      ),
    );
    assert.deepEqual(
      repeated.map((r) => r.first_name),
      repeats.map(([row]) => `Repeat${row}`),
    );
    const errorRows = await check.asOwner((s) =>
      s.query<{ row_number: number }>(
        'SELECT row_number FROM data_import_error WHERE import_id = $1 ORDER BY row_number',
        [importId],
      ),
    );
    assert.deepEqual(
      errorRows.map((r) => r.row_number),
      broken.map((r) => r + 2),
    );
    // One audit entry per committed batch: none written twice, none lost.
    const [audit] = await check.asOwner((s) =>
      s.query<{ batches: number }>(
        `SELECT count(*)::int AS batches FROM audit_log
         WHERE tenant_id = $1 AND action = 'contact.imported' AND entity_id = $2`,
        [tenantId, importId],
      ),
    );
    assert.equal(audit?.batches, ROWS / BATCH);
  } finally {
    await release(check);
  }
});
