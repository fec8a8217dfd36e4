// forms.submit.rps: public form submissions per second at 50 concurrent clients, and their p99
// latency, on PGlite and (when one answers) PostgreSQL. Each submission is a new visitor (a new
// contact) through the public path: per-address limit, token and proof-of-work check, value
// checks, then the intake's write — the submission (`received`, with the challenge's replay
// record), group-committed with the other posts of the moment; its processing job follows the
// commit. Baseline, same run, same connection pool: raw single-row INSERTs (autocommit) by 50
// concurrent callers; and, as a second figure, the HTTP floor: the same client and bodies against
// a bare Fastify route doing one such INSERT.
//
// forms.process.rps: how fast the backlog the run left is processed afterwards (its first
// BENCH_FORMS_PROCESS submissions) — contact create with tags, timeline entry, audit, auto-reply
// queued (row + job), staff notice, webhook emit, submission marked processed — in batches of up
// to 100 per transaction, by one worker calling the job's function in a loop (the queue's own
// overhead, a fetch and a no-op per other job of a batch, is not in it). Baseline: the submit rate.
//
// The server runs in this process (so the baseline can use its pool). The load comes from wrk
// (Debian's package `wrk`, a C client: it leaves the two cores to the server) for a fixed time,
// every body once; without wrk, from autocannon in a worker thread (JavaScript: it takes a good
// part of a core from the server, so the figures are lower; the figure says which client).
// Challenges are fetched and solved, and tokens issued, before the timed part; the server's
// proof-of-work difficulty is lowered to make that quick — checking a solution costs one HMAC
// whatever the difficulty (key signature), so the figure does not depend on it. Job workers do
// not run during the measurement (the auto-reply and notice are queued, not sent), as with
// `serve --no-worker` behind separate `kontor worker`s.
//
//   wrk:        BENCH_FORMS_WARMUP_SECONDS=3  BENCH_FORMS_SECONDS=5  (prepared bodies:
//               BENCH_FORMS_WARMUP=25000/4000 and BENCH_FORMS_REQUESTS=40000/8000, PostgreSQL/PGlite)
//   autocannon: every prepared body once (BENCH_FORMS_WARMUP=2000, BENCH_FORMS_REQUESTS=10000)
//   BENCH_FORMS_CLIENT=wrk|autocannon (default: wrk when installed)
//   BENCH_SECONDS=10 (raw-insert baseline)  BENCH_FORMS_PROCESS=3000  KONTOR_BENCH_SKIP_PGLITE=1
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Fastify from 'fastify';
import { type Kysely, sql } from 'kysely';
import { buildApp } from '../apps/server/src/app.ts';
import { compose } from '../apps/server/src/composition.ts';
import { loadConfig } from '../apps/server/src/kernel/config.ts';
import type { Tables } from '../apps/server/src/kernel/db/tables.ts';
import { withTenant } from '../apps/server/src/kernel/db/tenancy.ts';
import { createLogger } from '../apps/server/src/kernel/logger.ts';
import { processSubmissions, solveForPost } from '../apps/server/src/modules/forms/index.ts';
import { createTenant } from '../apps/server/src/modules/tenants/index.ts';
import { deferCleanup, runBench } from './support/cleanup.ts';
import { freshPostgres } from './support/postgres.ts';
import { emitFigure, note, round, secondsFromEnv } from './support/report.ts';
import { wrkAvailable, wrkPosts } from './support/wrk.ts';

const CONNECTIONS = 50;
const CLIENT: 'wrk' | 'autocannon' = clientFromEnv();

/** BENCH_FORMS_CLIENT=wrk|autocannon; by default wrk when it is installed. */
function clientFromEnv(): 'wrk' | 'autocannon' {
  const wanted = process.env.BENCH_FORMS_CLIENT ?? '';
  if (wanted === 'autocannon') return 'autocannon';
  if (wanted === 'wrk' || wanted === '') {
    if (wrkAvailable()) return 'wrk';
    if (wanted === 'wrk')
      throw new Error('BENCH_FORMS_CLIENT=wrk: wrk is not installed (apt-get install wrk)');
    return 'autocannon';
  }
  throw new Error(`BENCH_FORMS_CLIENT: wrk or autocannon (got "${wanted}")`);
}

