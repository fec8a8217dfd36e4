import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/kernel/db/database.ts';
import { migrate } from '../../src/kernel/db/migrate.ts';
import { installJobSchema } from '../../src/kernel/jobs/queue.ts';
import { silentLogger } from './logger.ts';

/** Which database the suite runs on: PostgreSQL when DATABASE_URL is set, else PGlite. */
export const TEST_DB_KIND: 'pglite' | 'postgres' = process.env.DATABASE_URL ? 'postgres' : 'pglite';

export type TestDatabase = Database & {
  /** A connection string for child processes (PostgreSQL only). */
  readonly url: string | undefined;
};

/**
 * A fresh, migrated database for one test file. PGlite: loaded from the image the test runner
 * made once (KONTOR_TEST_PGLITE_IMAGE). PostgreSQL: `CREATE DATABASE … TEMPLATE` of the
 * migrated template (KONTOR_TEST_PG_TEMPLATE), dropped again on close. Without the runner's
 * template (a file run on its own), the database is created and migrated here.
 */
export async function freshDatabase(): Promise<TestDatabase> {
  if (TEST_DB_KIND === 'postgres') return freshPostgres(process.env.DATABASE_URL as string);
  const image = process.env.KONTOR_TEST_PGLITE_IMAGE;
  if (image && fs.existsSync(image)) {
    const database = await openDatabase({ kind: 'pglite-memory', image: new Blob([fs.readFileSync(image)]) });
    return { ...database, url: undefined };
  }
  const database = await openDatabase({ kind: 'pglite-memory' });
  await migrate(database);
  await installJobSchema(database, silentLogger());
  return { ...database, url: undefined };
}

export function databaseUrlFor(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function freshPostgres(base: string): Promise<TestDatabase> {
  const name = `kontor_t_${process.env.KONTOR_TEST_RUN ?? 'solo'}_${randomBytes(5).toString('hex')}`;
  const template = process.env.KONTOR_TEST_PG_TEMPLATE;
  await adminQuery(base, `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  const url = databaseUrlFor(base, name);
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 5 });
  if (!template) {
    await migrate(database);
    await installJobSchema(database, silentLogger());
  }
  return {
    ...database,
    url,
    close: async () => {
      await database.close();
      await adminQuery(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export async function adminQuery(base: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: databaseUrlFor(base, 'postgres') });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}
