// custom-fields.*: filtering and sorting 1,000,000 contacts by custom-field values through the
// typed value index (`custom_field_value`), as the application role under row-level security,
// on PostgreSQL; baseline: the same question asked of the jsonb column (`custom_fields ->> …`),
// which RLS keeps from using any index (its operators are not LEAKPROOF). And the cost of
// keeping the index on insert: multi-row INSERTs of contacts whose custom fields are defined
// (indexed) against the same rows whose keys are not (the trigger runs, nothing is indexed).
//
//   node --import tsx bench/custom-fields.bench.ts
//   BENCH_CONTACTS=200000 BENCH_RUNS=50 BENCH_BASELINE_RUNS=10 node --import tsx bench/custom-fields.bench.ts
//
// PostgreSQL only (DATABASE_URL, else a server at 127.0.0.1:5432); PGlite is not measured here
// (a million rows through one in-process session takes too long for a routine run).
import { performance } from 'node:perf_hooks';
import { type RawBuilder, sql } from 'kysely';
import { type Database, openDatabase } from '../apps/server/src/kernel/db/database.ts';
import { migrate } from '../apps/server/src/kernel/db/migrate.ts';
import { withTenant } from '../apps/server/src/kernel/db/tenancy.ts';
import { createTenant } from '../apps/server/src/modules/tenants/index.ts';
import { runBench } from './support/cleanup.ts';
import { freshPostgres } from './support/postgres.ts';
import { emitFigure, note, round } from './support/report.ts';

function positiveFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name}: must be a whole number ≥ 1 (got "${raw}")`);
  return value;
}

const CONTACTS = positiveFromEnv('BENCH_CONTACTS', 1_000_000);
const RUNS = positiveFromEnv('BENCH_RUNS', 30);
/** The jsonb baseline reads every contact of the tenant each time: fewer runs (p95 ≈ the slowest). */
const BASELINE_RUNS = positiveFromEnv('BENCH_BASELINE_RUNS', 5);
const INSERT_ROWS = positiveFromEnv('BENCH_INSERT_ROWS', 50_000);
const INSERT_BATCH = 1_000;
const SEED_BATCH = 100_000;

type Fields = { tier: string; score: string; since: string; customerNo: string };

async function defineFields(database: Database, tenantId: string): Promise<Fields> {
  return withTenant(database.db, tenantId, async (tx) => {
    const define = async (key: string, type: string, extra = sql``) => {
      const { rows } = await sql<{ id: string }>`
        insert into custom_field (tenant_id, object_type, key, label, type, options, is_unique)
        values (${tenantId}, 'contact', ${key}, ${key}, ${type}, ${extra}) returning id`.execute(tx);
      return rows[0]?.id as string;
    };
    const options = JSON.stringify(['gold', 'silver', 'bronze'].map((value) => ({ value, label: value })));
    return {
      tier: await define('tier', 'single_select', sql`${options}::jsonb, false`),
      score: await define('score', 'number', sql`'[]'::jsonb, false`),
      since: await define('since', 'date', sql`'[]'::jsonb, false`),
      customerNo: await define('customer_no', 'text', sql`'[]'::jsonb, true`),
    };
  });
}

/**
 * Custom fields of contact number g: tier gold 5 %, silver 15 %, bronze 30 %, none 50 %; score
 * 0–9999; since one of 3,650 days from 2015; a unique customer number. `prefix` renames the
 * keys (undefined keys: same jsonb, nothing indexed).
 */
function customFieldsSql(prefix: string): RawBuilder<unknown> {
  const key = (name: string) => sql.lit(`${prefix}${name}`);
  return sql`jsonb_strip_nulls(jsonb_build_object(
      ${key('tier')}, CASE WHEN g % 20 = 0 THEN 'gold' WHEN g % 20 < 4 THEN 'silver' WHEN g % 20 < 10 THEN 'bronze' END,
      ${key('score')}, (g * 7919) % 10000,
      ${key('since')}, to_char(date '2015-01-01' + ((g * 104729) % 3650)::int, 'YYYY-MM-DD'),
      ${key('customer_no')}, 'K-' || g))`;
}

function insertContacts(tenantId: string, from: number, to: number, prefix: string) {
  return sql`insert into contact (tenant_id, first_name, last_name, city, email, custom_fields, created_at)
    select ${tenantId}::uuid, 'Vorname' || g, 'Name' || (g % 5000), 'Zürich', 'p' || g || '@example.com',
      ${customFieldsSql(prefix)}, timestamptz '2020-01-01Z' + g * interval '1 minute'
    from generate_series(${from}::bigint, ${to}::bigint) as g`;
}

/** Rows per second of `rows` contacts inserted INSERT_BATCH at a time, one transaction each. */
async function insertRate(database: Database, tenantId: string, first: number, rows: number, prefix: string) {
  const started = performance.now();
  for (let from = first; from < first + rows; from += INSERT_BATCH) {
    const to = Math.min(first + rows - 1, from + INSERT_BATCH - 1);
    await withTenant(database.db, tenantId, (tx) => insertContacts(tenantId, from, to, prefix).execute(tx));
  }
  return rows / ((performance.now() - started) / 1000);
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

type Timing = { p50: number; p95: number; rows: number };

/** Runs the query `runs` times (after 2 warm-ups) as the app role in the tenant, timing each transaction. */
async function time(
  database: Database,
  tenantId: string,
  query: RawBuilder<unknown>,
  runs: number,
): Promise<Timing> {
  const samples: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs + 2; i += 1) {
    const started = performance.now();
    const result = await withTenant(database.db, tenantId, (tx) => query.execute(tx));
    const took = performance.now() - started;
    const first = result.rows[0] as Record<string, unknown> | undefined;
    rows = first && 'n' in first ? Number(first.n) : result.rows.length;
    if (i >= 2) samples.push(took);
  }
  return { p50: round(percentile(samples, 0.5), 2), p95: round(percentile(samples, 0.95), 2), rows };
}

async function plan(database: Database, tenantId: string, query: RawBuilder<unknown>): Promise<string> {
  return withTenant(database.db, tenantId, async (tx) => {
    const { rows } = await sql<Record<string, string>>`explain ${query}`.execute(tx);
    return rows.map((r) => `    ${Object.values(r)[0]}`).join('\n');
  });
}

const holders = (fieldId: string, condition: RawBuilder<unknown>) =>
  sql`select v.record_id from custom_field_value v where v.field_id = ${fieldId}::uuid and ${condition}`;
const countWhere = (condition: RawBuilder<unknown>) =>
  sql`select count(*)::int as n from contact c where ${condition}`;

await runBench(async () => {
  const postgres = await freshPostgres();
  if (postgres === undefined)
    throw new Error('custom-fields: needs PostgreSQL (DATABASE_URL or 127.0.0.1:5432)');
  const database = await openDatabase({ kind: 'postgres', url: postgres.url, poolSize: 2 });
  try {
    await migrate(database);
    const { tenantId } = await createTenant(database.db, { name: 'Bench', adminEmail: 'bench@example.com' });
    const fields = await defineFields(database, tenantId);
    // The insert runs go to a second tenant, whose rows then stay as a neighbour's data.
    const other = (await createTenant(database.db, { name: 'Other', adminEmail: 'other@example.com' }))
      .tenantId;
    await defineFields(database, other);

    // -- insert cost: the same rows, custom-field keys defined (indexed) or not ----------------
    note(
      `insert: ${INSERT_ROWS} contacts per run, ${INSERT_BATCH} per INSERT, undefined vs defined keys, twice`,
    );
    const plain: number[] = [];
    const indexed: number[] = [];
    let next = 100_000_000;
    for (let round = 0; round < 2; round += 1) {
      plain.push(await insertRate(database, other, next, INSERT_ROWS, 'x_'));
      next += INSERT_ROWS;
      indexed.push(await insertRate(database, other, next, INSERT_ROWS, ''));
      next += INSERT_ROWS;
    }
    const plainRate = Math.max(...plain);
    const indexedRate = Math.max(...indexed);
    note(
      `insert: ${plain.map((r) => Math.round(r)).join(', ')} rows/s plain; ${indexed.map((r) => Math.round(r)).join(', ')} rows/s indexed`,
    );
    emitFigure({
      name: 'custom-fields.insert.rows-per-s',
      value: round(indexedRate, 0),
      unit: 'rows/s',
      baseline: round(plainRate, 0),
      database: 'postgres',
      customFieldsPerRow: 4,
      batch: INSERT_BATCH,
      rows: INSERT_ROWS,
    });

    // -- seed ------------------------------------------------------------------------------------
    note(`seeding ${CONTACTS} contacts with 4 custom fields each (as the app role, through the triggers)`);
    const seedStarted = performance.now();
    for (let from = 1; from <= CONTACTS; from += SEED_BATCH) {
      const to = Math.min(CONTACTS, from + SEED_BATCH - 1);
      await withTenant(database.db, tenantId, (tx) => insertContacts(tenantId, from, to, '').execute(tx));
      note(`  ${to} contacts, ${Math.round(to / ((performance.now() - seedStarted) / 1000))} rows/s`);
    }
    const seedRate = CONTACTS / ((performance.now() - seedStarted) / 1000);
    await database.asOwner(async (owner) => {
      await owner.exec('ANALYZE contact; ANALYZE custom_field_value; ANALYZE custom_field');
      const [size] = await owner.query<{ rows: string; bytes: string }>(
        `select count(*)::text as rows, pg_size_pretty(pg_total_relation_size('custom_field_value')) as bytes from custom_field_value`,
      );
      note(
        `value index: ${size?.rows} rows, ${size?.bytes} with its indexes; seeded at ${Math.round(seedRate)} rows/s`,
      );
    });

    // -- queries ---------------------------------------------------------------------------------
    const cases: { name: string; what: string; index: RawBuilder<unknown>; jsonb: RawBuilder<unknown> }[] = [
      {
        name: 'custom-fields.filter-eq.p95',
        what: 'count where score = 4242 (number, ~100 rows)',
        index: countWhere(
          sql`c.id in (${holders(fields.score, sql`v.value_number is not null and v.value_number = ${4242}::double precision`)})`,
        ),
        jsonb: countWhere(sql`(c.custom_fields ->> 'score')::numeric = 4242`),
      },
      {
        name: 'custom-fields.filter-range.p95',
        what: 'count where since between 2020-03-01 and 2020-03-31 (date, ~0.85 %)',
        index: countWhere(
          sql`c.id in (${holders(fields.since, sql`v.value_date is not null and v.value_date between ${'2020-03-01'}::date and ${'2020-03-31'}::date`)})`,
        ),
        jsonb: countWhere(sql`(c.custom_fields ->> 'since') between '2020-03-01' and '2020-03-31'`),
      },
      {
        name: 'custom-fields.filter-number-range.p95',
        what: 'count where score between 1000 and 1099 (number, 1 %)',
        index: countWhere(
          sql`c.id in (${holders(fields.score, sql`v.value_number is not null and v.value_number between ${1000}::double precision and ${1099}::double precision`)})`,
        ),
        jsonb: countWhere(sql`(c.custom_fields ->> 'score')::numeric between 1000 and 1099`),
      },
      {
        name: 'custom-fields.filter-select.p95',
        what: "count where tier = 'gold' (single select, 5 %)",
        index: countWhere(
          sql`c.id in (${holders(fields.tier, sql`v.value_text is not null and v.value_text = ${'gold'}::text`)})`,
        ),
        jsonb: countWhere(sql`c.custom_fields ->> 'tier' = 'gold'`),
      },
      {
        name: 'custom-fields.lookup-unique.p95',
        what: "contact whose customer_no is 'k-500000' (unique text, 1 row)",
        index: sql`select c.id, c.last_name from contact c where c.id in (${holders(
          fields.customerNo,
          sql`v.value_text is not null and v.value_text = kontor_custom_text(${'k-500000'})`,
        )})`,
        jsonb: sql`select c.id, c.last_name from contact c where lower(c.custom_fields ->> 'customer_no') = 'k-500000'`,
      },
      {
        name: 'custom-fields.sort-page.p95',
        what: 'first page (50) of contacts by score, highest first',
        index: sql`select c.id, c.last_name, v.value_number from custom_field_value v
          join contact c on c.id = v.record_id
          where v.field_id = ${fields.score}::uuid and v.value_number is not null
          order by v.value_number desc, v.record_id desc limit 50`,
        jsonb: sql`select c.id, c.last_name from contact c
          order by (c.custom_fields ->> 'score')::numeric desc nulls last, c.id desc limit 50`,
      },
    ];
    for (const c of cases) {
      note(`${c.what}: plan with the value index\n${await plan(database, tenantId, c.index)}`);
      const withIndex = await time(database, tenantId, c.index, RUNS);
      const withJsonb = await time(database, tenantId, c.jsonb, BASELINE_RUNS);
      note(
        `${c.what}: index p50 ${withIndex.p50} / p95 ${withIndex.p95} ms (${withIndex.rows}); jsonb p50 ${withJsonb.p50} / p95 ${withJsonb.p95} ms (${withJsonb.rows})`,
      );
      if (withIndex.rows !== withJsonb.rows) {
        throw new Error(`${c.name}: the index answered ${withIndex.rows}, the jsonb ${withJsonb.rows}`);
      }
      emitFigure({
        name: c.name,
        value: withIndex.p95,
        unit: 'ms',
        baseline: withJsonb.p95,
        database: 'postgres',
        p50Ms: withIndex.p50,
        baselineP50Ms: withJsonb.p50,
        rows: withIndex.rows,
        contacts: CONTACTS,
        runs: RUNS,
        baselineRuns: BASELINE_RUNS,
      });
    }
    emitFigure({
      name: 'custom-fields.seed.rows-per-s',
      value: round(seedRate, 0),
      unit: 'rows/s',
      baseline: round(plainRate, 0),
      database: 'postgres',
      batch: SEED_BATCH,
      contacts: CONTACTS,
    });
  } finally {
    await database.close();
    await postgres.drop();
  }
});
