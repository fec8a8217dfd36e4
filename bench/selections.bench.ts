// selections.count.p95: p95 latency (ms) of counting a selection's contacts — the filter
// "2 tags + 1 custom field + city" of issue 4:
//   { all: [ { tag: { hasAll: ['Newsletter', 'Kunde'] } },
//            { field: 'customFields.score', op: 'gte', value: 80 },
//            { field: 'city', op: 'eq', value: 'Zürich' } ] }
// through the selections service exactly as POST /api/v1/selections/count runs it (parse, check
// against the tenant's custom fields and the field access, tag look-up, count) in a transaction
// opened with withPrincipal as the application role, row-level security on.
// Baseline, same run, interleaved: the same count as one hand-written SQL statement (ids looked
// up beforehand) run by the schema owner, who bypasses row-level security.
// selections.page.p95: the same for the first page of 50 contact ids, newest first.
//
// Contacts: KONTOR_BENCH_CONTACTS (default 20,000; the target is 1,000,000 on
// PostgreSQL), seeded with bench/support/contacts-seed.ts (Newsletter 40 %, Kunde 30 %,
// Zürich ≈ 7.5 %) and a number field `score` in 0–99 (≥ 80: 20 %), written into the custom-field
// value index directly. KONTOR_BENCH_SKIP_PGLITE=1 measures PostgreSQL only.
// KONTOR_BENCH_ITERATIONS (default 50) measured counts per database after 5 warm-up ones.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Database, openDatabase } from '../apps/server/src/kernel/db/database.ts';
import { migrate } from '../apps/server/src/kernel/db/migrate.ts';
import { withPrincipal } from '../apps/server/src/kernel/db/tenancy.ts';
import { countContacts, selectContactIds } from '../apps/server/src/modules/contacts/index.ts';
import { FULL_ACCESS } from '../apps/server/src/modules/privacy/index.ts';
import { createTenant } from '../apps/server/src/modules/tenants/index.ts';
import { deferCleanup, runBench } from './support/cleanup.ts';
import { seedContacts } from './support/contacts-seed.ts';
import { freshPostgres } from './support/postgres.ts';
import { emitFigure, note, round } from './support/report.ts';

type DatabaseKind = 'pglite' | 'postgres';

function countFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name}: must be a whole number, 1 or more (got "${raw}")`);
  return value;
}

const CONTACTS = countFromEnv('KONTOR_BENCH_CONTACTS', 20_000);
const ITERATIONS = countFromEnv('KONTOR_BENCH_ITERATIONS', 50);
const WARMUP = 5;
const PAGE = 50;

const FILTER = {
  all: [
    { tag: { hasAll: ['Newsletter', 'Kunde'] } },
    { field: 'customFields.score', op: 'gte', value: 80 },
    { field: 'city', op: 'eq', value: 'Zürich' },
  ],
};

/**
 * The same question written by hand for the owner, who bypasses row-level security: tag and
 * field ids looked up beforehand, the tenant named in every table, no service around it.
 */
const BASELINE_WHERE = `
  c.tenant_id = $1
  AND c.city_fold = kontor_fold('Zürich')
  AND EXISTS (SELECT 1 FROM contact_tag ct WHERE ct.tenant_id = $1 AND ct.contact_id = c.id AND ct.tag_id = $2)
  AND EXISTS (SELECT 1 FROM contact_tag ct WHERE ct.tenant_id = $1 AND ct.contact_id = c.id AND ct.tag_id = $3)
  AND EXISTS (SELECT 1 FROM custom_field_value v
              WHERE v.tenant_id = $1 AND v.field_id = $4 AND v.record_id = c.id AND v.value_number >= 80)`;
const BASELINE_COUNT = `SELECT count(*)::int AS n FROM contact c WHERE ${BASELINE_WHERE}`;
const BASELINE_PAGE = `SELECT c.id FROM contact c WHERE ${BASELINE_WHERE} ORDER BY c.created_at DESC, c.id DESC LIMIT ${PAGE}`;

/** The ids the baseline names: tags Newsletter and Kunde, the field score. */
type BaselineIds = [tenantId: string, newsletter: string, kunde: string, score: string];

async function seed(database: Database, tenantId: string): Promise<BaselineIds> {
  await seedContacts(database.asOwner, { tenantId, contacts: CONTACTS }, note);
  const started = performance.now();
  // The values go straight into the custom-fields module's value index, one row per contact (as
  // its triggers would write them): a count reads only that index, and writing the jsonb copy
  // through an UPDATE of every contact would re-run every contact trigger (search keys,
  // vocabulary) for minutes without changing what is measured.
  const ids = await database.asOwner(async (s) => {
    const [field] = await s.query<{ id: string }>(
      `INSERT INTO custom_field (tenant_id, object_type, key, label, type)
       VALUES ($1, 'contact', 'score', 'Score', 'number') RETURNING id`,
      [tenantId],
    );
    if (!field) throw new Error('the custom field was not created');
    await s.query(
      `INSERT INTO custom_field_value (tenant_id, field_id, record_id, value_number)
       SELECT c.tenant_id, $2, c.id, abs(hashtext(c.id::text || 'score')) % 100 FROM contact c WHERE c.tenant_id = $1`,
      [tenantId, field.id],
    );
    const tags = await s.query<{ id: string; name: string }>(
      `SELECT id, name::text AS name FROM tag WHERE tenant_id = $1 AND name IN ('Newsletter', 'Kunde')`,
      [tenantId],
    );
    const tag = (name: string) => {
      const found = tags.find((t) => t.name === name);
      if (!found) throw new Error(`the seed made no tag ${name}`);
      return found.id;
    };
    return [tenantId, tag('Newsletter'), tag('Kunde'), field.id] as BaselineIds;
  });
  note(`seeded custom field score in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return ids;
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

