import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freshDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { migrate, pendingMigrations, readMigrations } from './migrate.ts';

let database: TestDatabase;
before(async () => {
  database = await freshDatabase();
});
after(() => database.close());

test('migration files are named YYYYMMDDHHMMSS_module_what.sql and sort in order', () => {
  const files = readMigrations();
  assert.ok(files.length > 0);
  const names = files.map((f) => f.name);
  assert.deepEqual([...names].sort(), names);
  for (const name of names) assert.match(name, /^\d{14}_[a-z0-9]+_[a-z0-9_]+$/);
});

test('migrating an up-to-date database applies nothing', async () => {
  const report = await migrate(database);
  assert.deepEqual(report.applied, []);
  assert.deepEqual(await pendingMigrations(database), []);
});

test('a new migration is applied once, even when two runs race', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-mig-'));
  try {
    for (const f of fs.readdirSync(readMigrationsDir()))
      fs.copyFileSync(path.join(readMigrationsDir(), f), path.join(dir, f));
    fs.writeFileSync(
      path.join(dir, '29991231235959_test_extra_table.sql'),
      'CREATE TABLE migration_probe (id int PRIMARY KEY); INSERT INTO migration_probe VALUES (1);',
    );
    const files = readMigrations(dir);
    assert.deepEqual(await pendingMigrations(database, files), ['29991231235959_test_extra_table']);
    const [a, b] = await Promise.all([migrate(database, files), migrate(database, files)]);
    assert.deepEqual([...a.applied, ...b.applied], ['29991231235959_test_extra_table']);
    const rows = await database.asOwner((s) =>
      s.query<{ n: number }>('SELECT count(*)::int AS n FROM migration_probe'),
    );
    assert.equal(rows[0]?.n, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a migration edited after it was applied is refused', async () => {
  const files = readMigrations().map((f, i) => (i === 0 ? { ...f, checksum: 'edited' } : f));
  await assert.rejects(migrate(database, files), /was changed after it was applied/);
});

test('a failing migration leaves no trace and is reported', async () => {
  const files = [
    ...readMigrations(),
    {
      name: '29991231235958_test_broken',
      checksum: 'x',
      sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();',
    },
  ];
  await assert.rejects(migrate(database, files), /no_such_function/);
  const rows = await database.asOwner((s) =>
    s.query<{ t: string | null }>("SELECT to_regclass('public.half_done')::text AS t"),
  );
  assert.equal(rows[0]?.t, null);
  assert.ok((await pendingMigrations(database, files)).includes('29991231235958_test_broken'));
});

function readMigrationsDir(): string {
  return new URL('../../../migrations/', import.meta.url).pathname;
}
