import { z } from 'zod';

/** RFC 9457 problem details as every Kontor error response carries them (API.md). */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ProblemBody = z.infer<typeof problemSchema>;

/** `GET /readyz` */
export const readinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.enum(['pglite', 'postgres']),
  migrations: z.number().int(),
  pending: z.array(z.string()).optional(),
});
export type Readiness = z.infer<typeof readinessSchema>;

/** A page of a list endpoint: `?limit=&cursor=` → `{ items, nextCursor }`. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export * from './custom-fields.ts';
export * from './rights.ts';
