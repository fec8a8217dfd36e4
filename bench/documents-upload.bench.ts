// documents.upload.mibps: MiB per second of 5 MiB PDF uploads (multipart/form-data, 4 at a
// time) to POST /api/v1/contacts/{id}/documents of a real `kontor serve` child process with the
// local blob store, on PGlite and, when one answers, on PostgreSQL. Baseline, measured in the
// same run: the least the local store has to do with those bytes — write them to a file in the
// same folder, flush it to disk and rename it — 4 at a time in this process.
// Also reported: how long a cascade takes to empty the blob folder — DELETE the company whose
// person holds every uploaded document (the measured uploads plus 100 small ones), until all
// `cascadeFiles` files are gone — as `cascadeDeleteMs`.
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { deferCleanup, runBench } from './support/cleanup.ts';
import { freshPostgres } from './support/postgres.ts';
import { freePort, runNode, startNode, waitUntilReady } from './support/processes.ts';
import { emitFigure, note, round, secondsFromEnv } from './support/report.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KONTOR = join(ROOT, 'apps/server/bin/kontor.js');
const FILE_BYTES = 5 * 1024 * 1024;
const CONCURRENCY = 4;
const CASCADE_DOCUMENTS = 100;
const MIB = 1024 * 1024;

const seconds = secondsFromEnv('BENCH_SECONDS', 10);
const warmupSeconds = secondsFromEnv('BENCH_WARMUP_SECONDS', 3);

const tenantSchema = z.object({ tenantId: z.string().uuid(), apiToken: z.string() });
const idSchema = z.object({ id: z.string().uuid() });

type DatabaseKind = 'pglite' | 'postgres';
type Rate = { mibPerSecond: number; files: number; p50Ms: number; p99Ms: number };

function pdf(bytes: number): Buffer {
  const head = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1');
  return Buffer.concat([head, randomBytes(bytes - head.length)]);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

/** Runs `once` from CONCURRENCY loops for `secs` seconds; the rate of bytes it moved. */
async function rateOf(secs: number, once: () => Promise<void>): Promise<Rate> {
  const deadline = Date.now() + secs * 1000;
  const took: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < deadline) {
        const t = performance.now();
        await once();
        took.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  took.sort((a, b) => a - b);
  return {
    mibPerSecond: round((took.length * FILE_BYTES) / MIB / elapsed, 1),
    files: took.length,
    p50Ms: round(percentile(took, 50), 1),
    p99Ms: round(percentile(took, 99), 1),
  };
}

async function measureBaseline(dir: string): Promise<Rate> {
  const body = pdf(FILE_BYTES);
  const once = async () => {
    const partial = join(dir, `${randomUUID()}.part`);
    const target = join(dir, randomUUID());
    const handle = await fs.promises.open(partial, 'wx', 0o600);
    await handle.writeFile(body);
    await handle.sync();
    await handle.close();
    await fs.promises.rename(partial, target);
    await fs.promises.rm(target);
  };
  await rateOf(warmupSeconds, once);
  return rateOf(seconds, once);
}

function kontorEnv(databaseUrl: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KONTOR_RATE_LIMIT: '0',
    LOG_LEVEL: 'warn',
    KONTOR_QUIET: '1',
    KONTOR_HOST: '127.0.0.1',
  };
  for (const name of ['DATABASE_URL', 'PORT', 'KONTOR_DATA_DIR', 'KONTOR_BLOB_DIR', 'KONTOR_S3_BUCKET'])
    delete env[name];
  if (databaseUrl !== undefined) env.DATABASE_URL = databaseUrl;
  return env;
}

async function json(response: Response, expected: number): Promise<unknown> {
  const text = await response.text();
  if (response.status !== expected) {
    throw new Error(
      `${response.url} answered ${response.status} (expected ${expected}): ${text.slice(0, 500)}`,
    );
  }
  return text === '' ? null : JSON.parse(text);
}

function blobFileCount(blobDir: string): number {
  if (!fs.existsSync(blobDir)) return 0;
  return (fs.readdirSync(blobDir, { recursive: true }) as string[]).filter(
    (f) =>
      !f.startsWith('.tmp') && fs.statSync(join(blobDir, f), { throwIfNoEntry: false })?.isFile() === true,
  ).length;
}

