/**
 * Published forms as the public POST saw them within the last few seconds, by form id (the
 * value type is the caller's). Changing, unpublishing or deleting a form forgets it here; another
 * `serve` process notices within the TTL, and the submission's insert checks again that the form
 * is published.
 */
export const PUBLISHED_TTL_MS = 5_000;
const MAX_ENTRIES = 1000;
const entries = new Map<string, { value: unknown; until: number }>();

export function cachedPublished<T>(formId: string, now = Date.now()): T | undefined {
  const hit = entries.get(formId);
  return hit && hit.until > now ? (hit.value as T) : undefined;
}

export function cachePublished(formId: string, value: unknown, now = Date.now()): void {
  if (entries.size >= MAX_ENTRIES) entries.clear();
  entries.set(formId, { value, until: now + PUBLISHED_TTL_MS });
}

export function forgetPublishedForm(formId: string): void {
  entries.delete(formId);
}
