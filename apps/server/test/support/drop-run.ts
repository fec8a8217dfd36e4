/** Drops every database a test run left behind (its template and any per-file copies). */
import { adminQuery } from './database.ts';

const run = process.argv[2];
const base = process.env.DATABASE_URL;
if (run && base && /^[0-9a-f]+$/.test(run)) {
  const result = await adminQuery(
    base,
    `SELECT datname FROM pg_database WHERE datname LIKE 'kontor_t_${run}_%' OR datname = 'kontor_tpl_${run}'`,
  );
  for (const row of result.rows as { datname: string }[]) {
    await adminQuery(base, `DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
  }
}
