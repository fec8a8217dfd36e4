import { z } from 'zod';

/** Turns a zod schema into the `parse` argument of `apiFetch`: the body is validated, then typed. */
export function parseWith<S extends z.ZodType>(schema: S): (body: unknown) => z.output<S> {
  return (body) => schema.parse(body);
}

/** For 204 answers and others whose body we do not read. */
export function ignoreBody(): void {}

/** A page of a list endpoint: `?limit=&cursor=` → `{ items, nextCursor }`. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Builds `?a=1&b=2` from the defined, non-empty values only. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
