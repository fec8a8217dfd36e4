// contacts.search.p95, contacts.list.p95, contacts.list-deep.p95, contacts.list-tag.p95,
// contacts.list-company.p95: latency (ms, sequential requests) of the contact search and list
// pages through the real HTTP API of a `kontor serve` child process (API token, row-level
// security as the application role, field access, access log), with many contacts in one tenant,
// on PostgreSQL and PGlite. Baselines, measured in the same run on the same database as the
// schema owner (no row-level security, no HTTP): for the search, the same search written as raw
// SQL the straightforward way (ranked trigram similarity over the search text, with the trigram
// index on it, as Kontor did before 20261130120000_contacts_search_rls.sql; the index is built
// for the baseline only); for the list pages, the raw SELECT … LIMIT 51 of the same rows.
//
//   npm run bench -- contacts                                   50,000 contacts
//   KONTOR_BENCH_CONTACTS=1000000 npm run bench -- contacts     the million
//
// KONTOR_BENCH_PGLITE_CONTACTS sizes the PGlite run on its own (default: the same, at most
// 100,000; 0 skips PGlite), KONTOR_BENCH_POSTGRES_CONTACTS the PostgreSQL run (0 skips it).
// BENCH_ROUNDS (default 40) rounds of every query through HTTP, BENCH_BASELINE_ROUNDS (default
// 5) of the raw searches (seconds each at a million); BENCH_REPEAT (default 1) measures
// baselines and HTTP again on the same data, each repeat printing its own figures (on a shared
// machine: compare the repeats).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { z } from 'zod';
import { type Database, type OwnerSession, openDatabase } from '../apps/server/src/kernel/db/database.ts';
import { encodeCursor } from '../apps/server/src/kernel/http/pagination.ts';
import { deferCleanup, runBench } from './support/cleanup.ts';
import { seedContacts } from './support/contacts-seed.ts';
import { freshPostgres } from './support/postgres.ts';
import { freePort, runNode, startNode, waitUntilReady } from './support/processes.ts';
import { emitFigure, note, round } from './support/report.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KONTOR = join(ROOT, 'apps/server/bin/kontor.js');

