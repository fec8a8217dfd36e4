import { createHmac, type KeyObject, timingSafeEqual } from 'node:crypto';
import type { Challenge, Solution } from 'altcha-lib';

/**
 * The check of a solved ALTCHA challenge on the path every Kontor challenge takes (v2,
 * HMAC-SHA-256, deterministic mode with a key signature), with node:crypto in the request's own
 * thread. altcha-lib's `verifySolution` answers the same (the test compares both on valid and
 * tampered payloads) but imports its HMAC keys through WebCrypto on every call and runs each HMAC
 * on the thread pool: ~0.3 ms of a public POST, more than the rest of the spam guard together.
 *
 * Returns undefined for a challenge this path does not cover (no key signature): the caller then
 * asks altcha-lib.
 */
export function verifyKeySignedSolution(
  challenge: Challenge,
  solution: Solution | undefined,
  /** altcha's HMAC secrets as text, or as key objects imported once (the guard's). */
  secrets: { challenge: string | KeyObject; key: string | KeyObject },
  nowMs = Date.now(),
): boolean | undefined {
  const { parameters } = challenge;
  if (!parameters.keySignature) return undefined;
  if (parameters.expiresAt && parameters.expiresAt < nowMs / 1000) return false;
  if (!challenge.signature) return false;
  const signature = hmacHex(secrets.challenge, Buffer.from(canonicalJson(parameters), 'utf8'));
  if (!sameText(challenge.signature, signature)) return false;
  // A malformed solution is an invalid one: lowercase hex key, a uint32 counter (as altcha-lib).
  if (
    typeof solution?.derivedKey !== 'string' ||
    !/^(?:[0-9a-f]{2})+$/.test(solution.derivedKey) ||
    !Number.isInteger(solution.counter) ||
    solution.counter < 0 ||
    solution.counter > 0xffffffff
  ) {
    return false;
  }
  const keySignature = hmacHex(secrets.key, Buffer.from(solution.derivedKey, 'hex'));
  return sameText(parameters.keySignature, keySignature);
}

function hmacHex(secret: string | KeyObject, data: Buffer): string {
  return createHmac('sha256', typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret)
    .update(data)
    .digest('hex');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * JSON with object keys sorted at every level of nested objects (arrays as they are), undefined
 * members left out: altcha's canonical form, written directly without copying the value.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return JSON.stringify(value);
  const record = value as Record<string, unknown>;
  let out = '';
  for (const key of sortedKeys(record)) {
    const member = record[key];
    if (member === undefined) continue;
    out += `${out === '' ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `{${out}}`;
}

const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;

/**
 * The keys in the order an object built from sorted keys has: array-index keys first, ascending
 * by number (JavaScript orders those first in any object), then the others sorted.
 */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record).sort();
  const isIndex = (key: string) => ARRAY_INDEX.test(key) && Number(key) < 2 ** 32 - 1;
  if (!keys.some(isIndex)) return keys;
  const indices = keys.filter(isIndex).sort((a, b) => Number(a) - Number(b));
  return [...indices, ...keys.filter((key) => !isIndex(key))];
}