type LoadJob = { url: string; bodies: string[] };
type LoadOutcome = {
  elapsedMs: number;
  latenciesMs: number[];
  statuses: Record<string, number>;
  errors: number;
};

/**
 * The load generator, plain JavaScript run in a worker thread (its own event loop): every body
 * once, by CONNECTIONS connections, with autocannon.
 */
const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const autocannon = require(workerData.autocannon);
const { url, bodies, connections } = workerData;
let next = 0;
const latenciesMs = [];
const statuses = {};
const started = performance.now();
let lastResponse = started;
const instance = autocannon(
  {
    url, method: 'POST', connections, amount: bodies.length, timeout: 30,
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }) }],
  },
  // Elapsed until the last response, not until this callback: autocannon notices the end of an
  // \`amount\` run on its once-a-second tick, which would round every run up to whole seconds.
  (error, result) => parentPort.postMessage({
    elapsedMs: lastResponse - started, latenciesMs, statuses, errors: error ? 1 : result.errors,
  }),
);
instance.on('response', (_client, statusCode, _bytes, responseTime) => {
  lastResponse = performance.now();
  statuses[statusCode] = (statuses[statusCode] || 0) + 1;
  if (statusCode === 200) latenciesMs.push(responseTime);
});
`;

function drive(job: LoadJob): Promise<LoadOutcome> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOAD_WORKER, {
      eval: true,
      workerData: {
        ...job,
        connections: CONNECTIONS,
        autocannon: createRequire(import.meta.url).resolve('autocannon'),
      },
    });
    worker.once('message', (outcome: LoadOutcome) => {
      void worker.terminate();
      resolve(outcome);
    });
    worker.once('error', reject);
  });
}

function percentile(values: number[], fraction: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

function count(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name}: must be a whole number ≥ 1 (got "${raw}")`);
  return value;
}

const FORM = {
  name: 'Bench',
  status: 'published',
  definition: {
    languages: ['de', 'en'],
    title: { de: 'Kontakt' },
    fields: [
      {
        name: 'first_name',
        target: 'contact.firstName',
        type: 'text',
        label: { de: 'Vorname' },
        required: false,
      },
      {
        name: 'last_name',
        target: 'contact.lastName',
        type: 'text',
        label: { de: 'Nachname' },
        required: true,
      },
      { name: 'email', target: 'contact.email', type: 'email', label: { de: 'E-Mail' }, required: true },
      { name: 'phone', target: 'contact.phone', type: 'tel', label: { de: 'Telefon' }, required: false },
      { name: 'message', target: 'none', type: 'textarea', label: { de: 'Nachricht' }, required: false },
    ],
    tags: ['Website', 'Anfrage'],
    autoReply: {
      enabled: true,
      subject: { de: 'Danke', en: 'Thanks' },
      body: { de: 'Hallo {{ contact.firstName }}, danke!', en: 'Hello {{ contact.firstName }}, thanks!' },
    },
  },
};

type Measured = { rps: number; p50Ms: number; p99Ms: number; requests: number };

/**
 * Posts `bodies` (each at most once) to `url` with the bench's client: wrk for `seconds` (the
 * bodies also written to `file` for it), or autocannon, every body once. Every answer must be a
 * 200.
 */
async function post(
  label: string,
  url: string,
  bodies: string[],
  file: string,
  seconds: number,
  repeat = false,
): Promise<Measured> {
  if (CLIENT === 'wrk') {
    await writeFile(file, `${bodies.join('\n')}\n`);
    const run = await wrkPosts({ label, url, bodiesFile: file, seconds, connections: CONNECTIONS, repeat });
    return { rps: run.rps, p50Ms: run.p50Ms, p99Ms: run.p99Ms, requests: run.requests };
  }
  const run = await drive({ url, bodies });
  check(label, run, bodies.length);
  return {
    rps: round((bodies.length * 1000) / run.elapsedMs, 1),
    p50Ms: round(percentile(run.latenciesMs, 0.5), 3),
    p99Ms: round(percentile(run.latenciesMs, 0.99), 3),
    requests: bodies.length,
  };
}