const contactsFromEnv = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name}: must be a whole number, 0 or more (got "${raw}")`);
  return value;
};
const CONTACTS = Math.max(1000, contactsFromEnv('KONTOR_BENCH_CONTACTS', 50_000));
const POSTGRES_CONTACTS = contactsFromEnv('KONTOR_BENCH_POSTGRES_CONTACTS', CONTACTS);
const PGLITE_CONTACTS = contactsFromEnv('KONTOR_BENCH_PGLITE_CONTACTS', Math.min(CONTACTS, 100_000));
const ROUNDS = Math.max(1, contactsFromEnv('BENCH_ROUNDS', 40));
const BASELINE_ROUNDS = Math.max(1, contactsFromEnv('BENCH_BASELINE_ROUNDS', 5));
const REPEAT = Math.max(1, contactsFromEnv('BENCH_REPEAT', 1));

const tenantSchema = z.object({ tenantId: z.uuid(), apiToken: z.string() });
const pageSchema = z.object({
  items: z.array(z.object({ id: z.uuid(), lastName: z.string().nullable() })),
  nextCursor: z.string().nullable(),
});

type DatabaseKind = 'pglite' | 'postgres';
type Query = { label: string; q: string; kind: 'words' | 'digits'; value: string };
type Latencies = { all: number[]; byLabel: Map<string, number[]> };
type Stats = { p50: number; p95: number; p99: number; n: number };

/**
 * The search mix: a common surname with its umlaut and transliterated, a typo, a phone number
 * fragment (the subscriber part, as typed: `123 45 67`), a city.
 */
function searchQueries(phoneDigits: string): Query[] {
  const fragment = `${phoneDigits.slice(0, 3)} ${phoneDigits.slice(3, 5)} ${phoneDigits.slice(5)}`;
  return [
    { label: 'Müller', q: 'Müller', kind: 'words', value: 'Müller' },
    { label: 'mueller', q: 'mueller', kind: 'words', value: 'mueller' },
    { label: 'Zimerman (typo)', q: 'Zimerman', kind: 'words', value: 'Zimerman' },
    { label: 'phone', q: fragment, kind: 'digits', value: phoneDigits },
    { label: 'Zürich', q: 'Zürich', kind: 'words', value: 'Zürich' },
  ];
}

function stats(values: number[]): Stats {
  const sorted = Float64Array.from(values).sort();
  const at = (f: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(f * sorted.length) - 1))] ?? NaN;
  return { p50: round(at(0.5), 3), p95: round(at(0.95), 3), p99: round(at(0.99), 3), n: sorted.length };
}

function record(latencies: Latencies, label: string, ms: number): void {
  latencies.all.push(ms);
  latencies.byLabel.set(label, [...(latencies.byLabel.get(label) ?? []), ms]);
}

const perQuery = (latencies: Latencies) =>
  [...latencies.byLabel].map(([label, values]) => `${label} ${stats(values).p95}`).join(' / ');

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

// -- the database, as its owner ---------------------------------------------------------------

type Fixture = {
  tenantId: string;
  phoneDigits: string;
  deepCursor: string;
  companyId: string;
  tagName: string;
};

/** What the queries need: a phone number that exists, a cursor halfway down, a company with persons. */
async function fixture(session: OwnerSession, tenantId: string): Promise<Fixture> {
  const [phone] = await session.query<{ phone: string }>(
    `SELECT phone FROM contact WHERE tenant_id = $1 AND phone LIKE '+41%' AND right(phone, 7) !~ '^0'
     ORDER BY created_at LIMIT 1`,
    [tenantId],
  );
  const [middle] = await session.query<{ t: string; id: string }>(
    `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t, id FROM contact
     WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`,
    [tenantId, Math.floor((await countContacts(session, tenantId)) / 2)],
  );
  const [company] = await session.query<{ companyId: string }>(
    `SELECT company_id AS "companyId" FROM contact WHERE tenant_id = $1 AND company_id IS NOT NULL
     GROUP BY company_id ORDER BY count(*) DESC, company_id LIMIT 1`,
    [tenantId],
  );
  if (!phone || !middle || !company)
    throw new Error('seeding left no phone number, cursor or company to query');
  return {
    tenantId,
    // +41 44 123 45 67 → 1234567: the subscriber part.
    phoneDigits: phone.phone.slice(-7),
    deepCursor: encodeCursor({ t: middle.t, i: middle.id }),
    companyId: company.companyId,
    tagName: 'VIP',
  };
}

async function countContacts(session: OwnerSession, tenantId: string): Promise<number> {
  const [row] = await session.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM contact WHERE tenant_id = $1',
    [tenantId],
  );
  return row?.n ?? 0;
}

const LIST_COLUMNS = `id, salutation, first_name, last_name, company_id,
  (SELECT co.name FROM company co WHERE co.tenant_id = c.tenant_id AND co.id = c.company_id) AS company_name,
  street, address_line1, address_line2, postal_code, city, region, country, email, language, phone, fax, mobile,
  website, birthday, iban, bic, payment_method, account_holder, vat_id, notes, custom_fields::text, created_at,
  updated_at`;

/** The raw queries of the baseline, as the owner: no row-level security, no function, no HTTP. */
function baselineSearchSql(query: Query): { text: string; values: (tenantId: string) => unknown[] } {
  if (query.kind === 'digits') {
    return {
      text: `SELECT ${LIST_COLUMNS} FROM contact c WHERE c.tenant_id = $1 AND c.search_text LIKE '%' || $2 || '%'
        ORDER BY c.created_at DESC, c.id DESC LIMIT 50`,
      values: (tenantId) => [tenantId, query.value],
    };
  }
  return {
    text: `SELECT ${LIST_COLUMNS} FROM contact c WHERE c.tenant_id = $1
        AND (c.search_text %> kontor_fold($2) OR c.search_text LIKE '%' || kontor_fold($2) || '%')
      ORDER BY strict_word_similarity(kontor_fold($2), c.search_text) DESC, c.created_at DESC, c.id DESC LIMIT 50`,
    values: (tenantId) => [tenantId, query.value],
  };
}

type ListCase = {
  label: string;
  path: (f: Fixture) => string;
  sql: string;
  values: (f: Fixture) => unknown[];
};

const LIST_CASES: ListCase[] = [
  {
    label: 'first page',
    path: () => '/api/v1/contacts?limit=50',
    sql: `SELECT ${LIST_COLUMNS} FROM contact c WHERE c.tenant_id = $1 ORDER BY c.created_at DESC, c.id DESC LIMIT 51`,
    values: (f) => [f.tenantId],
  },
  {
    label: 'deep page',
    path: (f) => `/api/v1/contacts?limit=50&cursor=${f.deepCursor}`,
    sql: `SELECT ${LIST_COLUMNS} FROM contact c WHERE c.tenant_id = $1
      AND (c.created_at, c.id) < ($2::timestamptz, $3::uuid) ORDER BY c.created_at DESC, c.id DESC LIMIT 51`,
    values: (f) => {
      const keyset = JSON.parse(Buffer.from(f.deepCursor, 'base64url').toString('utf8')) as {
        t: string;
        i: string;
      };
      return [f.tenantId, keyset.t, keyset.i];
    },
  },
  {
    label: 'tag',
    path: (f) => `/api/v1/contacts?limit=50&tag=${encodeURIComponent(f.tagName)}`,
    sql: `SELECT ${LIST_COLUMNS} FROM contact c WHERE c.tenant_id = $1
      AND EXISTS (SELECT 1 FROM contact_tag j JOIN tag t ON t.id = j.tag_id
        WHERE j.tenant_id = c.tenant_id AND j.contact_id = c.id AND t.name = $2)
      ORDER BY c.created_at DESC, c.id DESC LIMIT 51`,
    values: (f) => [f.tenantId, f.tagName],
  },
  {
    label: 'company',
    path: (f) => `/api/v1/contacts?limit=50&companyId=${f.companyId}`,
    sql: `SELECT ${LIST_COLUMNS} FROM contact c WHERE c.tenant_id = $1 AND c.company_id = $2
      ORDER BY c.created_at DESC, c.id DESC LIMIT 51`,
    values: (f) => [f.tenantId, f.companyId],
  },
];

type Baselines = {
  search: Latencies;
  /** The new search's database part alone: kontor_search_ids() as the owner. */
  searchFunction: Latencies;
  list: Map<string, number[]>;
};

async function measureBaselines(database: Database, f: Fixture): Promise<Baselines> {
  const queries = searchQueries(f.phoneDigits);
  const search: Latencies = { all: [], byLabel: new Map() };
  const searchFunction: Latencies = { all: [], byLabel: new Map() };
  const list = new Map<string, number[]>();
  await database.asOwner(async (session) => {
    await session.query(`SELECT set_config('app.tenant_id', $1, true)`, [f.tenantId]);
    // One untimed round first: the pages the queries read come into memory.
    for (let round = -1; round < BASELINE_ROUNDS; round += 1) {
      for (const query of queries) {
        const raw = baselineSearchSql(query);
        const { ms, result } = await timed(() => session.query(raw.text, raw.values(f.tenantId)));
        if (result.length === 0) throw new Error(`baseline search "${query.q}" found nothing`);
        if (round >= 0) record(search, query.label, ms);
      }
    }
    for (let round = -1; round < ROUNDS; round += 1) {
      for (const query of queries) {
        const { ms } = await timed(() =>
          session.query(`SELECT * FROM kontor_search_ids('contact', $1, $2, 'naeo', '{}', NULL, 50)`, [
            query.kind === 'words' ? [query.value] : null,
            query.kind === 'digits' ? query.value : null,
          ]),
        );
        if (round >= 0) record(searchFunction, query.label, ms);
      }
      for (const c of LIST_CASES) {
        const { ms, result } = await timed(() => session.query(c.sql, c.values(f)));
        if (result.length === 0) throw new Error(`baseline list "${c.label}" is empty`);
        if (round >= 0) list.set(c.label, [...(list.get(c.label) ?? []), ms]);
      }
    }
  });
  return { search, searchFunction, list };
}

// -- through HTTP -----------------------------------------------------------------------------

async function getPage(base: string, path: string, token: string) {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return pageSchema.parse(JSON.parse(text));
}

async function measureHttp(base: string, token: string, f: Fixture) {
  const queries = searchQueries(f.phoneDigits);
  const search: Latencies = { all: [], byLabel: new Map() };
  const list = new Map<string, number[]>();
  // The floor: GET /api/v1/auth/me (credential look-up, no contact query) in the same rounds —
  // what any request costs on the machine at that moment.
  const floor: number[] = [];
  // Sanity first: Müller and mueller are one search; the typo and the number find someone.
  const path = (q: string) => `/api/v1/contacts?q=${encodeURIComponent(q)}&limit=50`;
  const muller = await getPage(base, path('Müller'), token);
  const mueller = await getPage(base, path('mueller'), token);
  if (muller.items.length === 0 || JSON.stringify(muller.items) !== JSON.stringify(mueller.items)) {
    throw new Error('Müller and mueller should find the same contacts');
  }
  for (let round = -1; round < ROUNDS; round += 1) {
    for (const query of queries) {
      const { ms, result } = await timed(() => getPage(base, path(query.q), token));
      if (result.items.length === 0) throw new Error(`search "${query.q}" found nothing`);
      if (round >= 0) record(search, query.label, ms);
    }
    for (const c of LIST_CASES) {
      const { ms, result } = await timed(() => getPage(base, c.path(f), token));
      if (result.items.length === 0) throw new Error(`list "${c.label}" is empty`);
      if (round >= 0) list.set(c.label, [...(list.get(c.label) ?? []), ms]);
    }
    const { ms } = await timed(async () => {
      const response = await fetch(`${base}/api/v1/auth/me`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`GET /api/v1/auth/me answered ${response.status}`);
    });
    if (round >= 0) floor.push(ms);
  }
  return { search, list, floor };
}

// -- one database -----------------------------------------------------------------------------

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

/** VACUUM cannot run in a transaction: on PostgreSQL its own connection, on PGlite the session. */
async function vacuum(database: Database, url: string | undefined): Promise<void> {
  const statement = 'VACUUM (ANALYZE) company, contact, contact_tag, tag, search_word';
  if (url !== undefined) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  } else {
    // One statement per call: several in one call are one implicit transaction.
    await database.pglite?.exec('RESET ROLE');
    await database.pglite?.exec(statement);
    await database.pglite?.exec('SET ROLE kontor_app');
  }
}

async function runOn(kind: DatabaseKind, contacts: number, databaseUrl: string | undefined): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), `kontor-bench-contacts-${kind}-`));
  const removeDataDir = deferCleanup(`temp folder ${dataDir}`, () =>
    rm(dataDir, { recursive: true, force: true }),
  );
  const env = kontorEnv(databaseUrl);
  try {
    const created = tenantSchema.parse(
      JSON.parse(
        await runNode(
          `kontor tenant create (${kind})`,
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
        ),
      ),
    );
    const open = () =>
      openDatabase(
        databaseUrl === undefined
          ? { kind: 'pglite', dataDir }
          : { kind: 'postgres', url: databaseUrl, poolSize: 2 },
      );
    let f: Fixture;
    let database = await open();
    try {
      note(`${kind}: seeding ${contacts} contacts`);
      const started = performance.now();
      await seedContacts(database.asOwner, { tenantId: created.tenantId, contacts }, (m) =>
        note(`${kind}: ${m}`),
      );
      await vacuum(database, databaseUrl);
      const seconds = (performance.now() - started) / 1000;
      note(
        `${kind}: seeded in ${seconds.toFixed(0)} s (${Math.round(contacts / seconds)} contacts/s incl. triggers)`,
      );
      f = await database.asOwner((session) => fixture(session, created.tenantId));
      // The straightforward search's own index, which Kontor no longer keeps: built for the
      // baseline (the application's queries never read search_text, so it cannot help them).
      const indexStarted = performance.now();
      await database.asOwner((session) =>
        session.exec('CREATE INDEX bench_search_text_trgm ON contact USING gin (search_text gin_trgm_ops)'),
      );
      note(`${kind}: baseline index built in ${((performance.now() - indexStarted) / 1000).toFixed(1)} s`);
    } finally {
      await database.close();
    }

    // Baselines in process (PGlite: one process per data folder, so before the server starts),
    // then the server; BENCH_REPEAT times, each repeat printing its own figures.
    for (let repeat = 1; repeat <= REPEAT; repeat += 1) {
      database = await open();
      let baselines: Baselines;
      try {
        note(`${kind}: baselines (raw SQL as the owner), repeat ${repeat} of ${REPEAT}`);
        baselines = await measureBaselines(database, f);
      } finally {
        await database.close();
      }
      const port = await freePort();
      const server = startNode({
        label: `kontor serve (${kind})`,
        args: [KONTOR, 'serve', '--port', String(port), '--data', dataDir],
        env,
        cwd: ROOT,
      });
      try {
        const base = `http://127.0.0.1:${port}`;
        await waitUntilReady(server, `${base}/readyz`, 120_000);
        note(`${kind}: ${ROUNDS} rounds through HTTP, repeat ${repeat} of ${REPEAT}`);
        const http = await measureHttp(base, created.apiToken, f);
        emitAll(kind, contacts, http, baselines, repeat);
      } finally {
        await server.stop();
      }
    }
  } finally {
    await removeDataDir();
  }
}