async function measureKontor(
  database: DatabaseKind,
  databaseUrl: string | undefined,
): Promise<Rate & { cascadeDeleteMs: number; cascadeFiles: number }> {
  const dataDir = await mkdtemp(join(tmpdir(), `kontor-bench-docs-${database}-`));
  const removeDataDir = deferCleanup(`temp folder ${dataDir}`, () =>
    rm(dataDir, { recursive: true, force: true }),
  );
  const env = kontorEnv(databaseUrl);
  try {
    const printed = await runNode(
      `kontor tenant create (${database})`,
      [
        KONTOR,
        'tenant',
        'create',
        '--name',
        'Bench',
        '--admin-email',
        'admin@example.com',
        '--json',
        '--data',
        dataDir,
      ],
      env,
    );
    const tenant = tenantSchema.parse(JSON.parse(printed));
    const port = await freePort();
    const server = startNode({
      label: `kontor serve (${database})`,
      args: [KONTOR, 'serve', '--port', String(port), '--data', dataDir],
      env,
      cwd: ROOT,
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitUntilReady(server, `${base}/readyz`);
      const auth = { authorization: `Bearer ${tenant.apiToken}` };
      const post = async (url: string, body: unknown) =>
        idSchema.parse(
          await json(
            await fetch(`${base}${url}`, {
              method: 'POST',
              headers: { ...auth, 'content-type': 'application/json' },
              body: JSON.stringify(body),
            }),
            201,
          ),
        ).id;
      const company = await post('/api/v1/companies', { name: 'Bench AG' });
      const person = await post('/api/v1/contacts', { lastName: 'Bench', companyId: company });
      const upload = async (bytes: Buffer) => {
        const form = new FormData();
        form.append('file', new Blob([bytes], { type: 'application/pdf' }), 'Bench.pdf');
        await json(
          await fetch(`${base}/api/v1/contacts/${person}/documents`, {
            method: 'POST',
            headers: auth,
            body: form,
          }),
          201,
        );
      };
      const body = pdf(FILE_BYTES);
      await rateOf(warmupSeconds, () => upload(body));
      const rate = await rateOf(seconds, () => upload(body));

      const small = pdf(10 * 1024);
      const blobDir = join(dataDir, 'blobs');
      await Promise.all(Array.from({ length: CASCADE_DOCUMENTS }, () => upload(small)));
      const before = blobFileCount(blobDir);
      const started = performance.now();
      await json(
        await fetch(`${base}/api/v1/companies/${company}`, { method: 'DELETE', headers: auth }),
        204,
      );
      while (blobFileCount(blobDir) > 0) {
        if (performance.now() - started > 120_000)
          throw new Error('the blob folder did not empty within 2 min');
        await new Promise((r) => setTimeout(r, 20));
      }
      const cascadeDeleteMs = round(performance.now() - started, 0);
      note(`${database}: ${before} files gone ${cascadeDeleteMs} ms after DELETE /companies/{id}`);
      return { ...rate, cascadeDeleteMs, cascadeFiles: before };
    } finally {
      await server.stop();
    }
  } finally {
    await removeDataDir();
  }
}

await runBench(async () => {
  note(
    `documents-upload: ${FILE_BYTES / MIB} MiB files, ${CONCURRENCY} at a time, ${warmupSeconds} s + ${seconds} s`,
  );
  const postgres = await freshPostgres();
  const scratch = await mkdtemp(join(tmpdir(), 'kontor-bench-disk-'));
  const removeScratch = deferCleanup(`temp folder ${scratch}`, () =>
    rm(scratch, { recursive: true, force: true }),
  );
  const baseline = await measureBaseline(scratch);
  await removeScratch();
  const emit = (database: DatabaseKind, kontor: Rate & { cascadeDeleteMs: number; cascadeFiles: number }) =>
    emitFigure({
      name: 'documents.upload.mibps',
      value: kontor.mibPerSecond,
      unit: 'MiB/s',
      baseline: baseline.mibPerSecond,
      database,
      files: kontor.files,
      p50Ms: kontor.p50Ms,
      p99Ms: kontor.p99Ms,
      baselineP50Ms: baseline.p50Ms,
      fileBytes: FILE_BYTES,
      concurrency: CONCURRENCY,
      cascadeFiles: kontor.cascadeFiles,
      cascadeDeleteMs: kontor.cascadeDeleteMs,
      seconds,
    });
  emit('pglite', await measureKontor('pglite', undefined));
  if (postgres !== undefined) {
    try {
      emit('postgres', await measureKontor('postgres', postgres.url));
    } finally {
      await postgres.drop();
    }
  }
});