async function measure(kind: 'pglite' | 'postgres', databaseUrl: string | undefined) {
  const dataDir = await mkdtemp(join(tmpdir(), `kontor-bench-forms-${kind}-`));
  const removeDataDir = deferCleanup(`temp folder ${dataDir}`, () =>
    rm(dataDir, { recursive: true, force: true }),
  );
  const config = loadConfig({
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    KONTOR_DATA_DIR: dataDir,
    KONTOR_RATE_LIMIT: '0',
    KONTOR_FORMS_POW_DIFFICULTY: '20',
    KONTOR_FORMS_SUBMITS_PER_MINUTE: '100000000',
    LOG_LEVEL: 'warn',
  });
  const logger = createLogger({ level: 'warn' });
  const services = await compose({ config, logger, migrate: true });
  try {
    await services.queue.start({ work: false });
    const app = await buildApp({ ...services, config, webDist: false });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const tenant = await createTenant(services.database.db, {
        name: 'Bench',
        adminEmail: 'admin@example.com',
      });
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/forms',
        headers: { authorization: `Bearer ${tenant.apiToken}` },
        payload: { ...FORM, definition: { ...FORM.definition, notifyUserIds: [tenant.adminUserId] } },
      });
      if (created.statusCode !== 201)
        throw new Error(`creating the form answered ${created.statusCode}: ${created.body}`);
      const formId = (created.json() as { id: string }).id;
      const wrk = CLIENT === 'wrk';
      const postgres = kind === 'postgres';
      const warmup = count('BENCH_FORMS_WARMUP', wrk ? (postgres ? 25_000 : 4_000) : 2_000);
      const requests = count('BENCH_FORMS_REQUESTS', wrk ? (postgres ? 40_000 : 8_000) : 10_000);
      const warmupSeconds = secondsFromEnv('BENCH_FORMS_WARMUP_SECONDS', 3);
      const seconds = secondsFromEnv('BENCH_FORMS_SECONDS', 5);
      note(`forms (${kind}): solving ${warmup + requests} challenges before the timed part`);
      const bodies: string[] = [];
      for (let i = 0; i < warmup + requests; i += 1) {
        const def = await app.inject({ method: 'GET', url: `/public/forms/${formId}/definition` });
        const { token, challenge } = def.json() as {
          token: string;
          challenge: Parameters<typeof solveForPost>[0];
        };
        bodies.push(
          JSON.stringify({
            first_name: 'Anna',
            last_name: `Muster ${i}`,
            email: `visitor-${i}-${randomUUID().slice(0, 8)}@example.com`,
            phone: '030 1234567',
            message: 'Bitte rufen Sie mich zurück.',
            _token: token,
            _hp: '',
            altcha: await solveForPost(challenge),
          }),
        );
      }
      // Tokens must be older than the minimum fill time (3 s).
      await new Promise((r) => setTimeout(r, (config.forms.minFillSeconds + 0.5) * 1000));
      const url = `${address}/public/forms/${formId}`;
      note(
        `forms (${kind}): warm-up with ${CLIENT}, ${wrk ? `${warmupSeconds} s` : `${warmup} submissions`}`,
      );
      const warm = await post(
        `forms (${kind}) warm-up`,
        url,
        bodies.slice(0, warmup),
        join(dataDir, 'warmup.jsonl'),
        warmupSeconds,
      );
      note(
        `forms (${kind}): measuring with ${CLIENT}, ${CONNECTIONS} connections, ${wrk ? `${seconds} s` : `${requests} submissions`}`,
      );
      const measuredBodies = bodies.slice(warmup);
      const forms = await post(
        `forms (${kind}) measured`,
        url,
        measuredBodies,
        join(dataDir, 'measured.jsonl'),
        seconds,
      );
      // Every answered post is stored; wrk may leave up to a post per connection unanswered at
      // the end of a run, which the server stores all the same.
      const stored = await withTenant(services.database.db, tenant.tenantId, (tx) =>
        sql<{ n: string }>`select count(*) as n from form_submission`.execute(tx),
      );
      const answered = warm.requests + forms.requests;
      const storedCount = Number(stored.rows[0]?.n);
      const slack = wrk ? 2 * CONNECTIONS : 0;
      if (storedCount < answered || storedCount > answered + slack) {
        throw new Error(`forms (${kind}): ${storedCount} submissions stored, ${answered} answered`);
      }
      note(`forms (${kind}): ${forms.rps} submissions/s, p50 ${forms.p50Ms} ms, p99 ${forms.p99Ms} ms`);
      const baseline = await rawInserts(services.database.db, kind);
      const floor = await httpInserts(services.database.db, kind, measuredBodies, dataDir, seconds);
      emitFigure({
        name: 'forms.submit.rps',
        value: forms.rps,
        unit: 'submissions/s',
        baseline: baseline.rps,
        database: kind,
        client: CLIENT,
        p50Ms: forms.p50Ms,
        p99Ms: forms.p99Ms,
        baselineP50Ms: baseline.p50Ms,
        baselineP99Ms: baseline.p99Ms,
        requests: forms.requests,
        baselineInserts: baseline.requests,
        connections: CONNECTIONS,
      });
      // The same figure against the HTTP floor: what the same client gets from a bare HTTP
      // route that does one insert through the same pool.
      emitFigure({
        name: 'forms.submit.rps-vs-http-insert',
        value: forms.rps,
        unit: 'submissions/s',
        baseline: floor.rps,
        database: kind,
        client: CLIENT,
        p99Ms: forms.p99Ms,
        baselineP50Ms: floor.p50Ms,
        baselineP99Ms: floor.p99Ms,
        requests: forms.requests,
        connections: CONNECTIONS,
      });
      const drained = await drain(services, tenant.tenantId, address, storedCount, kind);
      emitFigure({
        name: 'forms.process.rps',
        value: drained.rps,
        unit: 'submissions/s',
        baseline: forms.rps,
        database: kind,
        submissions: drained.submissions,
        batches: drained.batches,
      });
    } finally {
      await app.close();
    }
  } finally {
    await services.close();
    await removeDataDir();
  }
}

