// exports.<format>.records-per-s: contacts per second that the export job (exports.produce)
// turns into a stored file — the requester's grants looked up, the contacts read in batches of
// 500 under row-level security and the contact scope with one access-log entry per batch,
// field access applied (Sales: billing masked), the file written (CSV, XLSX or vCard) and put
// into the local blob store — for one export of every contact of the tenant. The job's
// handler is called directly (no queue pick-up time).
// Baseline, same run: the same contacts read by the schema owner in one statement (no
// row-level security, no tags, no access log) and written with csv-stringify — what a bare
// dump of the table costs.
//
// Contacts: KONTOR_BENCH_CONTACTS (default 20,000), seeded with bench/support/contacts-seed.ts.
// KONTOR_BENCH_ITERATIONS (default 3) exports per format and database, after one warm-up;
// the figure is the median.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { createLocalBlobStore } from '../apps/server/src/kernel/blob/local.ts';
import { type Database, openDatabase } from '../apps/server/src/kernel/db/database.ts';
import { migrate } from '../apps/server/src/kernel/db/migrate.ts';
import { withPrincipal, withTenant } from '../apps/server/src/kernel/db/tenancy.ts';
import { isRight } from '../apps/server/src/kernel/http/access.ts';
import type { Principal } from '../apps/server/src/kernel/http/auth.ts';
import type { RunningJob } from '../apps/server/src/kernel/jobs/jobs.ts';
import { createApprovals } from '../apps/server/src/modules/approvals/index.ts';
import { produceExportJob, requestExport } from '../apps/server/src/modules/exports/index.ts';
import { BUILTIN_RIGHTS } from '../apps/server/src/modules/identity/index.ts';
import { FULL_ACCESS } from '../apps/server/src/modules/privacy/index.ts';
import { createTenant } from '../apps/server/src/modules/tenants/index.ts';
import { deferCleanup, runBench } from './support/cleanup.ts';
import { seedContacts } from './support/contacts-seed.ts';
import { freshPostgres } from './support/postgres.ts';
import { emitFigure, note, round } from './support/report.ts';

type DatabaseKind = 'pglite' | 'postgres';
const FORMATS = ['csv', 'xlsx', 'vcard'] as const;

function countFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name}: must be a whole number, 1 or more (got "${raw}")`);
  return value;
}

const CONTACTS = countFromEnv('KONTOR_BENCH_CONTACTS', 20_000);
const ITERATIONS = countFromEnv('KONTOR_BENCH_ITERATIONS', 3);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

async function measure(database: Database, kind: DatabaseKind): Promise<void> {
  const { tenantId, adminUserId } = await createTenant(database.db, {
    name: 'Bench',
    adminEmail: 'bench@example.com',
  });
  await seedContacts(database.asOwner, { tenantId, contacts: CONTACTS }, note);
  // The requester: a Sales user with contacts:export (billing masked), so masking runs too.
  const salesRole = await withTenant(database.db, tenantId, async (tx) => {
    const role = await tx
      .selectFrom('role')
      .select('id')
      .where('builtinKey', '=', 'sales')
      .executeTakeFirstOrThrow();
    await tx
      .updateTable('role')
      .set({ rights: [...BUILTIN_RIGHTS.sales.rights, 'contacts:export'] })
      .where('id', '=', role.id)
      .execute();
    await tx.updateTable('userRole').set({ roleId: role.id }).where('userId', '=', adminUserId).execute();
    await tx.updateTable('tenant').set({ bulkExportThreshold: 10_000_000 }).execute();
    return role.id;
  });
  note(`${kind}: the requester holds role ${salesRole} (Sales + contacts:export)`);
  const principal: Principal = {
    tenantId,
    userId: adminUserId,
    via: { kind: 'api_token', id: adminUserId },
    rights: new Set([...BUILTIN_RIGHTS.sales.rights, 'contacts:export'].filter(isRight)),
    fieldAccess: { ...FULL_ACCESS, billing: 'masked' },
    contactScope: null,
  };
  const blobDir = await mkdtemp(join(tmpdir(), 'kontor-bench-exports-blobs-'));
  const removeBlobs = deferCleanup(`temp folder ${blobDir}`, () =>
    rm(blobDir, { recursive: true, force: true }),
  );
  const blobs = createLocalBlobStore(blobDir);
  const logger = { info: () => undefined, warn: () => undefined, error: () => undefined } as never;
  const job = produceExportJob({ db: database.db, logger, blobs });
  const approvals = createApprovals({ handlers: [] });

  const exportOnce = async (format: (typeof FORMATS)[number]) => {
    const asked = await withPrincipal(database.db, principal, (tx) =>
      // Below the threshold: queued. The job is not picked up by a queue here but called below.
      requestExport(
        tx,
        principal,
        { format },
        { queue: { send: async () => 'bench' }, approvals, produceJob: job },
      ),
    );
    const started = performance.now();
    await job.handler(
      {
        id: asked.id,
        queue: job.name,
        data: { exportId: asked.id },
        tenantId,
        idempotencyKey: asked.id,
        attempt: 0,
      } as RunningJob<{
        exportId: string;
      }>,
      {} as never,
    );
    const seconds = (performance.now() - started) / 1000;
    const row = await withTenant(database.db, tenantId, (tx) =>
      tx
        .withTables<{ dataExport: { id: string; status: string; exportedCount: number; byteSize: number } }>()
        .selectFrom('dataExport')
        .select(['status', 'exportedCount', 'byteSize'])
        .where('id', '=', asked.id)
        .executeTakeFirstOrThrow(),
    );
    if (row.status !== 'ready' || row.exportedCount !== CONTACTS) {
      throw new Error(`export ${asked.id}: ${row.status} with ${row.exportedCount} records`);
    }
    return { seconds, bytes: row.byteSize };
  };

  const dumpOnce = async () => {
    const started = performance.now();
    const rows = await database.asOwner((s) =>
      s.query<Record<string, unknown>>(
        `SELECT id, salutation, first_name, last_name, email, phone, mobile, fax, website, street, address_line1,
                address_line2, postal_code, city, region, country, language, birthday::text, iban, bic,
                payment_method, account_holder, vat_id, notes, custom_fields::text, created_at, updated_at
         FROM contact WHERE tenant_id = $1 ORDER BY created_at, id`,
        [tenantId],
      ),
    );
    const csv = stringify(
      rows.map((r) =>
        Object.values(r).map((v) => (v instanceof Date ? v.toISOString() : (v as string | null))),
      ),
      { bom: true },
    );
    if (rows.length !== CONTACTS) throw new Error(`the dump read ${rows.length} rows`);
    return { seconds: (performance.now() - started) / 1000, bytes: Buffer.byteLength(csv) };
  };

  for (const format of FORMATS) {
    await exportOnce(format);
    await dumpOnce();
    const runs: number[] = [];
    const baselines: number[] = [];
    let bytes = 0;
    for (let i = 0; i < ITERATIONS; i += 1) {
      const run = await exportOnce(format);
      runs.push(run.seconds);
      bytes = run.bytes;
      baselines.push((await dumpOnce()).seconds);
    }
    const seconds = median(runs);
    emitFigure({
      name: `exports.${format}.records-per-s`,
      value: round(CONTACTS / seconds, 0),
      unit: 'records/s',
      baseline: round(CONTACTS / median(baselines), 0),
      database: kind,
      contacts: CONTACTS,
      seconds: round(seconds, 2),
      fileBytes: bytes,
      iterations: ITERATIONS,
    });
  }
  await blobs.close();
  await removeBlobs();
}

async function onPostgres(url: string): Promise<void> {
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 2 });
  const close = deferCleanup('PostgreSQL pool', () => database.close());
  try {
    await migrate(database);
    await measure(database, 'postgres');
  } finally {
    await close();
  }
}

async function onPglite(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kontor-bench-exports-'));
  const removeDataDir = deferCleanup(`temp folder ${dataDir}`, () =>
    rm(dataDir, { recursive: true, force: true }),
  );
  try {
    const database = await openDatabase({ kind: 'pglite', dataDir });
    const close = deferCleanup('PGlite', () => database.close());
    try {
      await migrate(database);
      await measure(database, 'pglite');
    } finally {
      await close();
    }
  } finally {
    await removeDataDir();
  }
}

await runBench(async () => {
  note(`exports: ${CONTACTS} contacts, ${ITERATIONS} measured exports per format and database`);
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
