import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database, OwnerSession } from './database.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));
const NAME = /^(\d{14})_([a-z0-9]+)_([a-z0-9_]+)\.sql$/;

export type MigrationFile = { name: string; checksum: string; sql: string };

/** The migration files in order. One folder, forward-only, `YYYYMMDDHHMMSS_<module>_<what>.sql`. */
export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  const names = fs.readdirSync(dir).filter((f) => f.endsWith('.sql'));
  for (const name of names) {
    if (!NAME.test(name))
      throw new Error(`migration file name ${name} does not match YYYYMMDDHHMMSS_module_what.sql`);
  }
  return names.sort().map((name) => {
    const sql = fs.readFileSync(path.join(dir, name), 'utf8');
    return { name: name.replace(/\.sql$/, ''), checksum: sha256(sql), sql };
  });
}

export type MigrationReport = { applied: string[]; total: number };

/**
 * Applies pending migrations, each in its own transaction as the schema owner, under an
 * advisory lock so that several processes starting at once apply each migration once.
 * A migration that was edited after it was applied is refused: write a new one instead.
 */
export async function migrate(database: Database, files = readMigrations()): Promise<MigrationReport> {
  const applied: string[] = [];
  for (const file of files) {
    const didApply = await database.asOwner(async (session) => {
      await lockMigrations(session);
      const done = await appliedMigrations(session);
      const existing = done.get(file.name);
      if (existing !== undefined) {
        if (existing !== file.checksum) {
          throw new Error(
            `migration ${file.name} was changed after it was applied; add a new migration instead`,
          );
        }
        return false;
      }
      await session.exec(file.sql);
      await session.query('INSERT INTO kontor_migration (name, checksum) VALUES ($1, $2)', [
        file.name,
        file.checksum,
      ]);
      return true;
    });
    if (didApply) applied.push(file.name);
  }
  return { applied, total: files.length };
}

/** Names of the migrations that are on disk but not yet in the database. */
export async function pendingMigrations(database: Database, files = readMigrations()): Promise<string[]> {
  const present = await sql<{
    present: boolean;
  }>`select to_regclass('public.kontor_migration') is not null as present`.execute(database.db);
  if (!present.rows[0]?.present) return files.map((f) => f.name);
  const done = await sql<{ name: string }>`select name from kontor_migration`.execute(database.db);
  const names = new Set(done.rows.map((r) => r.name));
  return files.filter((f) => !names.has(f.name)).map((f) => f.name);
}

async function lockMigrations(session: OwnerSession): Promise<void> {
  await session.query("SELECT pg_advisory_xact_lock(hashtext('kontor.migrate'))");
  await session.exec(`
    CREATE TABLE IF NOT EXISTS kontor_migration (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    );
    GRANT SELECT ON kontor_migration TO kontor_app`);
}

async function appliedMigrations(session: OwnerSession): Promise<Map<string, string>> {
  const rows = await session.query<{ name: string; checksum: string }>(
    'SELECT name, checksum FROM kontor_migration',
  );
  return new Map(rows.map((r) => [r.name, r.checksum]));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
