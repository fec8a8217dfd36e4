import pg from 'pg';
import { deferCleanup } from './cleanup.ts';
import { note } from './report.ts';

const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

export type BenchDatabase = {
  /** Connection URL of the fresh, empty database. */
  url: string;
  drop(): Promise<void>;
};

/**
 * A fresh, empty database `kontor_bench_<pid>` on the PostgreSQL server of DATABASE_URL, or
 * on a local server at 127.0.0.1:5432 when DATABASE_URL is unset. Returns undefined (and says
 * so on stderr) when no DATABASE_URL is set and no local server answers; an unreachable
 * DATABASE_URL is an error. The database is dropped on `drop()` or at cleanup.
 */
export async function freshPostgres(): Promise<BenchDatabase | undefined> {
  const explicit = process.env.DATABASE_URL;
  const serverUrl = explicit && explicit !== '' ? explicit : LOCAL_POSTGRES;
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (error) {
    await admin.end().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    if (serverUrl !== LOCAL_POSTGRES) throw new Error(`DATABASE_URL does not answer: ${reason}`);
    note(`PostgreSQL skipped: DATABASE_URL is unset and nothing answers at 127.0.0.1:5432 (${reason})`);
    return undefined;
  }
  const name = `kontor_bench_${process.pid}`;
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  note(`PostgreSQL: created database ${name} on ${url.host}`);

  const drop = deferCleanup(`database ${name}`, async () => {
    const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3_000 });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      note(`PostgreSQL: dropped database ${name}`);
    } finally {
      await client.end();
    }
  });
  return { url: url.toString(), drop };
}
