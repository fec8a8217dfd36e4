import { sql } from 'kysely';
import { z } from 'zod';
import { AppError } from '../errors.ts';

/** `?limit=&cursor=` as every list endpoint takes it. */
export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Items per page, 1–200.'),
  cursor: z.string().max(200).optional().describe('The nextCursor of the previous page.'),
});

export type Keyset = { t: string; i: string };

const keysetSchema = z.object({ t: z.string().datetime({ offset: true }), i: z.string().uuid() });

export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify(keyset), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Keyset | undefined {
  if (cursor === undefined) return undefined;
  try {
    return keysetSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new AppError('INVALID_CURSOR', 'bad_request', 'The cursor is not one this endpoint handed out.', [
      { path: 'query.cursor', message: 'is not a valid cursor' },
    ]);
  }
}

/** A timestamp column as ISO text at full (microsecond) precision, UTC (cursors, exact answers). */
export function timestampText(column: string) {
  return sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** created_at at full (microsecond) precision, for keyset cursors that never skip or repeat a row. */
export const cursorTimestamp = sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Cuts a page fetched with `limit + 1` rows into items and the next cursor. */
export function toPage<R extends { id: string; cursorTs: string }, O>(
  rows: R[],
  limit: number,
  present: (row: R) => O,
): { items: O[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    items: pageRows.map(present),
    nextCursor: more && last ? encodeCursor({ t: last.cursorTs, i: last.id }) : null,
  };
}
