import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { acquireDataDirLock, type DataDirLock, ensureInitialised, pgDataPath } from './data-dir.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Tables } from './tables.ts';

/** The role the application runs as: no superuser, no BYPASSRLS, owns no tenant table. */
export const APP_ROLE = 'kontor_app';

export type DbKind = 'pglite' | 'postgres';

/** Run statements as the schema owner inside one transaction (migrations, test setup). */
export type OwnerSession = {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  exec(script: string): Promise<void>;
};

export type Database = {
  readonly kind: DbKind;
  /** Kysely as the application role: every tenant table is guarded by row-level security. */
  readonly db: Kysely<Tables>;
  /** The embedded instance (pg-boss talks to it directly), when kind is 'pglite'. */
  readonly pglite: PGlite | undefined;
  /** The server's address, when kind is 'postgres'. */
  readonly connectionString: string | undefined;
  asOwner<T>(work: (session: OwnerSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'pglite'; dataDir: string }
  /** An in-memory embedded database, optionally loaded from a dump (tests, templates). */
  | { kind: 'pglite-memory'; image?: Blob | File };

const extensions = { pg_trgm, unaccent, citext };

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') return openPostgres(target.url, target.poolSize ?? 10);
  if (target.kind === 'pglite-memory') {
    const pglite = await PGlite.create({
      extensions,
      ...(target.image ? { loadDataDir: target.image } : {}),
    });
    return wrapPglite(pglite, undefined);
  }
  const lock = acquireDataDirLock(target.dataDir);
  try {
    await ensureInitialised(target.dataDir, async (scratch) => {
      const fresh = await PGlite.create(scratch, { extensions });
      await fresh.close();
    });
    const pglite = await PGlite.create(pgDataPath(target.dataDir), { extensions });
    return wrapPglite(pglite, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function wrapPglite(pglite: PGlite, lock: DataDirLock | undefined): Promise<Database> {
  await ensureAppRole({
    query: async (text, params) => (await pglite.query(text, params)).rows as never,
    exec: async (script) => {
      await pglite.exec(script);
    },
  });
  // One session: from here on everything runs as the application role. Owner work switches
  // back for the length of one transaction only (SET LOCAL).
  await pglite.exec(`SET ROLE ${APP_ROLE}`);
  const db = new Kysely<Tables>({
    dialect: new PGliteDialect(pglite),
    plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
  });
  let closed = false;
  return {
    kind: 'pglite',
    db,
    pglite,
    connectionString: undefined,
    asOwner: (work) =>
      pglite.transaction(async (tx) => {
        await tx.exec('SET LOCAL ROLE NONE');
        return work({
          query: async (text, params) => (await tx.query(text, params)).rows as never,
          exec: async (script) => {
            await tx.exec(script);
          },
        });
      }),
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
      await pglite.close();
      lock?.release();
    },
  };
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const owner = new pg.Client({ connectionString: url });
  await owner.connect();
  try {
    await ensureAppRole({
      query: async (text, params) => (await owner.query(text, params)).rows,
      exec: async (script) => {
        await owner.query(script);
      },
    });
  } finally {
    await owner.end();
  }
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: `-c role=${APP_ROLE}` });
  pool.on('error', () => {
    // An idle client lost its server; the pool replaces it. The next query reports real trouble.
  });
  const db = new Kysely<Tables>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
  });
  let closed = false;
  return {
    kind: 'postgres',
    db,
    pglite: undefined,
    connectionString: url,
    asOwner: async (work) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query('BEGIN');
        const result = await work({
          query: async (text, params) => (await client.query(text, params)).rows,
          exec: async (script) => {
            await client.query(script);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        await client.end();
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

/**
 * The application role exists before any migration runs (roles are cluster-wide on PostgreSQL).
 * The connecting user must be able to SET ROLE to it, so it is granted membership.
 */
async function ensureAppRole(session: OwnerSession): Promise<void> {
  await session.exec(`
    DO $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
        BEGIN
          CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- created concurrently
        END;
      END IF;
      IF NOT pg_has_role(current_user, '${APP_ROLE}', 'MEMBER') THEN
        EXECUTE format('GRANT ${APP_ROLE} TO %I', current_user);
      END IF;
    END $$;
  `);
}
