import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freshDatabase, TEST_DB_KIND, type TestDatabase } from '../../../test/support/database.ts';
import { kontor } from '../../../test/support/process.ts';
import { type Database, openDatabase } from '../../kernel/db/database.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { recordAudit } from './index.ts';

// `kontor audit verify` as an operator runs it: a real process, on PGlite in a temp folder or on
// a fresh PostgreSQL database.
let dataDir: string;
let pg: TestDatabase | undefined;
let env: NodeJS.ProcessEnv;

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-audit-cli-'));
  if (TEST_DB_KIND === 'postgres') pg = await freshDatabase();
  env = pg ? { DATABASE_URL: pg.url } : { DATABASE_URL: '' };
});
after(async () => {
  await pg?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The database the command uses, opened here; an embedded folder is closed again before `kontor` runs. */
async function withCliDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
  if (pg) return work(pg);
  const database = await openDatabase({ kind: 'pglite', dataDir });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

test(`audit verify exits 0 on an untouched log, and 1 naming the entry altered in the database (${TEST_DB_KIND})`, async () => {
  const created = await kontor(
    ['tenant', 'create', '--name', 'Acme', '--admin-email', 'a@example.com', '--json', '--data', dataDir],
    env,
  );
  assert.equal(created.code, 0, created.stderr);
  const { tenantId } = JSON.parse(created.stdout) as { tenantId: string };
  const ids = await withCliDatabase((database) =>
    withTenant(database.db, tenantId, async (tx) => {
      const written: string[] = [];
      for (const after of ['de', 'en', 'fr']) {
        const entry = await recordAudit(tx, {
          tenantId,
          actor: { kind: 'cli' },
          action: 'tenant.updated',
          entityType: 'tenant',
          entityId: tenantId,
          changes: { kind: 'settings', before: { defaultLanguage: 'de' }, after: { defaultLanguage: after } },
        });
        written.push(entry.id);
      }
      return written;
    }),
  );

  const whole = await kontor(['audit', 'verify', '--data', dataDir], env);
  assert.equal(whole.code, 0, whole.stderr);
  assert.match(whole.stdout, /^audit log whole: \d+ entries in 1 tenant\(s\)\n$/);
  const wholeJson = await kontor(['audit', 'verify', '--tenant', tenantId, '--json', '--data', dataDir], env);
  assert.equal(wholeJson.code, 0, wholeJson.stderr);
  const report = JSON.parse(wholeJson.stdout) as { ok: boolean; checked: number; tenants: number };
  assert.equal(report.ok, true);
  assert.equal(report.tenants, 1);
  assert.ok(report.checked >= 3);

  const altered = ids[1]!;
  await withCliDatabase((database) =>
    database.asOwner((s) =>
      s.query(
        `UPDATE audit_log SET changes = jsonb_set(changes, '{after,defaultLanguage}', '"it"') WHERE id = $1`,
        [altered],
      ),
    ),
  );
  const broken = await kontor(['audit', 'verify', '--data', dataDir], env);
  assert.equal(broken.code, 1, broken.stderr);
  assert.equal(broken.stdout, '');
  assert.equal(broken.stderr.trim().split('\n').length, 1, broken.stderr);
  assert.match(
    broken.stderr,
    new RegExp(
      `^kontor: audit log broken at entry ${altered} \\(tenant ${tenantId}, seq \\d+\\): hash mismatch`,
    ),
  );
  const brokenJson = await kontor(['audit', 'verify', '--json', '--data', dataDir], env);
  assert.equal(brokenJson.code, 1);
  const failure = JSON.parse(brokenJson.stdout) as {
    ok: boolean;
    entryId: string;
    tenantId: string;
    reason: string;
  };
  assert.deepEqual(
    { ok: failure.ok, entryId: failure.entryId, tenantId: failure.tenantId, reason: failure.reason },
    { ok: false, entryId: altered, tenantId, reason: 'hash mismatch' },
  );
});

test('audit verify with a --tenant that is not a tenant id, or names none, is one line and exit 1', async () => {
  const cases: [string[], RegExp][] = [
    [['audit', 'verify', '--tenant', 'not-a-uuid', '--data', dataDir], /--tenant: must be a tenant id/],
    [
      ['audit', 'verify', '--tenant', '00000000-0000-4000-8000-000000000000', '--data', dataDir],
      /There is no tenant 00000000-0000-4000-8000-000000000000/,
    ],
    [['audit', 'check'], /audit: unknown subcommand "check"/],
  ];
  for (const [args, pattern] of cases) {
    const result = await kontor(args, env);
    assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, pattern);
  }
});