type Timings = { p50: number; p95: number };

function summarise(samples: number[]): Timings {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50), 2), p95: round(percentile(sorted, 95), 2) };
}

/**
 * Measures on a migrated database. `vacuum` runs VACUUM ANALYZE as the owner outside a
 * transaction: index-only scans need the visibility map, which autovacuum would build later.
 */
/** Runs one statement as the schema owner (the baseline): on PostgreSQL one open connection. */
type OwnerQuery = <R>(text: string, params: unknown[]) => Promise<R[]>;

async function measure(
  database: Database,
  kind: DatabaseKind,
  vacuum: () => Promise<void>,
  owner: OwnerQuery,
): Promise<void> {
  const { tenantId } = await createTenant(database.db, { name: 'Bench', adminEmail: 'bench@example.com' });
  const baselineIds = await seed(database, tenantId);
  const vacuumed = performance.now();
  await vacuum();
  note(`${kind}: VACUUM ANALYZE in ${((performance.now() - vacuumed) / 1000).toFixed(1)} s`);
  const principal = { tenantId, fieldAccess: FULL_ACCESS, contactScope: null };

  const appCount = () => withPrincipal(database.db, principal, (tx) => countContacts(tx, principal, FILTER));
  const ownerCount = async () => (await owner<{ n: number }>(BASELINE_COUNT, baselineIds))[0]?.n ?? -1;
  const appPage = () =>
    withPrincipal(database.db, principal, (tx) => selectContactIds(tx, principal, FILTER, { limit: PAGE }));
  const ownerPage = () => owner<{ id: string }>(BASELINE_PAGE, baselineIds);

  const count = await appCount();
  const expected = await ownerCount();
  if (count !== expected) throw new Error(`the service counted ${count}, the baseline ${expected}`);
  const page = await appPage();
  const expectedPage = (await ownerPage()).map((r) => r.id);
  if (JSON.stringify(page.ids) !== JSON.stringify(expectedPage)) throw new Error('the first pages differ');
  note(`${kind}: ${CONTACTS} contacts, the filter matches ${count}`);

  const samples = {
    count: [] as number[],
    baseline: [] as number[],
    page: [] as number[],
    pageBaseline: [] as number[],
  };
  const time = async (into: number[] | undefined, work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    into?.push(performance.now() - started);
  };
  for (let i = 0; i < WARMUP + ITERATIONS; i += 1) {
    const keep = i >= WARMUP;
    await time(keep ? samples.count : undefined, appCount);
    await time(keep ? samples.baseline : undefined, ownerCount);
    await time(keep ? samples.page : undefined, appPage);
    await time(keep ? samples.pageBaseline : undefined, ownerPage);
  }
  const counted = summarise(samples.count);
  const baseline = summarise(samples.baseline);
  const paged = summarise(samples.page);
  const pageBaseline = summarise(samples.pageBaseline);
  emitFigure({
    name: 'selections.count.p95',
    value: counted.p95,
    unit: 'ms',
    baseline: baseline.p95,
    database: kind,
    contacts: CONTACTS,
    matches: count,
    p50Ms: counted.p50,
    baselineP50Ms: baseline.p50,
    iterations: ITERATIONS,
  });
  emitFigure({
    name: 'selections.page.p95',
    value: paged.p95,
    unit: 'ms',
    baseline: pageBaseline.p95,
    database: kind,
    contacts: CONTACTS,
    limit: PAGE,
    p50Ms: paged.p50,
    baselineP50Ms: pageBaseline.p50,
    iterations: ITERATIONS,
  });
}

async function onPostgres(url: string): Promise<void> {
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 2 });
  const close = deferCleanup('PostgreSQL pool', () => database.close());
  try {
    await migrate(database);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const closeClient = deferCleanup('PostgreSQL owner connection', () => client.end());
    try {
      await measure(
        database,
        'postgres',
        async () => {
          await client.query('VACUUM ANALYZE contact, contact_tag, tag, custom_field_value');
        },
        async <R>(text: string, params: unknown[]) => (await client.query(text, params)).rows as R[],
      );
    } finally {
      await closeClient();
    }
  } finally {
    await close();
  }
}

async function onPglite(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kontor-bench-selections-'));
  const removeDataDir = deferCleanup(`temp folder ${dataDir}`, () =>
    rm(dataDir, { recursive: true, force: true }),
  );
  try {
    const database = await openDatabase({ kind: 'pglite', dataDir });
    const close = deferCleanup('PGlite', () => database.close());
    try {
      await migrate(database);
      const pglite = database.pglite;
      if (!pglite) throw new Error('an embedded database without its PGlite instance');
      // One session, running as the application role: back to the owner for the VACUUM only.
      await measure(
        database,
        'pglite',
        async () => {
          // Three statements: a multi-statement exec is one transaction, which VACUUM refuses.
          await pglite.exec('RESET ROLE');
          try {
            await pglite.exec('VACUUM ANALYZE contact, contact_tag, tag, custom_field_value');
          } finally {
            await pglite.exec('SET ROLE kontor_app');
          }
        },
        (text, params) => database.asOwner((session) => session.query(text, params)),
      );
    } finally {
      await close();
    }
  } finally {
    await removeDataDir();
  }
}

await runBench(async () => {
  note(`selections: ${CONTACTS} contacts, ${WARMUP} warm-up + ${ITERATIONS} measured counts per database`);
  const postgres = await freshPostgres();
  if (postgres !== undefined) {
    try {
      await onPostgres(postgres.url);
    } finally {
      await postgres.drop();
    }
  }
  if (process.env.KONTOR_BENCH_SKIP_PGLITE === '1') note('PGlite skipped (KONTOR_BENCH_SKIP_PGLITE=1)');
  else await onPglite();
});
