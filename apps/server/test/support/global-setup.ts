/**
 * Run once by scripts/test.mjs before the test files: migrates a template database, so that
 * each test file starts from a copy instead of migrating on its own.
 *   PGlite:     writes a dumped, migrated data directory to the path in argv[2].
 *   PostgreSQL: creates and migrates the database named in argv[2] (DATABASE_URL's server).
 */
import fs from 'node:fs';
import { openDatabase } from '../../src/kernel/db/database.ts';
import { migrate } from '../../src/kernel/db/migrate.ts';
import { installJobSchema } from '../../src/kernel/jobs/queue.ts';
import { adminQuery, databaseUrlFor } from './database.ts';
import { silentLogger } from './logger.ts';

const target = process.argv[2];
if (!target) throw new Error('usage: global-setup.ts <image path | template database name>');
const base = process.env.DATABASE_URL;

if (base) {
  await adminQuery(base, `DROP DATABASE IF EXISTS ${target} WITH (FORCE)`);
  await adminQuery(base, `CREATE DATABASE ${target}`);
  const database = await openDatabase({ kind: 'postgres', url: databaseUrlFor(base, target), poolSize: 2 });
  await migrate(database);
  await installJobSchema(database, silentLogger());
  await database.close();
} else {
  const database = await openDatabase({ kind: 'pglite-memory' });
  await migrate(database);
  await installJobSchema(database, silentLogger());
  const image = await database.pglite?.dumpDataDir('none');
  if (!image) throw new Error('could not dump the template database');
  fs.writeFileSync(target, Buffer.from(await image.arrayBuffer()));
  await database.close();
}
