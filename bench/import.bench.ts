// import.contacts.rows-per-s: contacts per second of a whole import — upload of a realistic CSV
// (multipart, to a real `kontor serve` child process with its workers), the import job (mapping,
// the contact rules per row, dedupe by email, batches with checkpoints) until it is completed —
// against a raw `COPY contact (…) FROM STDIN` of the same rows, as Kontor stores them, into a
// fresh tenant of the same database, measured in the same run. The target: at 1,000,000
// rows on PostgreSQL, at least half the COPY rate.
//
//   KONTOR_BENCH_IMPORT_ROWS=1000000 npm run bench -- import      (default 100,000; 0 skips PostgreSQL)
//   KONTOR_BENCH_IMPORT_PGLITE_ROWS=200000                          (PGlite; default: the same; 0 skips it)
//
// PostgreSQL's COPY goes through `psql \copy … FROM '<file>'`, which sends the file as COPY …
// FROM STDIN (pg-copy-streams is not a dependency). PGlite's COPY runs in this process:
// `COPY … FROM '/dev/blob'` with the file as a Blob, as the schema owner.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { openAsBlob } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { z } from 'zod';
import { openDatabase } from '../apps/server/src/kernel/db/database.ts';
import { deferCleanup, runBench } from './support/cleanup.ts';
import { COPY_COLUMNS, writeContactFiles } from './support/contacts-file.ts';
import { freshPostgres } from './support/postgres.ts';
import { freePort, runNode, startNode, waitUntilReady } from './support/processes.ts';
import { emitFigure, note, round } from './support/report.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KONTOR = join(ROOT, 'apps/server/bin/kontor.js');

function rowsFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || (value !== 0 && value < 1000)) {
    throw new Error(`${name}: must be a whole number, 1000 or more, or 0 to skip (got "${raw}")`);
  }
  return value;
}

const ROWS = rowsFromEnv('KONTOR_BENCH_IMPORT_ROWS', 100_000);
const PGLITE_ROWS = rowsFromEnv('KONTOR_BENCH_IMPORT_PGLITE_ROWS', ROWS || 100_000);

const tenantSchema = z.object({ tenantId: z.uuid(), apiToken: z.string() });
const importSchema = z.object({
  id: z.uuid(),
  status: z.string(),
  totalRows: z.number(),
  processedRows: z.number(),
  created: z.number(),
  failed: z.number(),
  suggestedMapping: z.record(z.string(), z.string()),
});

type DatabaseKind = 'pglite' | 'postgres';

function kontorEnv(databaseUrl: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KONTOR_RATE_LIMIT: '0',
    LOG_LEVEL: process.env.KONTOR_BENCH_LOG_LEVEL ?? 'warn',
    KONTOR_QUIET: '1',
    KONTOR_HOST: '127.0.0.1',
    KONTOR_IMPORT_MAX_MB: '2048',
  };
  delete env.DATABASE_URL;
  delete env.PORT;
  delete env.KONTOR_DATA_DIR;
  if (databaseUrl !== undefined) env.DATABASE_URL = databaseUrl;
  return env;
}

/** The files of `rows` contacts for a tenant: the CSV to import and the COPY text of the same rows. */
async function files(dir: string, rows: number, tenantId: string) {
  const csvPath = join(dir, 'kontakte.csv');
  const copyPath = join(dir, 'contacts.copy');
  const started = performance.now();
  const bytes = await writeContactFiles({ rows, csvPath, copyPath, tenantId });
  note(
    `generated ${rows} contacts (${(bytes / 1024 / 1024).toFixed(1)} MiB of CSV) in ${seconds(started)} s`,
  );
  return { csvPath, copyPath, bytes };
}

function seconds(since: number): number {
  return round((performance.now() - since) / 1000, 2);
}

const COPY_SQL = `COPY contact (${COPY_COLUMNS.join(', ')}) FROM STDIN`;

/** psql's `\\copy … FROM '<file>'`: COPY … FROM STDIN, the file streamed by psql. */
async function copyPostgres(url: string, copyPath: string): Promise<number> {
  const started = performance.now();
  const command = `\\copy contact (${COPY_COLUMNS.join(', ')}) FROM '${copyPath}'`;
  const psql = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', command], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  psql.stdout.on('data', (d: Buffer) => {
    output += String(d);
  });
  psql.stderr.on('data', (d: Buffer) => {
    output += String(d);
  });
  const [code] = (await once(psql, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`psql \\copy exited with ${code}: ${output.slice(-1000)}`);
  return seconds(started);
}

async function copyPglite(dataDir: string, copyPath: string): Promise<number> {
  const database = await openDatabase({ kind: 'pglite', dataDir });
  try {
    const blob = await openAsBlob(copyPath);
    const pglite = database.pglite;
    if (!pglite) throw new Error('not an embedded database');
    const started = performance.now();
    await pglite.transaction(async (tx) => {
      await tx.exec('SET LOCAL ROLE NONE');
      await tx.query(COPY_SQL.replace('FROM STDIN', "FROM '/dev/blob'"), [], { blob });
    });
    const took = seconds(started);
    await emptyContacts((sql) => database.asOwner((s) => s.exec(sql)));
    return took;
  } finally {
    await database.close();
  }
}

/** The COPY's rows go again, so that the import starts from the same empty table. */
async function emptyContacts(exec: (sql: string) => Promise<unknown>): Promise<void> {
  await exec('TRUNCATE contact CASCADE');
}