/**
 * Processes the oldest BENCH_FORMS_PROCESS (at most all) of the tenant's received submissions,
 * batch by batch, as the job does; checks the result.
 */
async function drain(
  services: Awaited<ReturnType<typeof compose>>,
  tenantId: string,
  baseUrl: string,
  stored: number,
  kind: string,
): Promise<{ rps: number; batches: number; submissions: number }> {
  const db = services.database.db;
  const wanted = Math.min(stored, count('BENCH_FORMS_PROCESS', 3_000));
  note(`forms (${kind}): processing ${wanted} of the ${stored} received submissions`);
  const started = performance.now();
  let batches = 0;
  let processed = 0;
  while (processed < wanted) {
    const next = await withTenant(db, tenantId, (tx) =>
      sql<{ id: string }>`select id from form_submission where status = 'received'
        order by created_at, id limit 1`.execute(tx),
    );
    const id = next.rows[0]?.id;
    if (!id) break;
    const result = await withTenant(db, tenantId, (tx) =>
      processSubmissions(tx, tenantId, id, {
        queue: services.queue,
        baseUrl,
        batchSize: Math.min(100, wanted - processed),
      }),
    );
    processed += result.processed + result.failed;
    batches += 1;
  }
  const elapsedMs = performance.now() - started;
  const done = await withTenant(db, tenantId, (tx) =>
    sql<{ processed: string; contacts: string }>`select
      (select count(*) from form_submission where status = 'processed') as processed,
      (select count(*) from contact) as contacts`.execute(tx),
  );
  const row = done.rows[0];
  if (Number(row?.processed) !== wanted || Number(row?.contacts) !== wanted) {
    throw new Error(
      `forms (${kind}): ${row?.processed} processed, ${row?.contacts} contacts, expected ${wanted} each`,
    );
  }
  const rps = round((wanted * 1000) / elapsedMs, 1);
  note(`forms (${kind}): backlog processed at ${rps} submissions/s in ${batches} batches`);
  return { rps, batches, submissions: wanted };
}

