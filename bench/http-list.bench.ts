// http.list-users.rps: requests per second of GET /api/v1/users?limit=20 (bearer token,
// row-level security, zod serialisation) against a real `kontor serve` child process, on
// PGlite and, when one answers, on PostgreSQL; baseline: bare Fastify 5 answering a JSON
// constant of the same shape and size, also in a child process, measured in the same run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { deferCleanup, runBench } from './support/cleanup.ts';
import { type LoadResult, measureLoad } from './support/load.ts';
import { freshPostgres } from './support/postgres.ts';
import { freePort, runNode, startNode, waitUntilReady } from './support/processes.ts';
import { emitFigure, note, secondsFromEnv } from './support/report.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KONTOR = join(ROOT, 'apps/server/bin/kontor.js');
const BARE_FASTIFY = join(ROOT, 'bench/support/bare-fastify.ts');
const PATH = '/api/v1/users?limit=20';
const CONNECTIONS = 10;

const tenantSchema = z.object({
  tenantId: z.string().uuid(),
  adminUserId: z.string().uuid(),
  apiToken: z.string(),
});
const pageSchema = z.object({
  items: z.array(z.object({ id: z.string() })),
  nextCursor: z.string().nullable(),
});

type DatabaseKind = 'pglite' | 'postgres';
type Measured = LoadResult & { bodyBytes: number };

const seconds = secondsFromEnv('BENCH_SECONDS', 10);
const warmupSeconds = secondsFromEnv('BENCH_WARMUP_SECONDS', 3);

/** One request before the load, so a wrong token or shape fails with a readable message. */
async function sampleBody(url: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`GET ${url} answered ${response.status}: ${text.slice(0, 500)}`);
  const page = pageSchema.parse(JSON.parse(text));
  if (page.items.length === 0) throw new Error(`GET ${url} answered an empty page`);
  return Buffer.byteLength(text);
}

async function measureBaseline(): Promise<Measured> {
  const port = await freePort();
  const server = startNode({
    label: 'bare fastify',
    args: ['--import', 'tsx', BARE_FASTIFY, String(port)],
    env: process.env,
    cwd: ROOT,
  });
  try {
    const url = `http://127.0.0.1:${port}${PATH}`;
    await waitUntilReady(server, url);
    const bodyBytes = await sampleBody(url, {});
    const load = await measureLoad({
      label: 'baseline',
      url,
      connections: CONNECTIONS,
      warmupSeconds,
      seconds,
    });
    return { ...load, bodyBytes };
  } finally {
    await server.stop();
  }
}

function kontorEnv(databaseUrl: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KONTOR_RATE_LIMIT: '0',
    LOG_LEVEL: 'warn',
    KONTOR_QUIET: '1',
    KONTOR_HOST: '127.0.0.1',
  };
  delete env.DATABASE_URL;
  delete env.PORT;
  delete env.KONTOR_DATA_DIR;
  if (databaseUrl !== undefined) env.DATABASE_URL = databaseUrl;
  return env;
}

async function measureKontor(database: DatabaseKind, databaseUrl: string | undefined): Promise<Measured> {
  const dataDir = await mkdtemp(join(tmpdir(), `kontor-bench-${database}-`));
  const removeDataDir = deferCleanup(`temp folder ${dataDir}`, () =>
    rm(dataDir, { recursive: true, force: true }),
  );
  const env = kontorEnv(databaseUrl);
  try {
    // On PGlite the data folder is locked by one process: the tenant is created before serve.
    const tenantCreate = [
      'tenant',
      'create',
      '--name',
      'Bench',
      '--admin-email',
      'admin@example.com',
      '--json',
    ];
    const printed = await runNode(
      `kontor tenant create (${database})`,
      [KONTOR, ...tenantCreate, '--data', dataDir],
      env,
    );
    const created = tenantSchema.parse(JSON.parse(printed));
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
      const headers = { authorization: `Bearer ${created.apiToken}` };
      const bodyBytes = await sampleBody(`${base}${PATH}`, headers);
      const load = await measureLoad({
        label: `kontor on ${database}`,
        url: `${base}${PATH}`,
        headers,
        connections: CONNECTIONS,
        warmupSeconds,
        seconds,
      });
      return { ...load, bodyBytes };
    } finally {
      await server.stop();
    }
  } finally {
    await removeDataDir();
  }
}

function emit(database: DatabaseKind, kontor: Measured, baseline: Measured): void {
  emitFigure({
    name: 'http.list-users.rps',
    value: kontor.requestsPerSecond,
    unit: 'req/s',
    baseline: baseline.requestsPerSecond,
    database,
    p50Ms: kontor.p50Ms,
    p99Ms: kontor.p99Ms,
    baselineP50Ms: baseline.p50Ms,
    baselineP99Ms: baseline.p99Ms,
    bodyBytes: kontor.bodyBytes,
    baselineBodyBytes: baseline.bodyBytes,
    connections: CONNECTIONS,
    seconds,
  });
}

await runBench(async () => {
  note(`http-list: ${CONNECTIONS} connections, ${warmupSeconds} s warm-up + ${seconds} s per server`);
  // Asked first, so an unreachable DATABASE_URL fails before minutes of measuring.
  const postgres = await freshPostgres();
  const baseline = await measureBaseline();
  emit('pglite', await measureKontor('pglite', undefined), baseline);
  if (postgres !== undefined) {
    try {
      emit('postgres', await measureKontor('postgres', postgres.url), baseline);
    } finally {
      await postgres.drop();
    }
  }
});
