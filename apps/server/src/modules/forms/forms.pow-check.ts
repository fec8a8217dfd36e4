import { createHmac, timingSafeEqual } from 'node:crypto';
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
  secrets: { challenge: string; key: string },
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

function hmacHex(secret: string, data: Buffer): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(data).digest('hex');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** JSON with object keys sorted at every level, undefined members left out (altcha's canonical form). */
function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .flatMap((key) => (record[key] === undefined ? [] : [[key, sortKeys(record[key])]])),
  );
}