function check(label: string, outcome: LoadOutcome, expected: number): void {
  const ok = outcome.statuses['200'] ?? 0;
  if (ok !== expected || outcome.errors > 0) {
    throw new Error(
      `${label}: ${ok} of ${expected} answered 200, ${outcome.errors} errors (statuses ${JSON.stringify(outcome.statuses)})`,
    );
  }
}

/** The baseline: single-row INSERTs, autocommit, by CONNECTIONS callers, through the server's pool. */
async function rawInserts(db: Kysely<Tables>, kind: string): Promise<Measured> {
  const seconds = secondsFromEnv('BENCH_SECONDS', 10);
  note(`forms (${kind}): baseline, raw single-row inserts for ${seconds} s by ${CONNECTIONS} callers`);
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  let n = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        const hash = (n++).toString(16).padStart(64, '0');
        // form_challenge_use: a table the application role writes without row-level security.
        await sql`insert into form_challenge_use (signature_hash, expires_at) values (${hash}, now())`.execute(
          db,
        );
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = performance.now() - started;
  await sql`delete from form_challenge_use where expires_at <= now()`.execute(db);
  return {
    rps: round((latencies.length * 1000) / elapsed, 1),
    p50Ms: round(percentile(latencies, 0.5), 3),
    p99Ms: round(percentile(latencies, 0.99), 3),
    requests: latencies.length,
  };
}

/**
 * The second baseline, the HTTP floor: a bare Fastify server in this process, one route that
 * parses the same JSON bodies and does one single-row INSERT through the same pool, driven by the
 * same client with the same bodies. It shows what any HTTP endpoint that writes a row costs on
 * this machine (client, HTTP and socket writes included), which a raw INSERT does not.
 */
async function httpInserts(
  db: Kysely<Tables>,
  kind: string,
  bodies: string[],
  dataDir: string,
  seconds: number,
): Promise<Measured> {
  note(`forms (${kind}): baseline, a bare HTTP route with one insert, with ${CLIENT}`);
  const server = Fastify({ logger: false });
  server.post('/insert', async (request) => {
    const body = request.body as { email?: unknown };
    const hash = `${randomUUID()}${randomUUID()}`.replaceAll('-', '');
    await sql`insert into form_challenge_use (signature_hash, expires_at) values (${hash}, now())`.execute(
      db,
    );
    return { ok: true, email: typeof body.email === 'string' };
  });
  const address = await server.listen({ port: 0, host: '127.0.0.1' });
  try {
    return await post(
      `forms (${kind}) http-insert baseline`,
      `${address}/insert`,
      bodies,
      join(dataDir, 'floor.jsonl'),
      seconds,
      // A bare insert takes a body twice; it may run past the prepared ones.
      true,
    );
  } finally {
    await server.close();
    await sql`delete from form_challenge_use where expires_at <= now()`.execute(db);
  }
}

async function main(): Promise<void> {
  note(`forms: ${CONNECTIONS} concurrent clients; baseline raw single-row inserts through the same pool`);
  const postgres = await freshPostgres();
  if (process.env.KONTOR_BENCH_SKIP_PGLITE !== '1') await measure('pglite', undefined);
  if (postgres !== undefined) {
    try {
      await measure('postgres', postgres.url);
    } finally {
      await postgres.drop();
    }
  }
}

await runBench(main);
