import { createHash, randomBytes } from 'node:crypto';

/** API tokens look like `ktr_<43 url-safe characters>`; only their SHA-256 is stored. */
export const TOKEN_PREFIX = 'ktr_';

export function newApiTokenSecret(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function looksLikeApiToken(value: string): boolean {
  return value.startsWith(TOKEN_PREFIX) && /^[A-Za-z0-9_-]{43}$/.test(value.slice(TOKEN_PREFIX.length));
}