async function importThroughApi(base: string, token: string, csvPath: string, rows: number) {
  const headers = { authorization: `Bearer ${token}` };
  const started = performance.now();
  const form = new FormData();
  form.append('file', await openAsBlob(csvPath), 'kontakte.csv');
  const uploadResponse = await fetch(`${base}/api/v1/imports`, { method: 'POST', headers, body: form });
  const uploadText = await uploadResponse.text();
  if (uploadResponse.status !== 201)
    throw new Error(`upload answered ${uploadResponse.status}: ${uploadText.slice(0, 500)}`);
  const uploaded = importSchema.parse(JSON.parse(uploadText));
  const uploadSeconds = seconds(started);
  note(`uploaded and read in ${uploadSeconds} s (${uploaded.totalRows} rows)`);
  const startResponse = await fetch(`${base}/api/v1/imports/${uploaded.id}/start`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ mapping: uploaded.suggestedMapping, dedupe: 'skip' }),
  });
  if (startResponse.status !== 202)
    throw new Error(`start answered ${startResponse.status}: ${await startResponse.text()}`);
  const running = performance.now();
  let last = -1;
  for (;;) {
    // As the web app follows an import: about once a second (here more often, for a sharper end time).
    await new Promise((r) => setTimeout(r, 200));
    const view = importSchema.parse(
      await (await fetch(`${base}/api/v1/imports/${uploaded.id}`, { headers })).json(),
    );
    if (view.processedRows !== last && view.processedRows % 100_000 < 2000)
      note(`… ${view.processedRows} rows`);
    last = view.processedRows;
    if (view.status === 'running') continue;
    if (view.status !== 'completed' || view.created !== rows || view.failed !== 0) {
      throw new Error(`the import ended ${view.status}: ${JSON.stringify(view).slice(0, 500)}`);
    }
    return { totalSeconds: seconds(started), uploadSeconds, runSeconds: seconds(running) };
  }
}

async function measure(database: DatabaseKind, rows: number, databaseUrl: string | undefined): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), `kontor-bench-import-${database}-`));
  const removeDir = deferCleanup(`temp folder ${dir}`, () => rm(dir, { recursive: true, force: true }));
  const env = kontorEnv(databaseUrl);
  const dataArgs = ['--data', join(dir, 'data')];
  try {
    await runNode(`kontor migrate (${database})`, [KONTOR, 'migrate', ...dataArgs], env);
    const copyTenant = tenantSchema.parse(
      JSON.parse(
        await runNode(
          `kontor tenant create (${database})`,
          [
            KONTOR,
            'tenant',
            'create',
            '--name',
            'Copy',
            '--admin-email',
            'copy@example.com',
            '--json',
            ...dataArgs,
          ],
          env,
        ),
      ),
    );
    const importTenant = tenantSchema.parse(
      JSON.parse(
        await runNode(
          `kontor tenant create (${database})`,
          [
            KONTOR,
            'tenant',
            'create',
            '--name',
            'Import',
            '--admin-email',
            'import@example.com',
            '--json',
            ...dataArgs,
          ],
          env,
        ),
      ),
    );
    const { csvPath, copyPath, bytes } = await files(dir, rows, copyTenant.tenantId);

    note(`${database}: COPY of ${rows} rows`);
    let copySeconds: number;
    if (database === 'postgres' && databaseUrl) {
      copySeconds = await copyPostgres(databaseUrl, copyPath);
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        await emptyContacts((sql) => client.query(sql));
        await client.query('VACUUM ANALYZE contact');
      } finally {
        await client.end();
      }
    } else {
      copySeconds = await copyPglite(join(dir, 'data'), copyPath);
    }
    note(`${database}: COPY took ${copySeconds} s (${Math.round(rows / copySeconds)} rows/s)`);

    const port = await freePort();
    const server = startNode({
      label: `kontor serve (${database})`,
      args: [KONTOR, 'serve', '--port', String(port), ...dataArgs],
      env,
      cwd: ROOT,
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitUntilReady(server, `${base}/readyz`);
      note(`${database}: import of ${rows} rows`);
      const run = await importThroughApi(base, importTenant.apiToken, csvPath, rows);
      note(`${database}: import took ${run.totalSeconds} s (${Math.round(rows / run.totalSeconds)} rows/s)`);
      emitFigure({
        name: 'import.contacts.rows-per-s',
        value: round(rows / run.totalSeconds, 1),
        unit: 'rows/s',
        baseline: round(rows / copySeconds, 1),
        database,
        rows,
        csvBytes: bytes,
        importSeconds: run.totalSeconds,
        uploadSeconds: run.uploadSeconds,
        jobSeconds: run.runSeconds,
        copySeconds,
      });
    } finally {
      await server.stop();
    }
  } finally {
    await removeDir();
  }
}

await runBench(async () => {
  note(`import: ${ROWS} rows on PostgreSQL, ${PGLITE_ROWS} on PGlite`);
  const postgres = ROWS > 0 ? await freshPostgres() : undefined;
  if (postgres !== undefined) {
    try {
      await measure('postgres', ROWS, postgres.url);
    } finally {
      await postgres.drop();
    }
  }
  if (PGLITE_ROWS > 0) await measure('pglite', PGLITE_ROWS, undefined);
});