function emitAll(
  database: DatabaseKind,
  contacts: number,
  http: { search: Latencies; list: Map<string, number[]>; floor: number[] },
  baselines: Baselines,
  repeat: number,
): void {
  const floor = stats(http.floor);
  const search = stats(http.search.all);
  const raw = stats(baselines.search.all);
  const fn = stats(baselines.searchFunction.all);
  emitFigure({
    name: 'contacts.search.p95',
    value: search.p95,
    unit: 'ms',
    baseline: raw.p95,
    database,
    contacts,
    repeat,
    p50Ms: search.p50,
    p99Ms: search.p99,
    requests: search.n,
    baselineP50Ms: raw.p50,
    baselineP99Ms: raw.p99,
    baselineQueries: raw.n,
    functionP50Ms: fn.p50,
    functionP95Ms: fn.p95,
    functionP99Ms: fn.p99,
    p95ByQueryMs: perQuery(http.search),
    baselineP95ByQueryMs: perQuery(baselines.search),
    floorP50Ms: floor.p50,
    floorP95Ms: floor.p95,
  });
  const names: Record<string, string> = {
    'first page': 'contacts.list.p95',
    'deep page': 'contacts.list-deep.p95',
    tag: 'contacts.list-tag.p95',
    company: 'contacts.list-company.p95',
  };
  for (const [label, values] of http.list) {
    const kontor = stats(values);
    const base = stats(baselines.list.get(label) ?? []);
    emitFigure({
      name: names[label] ?? `contacts.list-${label}.p95`,
      value: kontor.p95,
      unit: 'ms',
      baseline: base.p95,
      database,
      contacts,
      repeat,
      p50Ms: kontor.p50,
      p99Ms: kontor.p99,
      requests: kontor.n,
      baselineP50Ms: base.p50,
      baselineP99Ms: base.p99,
      floorP50Ms: floor.p50,
      floorP95Ms: floor.p95,
    });
  }
}

await runBench(async () => {
  note(
    `contacts: ${POSTGRES_CONTACTS || 'no'} contacts on PostgreSQL, ${PGLITE_CONTACTS || 'no'} on PGlite; ${ROUNDS} rounds, ${BASELINE_ROUNDS} of the raw searches`,
  );
  const postgres = POSTGRES_CONTACTS > 0 ? await freshPostgres() : undefined;
  if (postgres !== undefined) {
    try {
      await runOn('postgres', Math.max(1000, POSTGRES_CONTACTS), postgres.url);
    } finally {
      await postgres.drop();
    }
  }
  if (PGLITE_CONTACTS > 0) await runOn('pglite', PGLITE_CONTACTS, undefined);
});
