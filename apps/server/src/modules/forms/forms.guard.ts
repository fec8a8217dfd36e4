import { createHash, createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { type Challenge, createChallenge, type Payload, randomInt, verifySolution } from 'altcha-lib';
import { deriveKey as deriveSha } from 'altcha-lib/algorithms/sha';
import { verifyKeySignedSolution } from './forms.pow-check.ts';

/**
 * Spam defence of the public form endpoints, without cookies and without third parties:
 * - `_token`: a render time and the form id, signed with HMAC-SHA-256 (key derived from the
 *   server secret). A post sooner than `minFillSeconds` after the render is a bot; a token older
 *   than `maxTokenHours` or not ours is refused.
 * - ALTCHA proof of work (altcha-lib, v2, SHA-256, deterministic mode with a key signature: the
 *   server checks a solution with one HMAC, however hard the challenge was). The challenge names
 *   its form and expires with the token; each solved challenge counts once (the caller records
 *   its signature hash in the database until it expires).
 * - No-JS path: a form post (urlencoded) without `altcha` passes only when its token is at least
 *   `noJsMinFillSeconds` old — a person reading and typing; a bot that skips the challenge has to
 *   wait that long per post and is still held by the per-address limit.
 * - A per-address, per-form limit in memory only: the address is a map key for at most a minute,
 *   never stored or logged.
 */

export type GuardSettings = {
  /** Seconds a person needs at least to fill a form (from the render to the post). */
  minFillSeconds: number;
  /** Without the proof of work (no JavaScript), the token must be at least this old. */
  noJsMinFillSeconds: number;
  /** Tokens and challenges expire after this many hours. */
  maxTokenHours: number;
  /**
   * The proof of work: the solver tries up to this many SHA-256 keys (on average three
   * quarters of it). 20,000 take a phone well under a second.
   */
  powDifficulty: number;
  /** Posts per minute per source address and form; the next gets 429. */
  submitsPerMinute: number;
};

export const DEFAULT_GUARD_SETTINGS: GuardSettings = {
  minFillSeconds: 3,
  noJsMinFillSeconds: 8,
  maxTokenHours: 24,
  powDifficulty: 20_000,
  submitsPerMinute: 20,
};

export type TokenCheck = { ok: true; ageMs: number } | { ok: false; reason: 'token' | 'too_fast' };
export type ChallengeCheck =
  | { ok: true; signatureHash: string; expiresAt: Date }
  | { ok: false; reason: 'challenge' };

export type FormGuard = {
  settings: GuardSettings;
  issueToken(formId: string, now?: number): string;
  checkToken(formId: string, token: unknown, now?: number): TokenCheck;
  issueChallenge(formId: string, now?: number): Promise<Challenge>;
  checkChallenge(formId: string, altcha: unknown): Promise<ChallengeCheck>;
};

export function createFormGuard(
  key: Uint8Array,
  settings: GuardSettings = DEFAULT_GUARD_SETTINGS,
): FormGuard {
  const subKey = (purpose: string) => createHmac('sha256', key).update(purpose).digest();
  // A key object: imported once, not on every HMAC.
  const tokenKey = createSecretKey(subKey('form-token'));
  const challengeSecret = subKey('altcha-challenge').toString('hex');
  const keySecret = subKey('altcha-key').toString('hex');
  // The same secrets (altcha uses their text's UTF-8 bytes) as key objects, for the fast check.
  const challengeKey = createSecretKey(Buffer.from(challengeSecret, 'utf8'));
  const keyKey = createSecretKey(Buffer.from(keySecret, 'utf8'));
  const maxAgeMs = settings.maxTokenHours * 3600_000;

  const mac = (formId: string, issuedAt: number) =>
    createHmac('sha256', tokenKey).update(`${formId.toLowerCase()}.${issuedAt}`).digest().subarray(0, 18);

  return {
    settings,
    issueToken(formId, now = Date.now()) {
      return `${now.toString(36)}.${mac(formId, now).toString('base64url')}`;
    },
    checkToken(formId, token, now = Date.now()) {
      if (typeof token !== 'string' || token.length > 100) return { ok: false, reason: 'token' };
      const match = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{24})$/.exec(token);
      if (!match) return { ok: false, reason: 'token' };
      const issuedAt = Number.parseInt(match[1] as string, 36);
      const given = Buffer.from(match[2] as string, 'base64url');
      const expected = mac(formId, issuedAt);
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return { ok: false, reason: 'token' };
      const ageMs = now - issuedAt;
      if (ageMs > maxAgeMs || ageMs < -60_000) return { ok: false, reason: 'token' };
      if (ageMs < settings.minFillSeconds * 1000) return { ok: false, reason: 'too_fast' };
      return { ok: true, ageMs };
    },
    async issueChallenge(formId, now = Date.now()) {
      const max = Math.max(2, settings.powDifficulty);
      return createChallenge({
        algorithm: 'SHA-256',
        cost: 1,
        counter: randomInt(max, Math.max(1, Math.floor(max / 2))),
        deriveKey: deriveSha,
        data: { form: formId.toLowerCase() },
        expiresAt: Math.floor((now + maxAgeMs) / 1000),
        hmacSignatureSecret: challengeSecret,
        hmacKeySignatureSecret: keySecret,
      });
    },
    async checkChallenge(formId, altcha) {
      const payload = decodePayload(altcha);
      if (!payload) return { ok: false, reason: 'challenge' };
      const { challenge, solution } = payload;
      if (challenge.parameters.data?.form !== formId.toLowerCase() || !challenge.signature) {
        return { ok: false, reason: 'challenge' };
      }
      if (challenge.parameters.algorithm !== 'SHA-256') return { ok: false, reason: 'challenge' };
      const fast = verifyKeySignedSolution(challenge, solution, {
        challenge: challengeKey,
        key: keyKey,
      });
      if (fast === false) return { ok: false, reason: 'challenge' };
      if (fast === undefined) {
        try {
          const result = await verifySolution({
            challenge,
            solution,
            deriveKey: deriveSha,
            hmacSignatureSecret: challengeSecret,
            hmacKeySignatureSecret: keySecret,
          });
          if (!result.verified) return { ok: false, reason: 'challenge' };
        } catch {
          return { ok: false, reason: 'challenge' };
        }
      }
      const expiresAt = new Date((challenge.parameters.expiresAt ?? 0) * 1000);
      const signatureHash = createHash('sha256').update(challenge.signature).digest('hex');
      return { ok: true, signatureHash, expiresAt };
    },
  };
}

/** The `altcha` field: base64 of the JSON payload `{ challenge, solution }`; undefined if malformed. */
function decodePayload(value: unknown): Payload | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 8000) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object') return undefined;
    const { challenge, solution } = parsed as Partial<Payload>;
    if (!challenge || typeof challenge !== 'object' || !challenge.parameters) return undefined;
    if (typeof challenge.parameters !== 'object' || typeof challenge.signature !== 'string') return undefined;
    if (!solution || typeof solution !== 'object') return undefined;
    return { challenge, solution };
  } catch {
    return undefined;
  }
}

/**
 * Posts per address and form within the current minute, in memory only. The key is the address
 * and the form id; entries disappear when their minute is over. Never stored, never logged.
 */
export class SubmitRateLimit {
  readonly #hits = new Map<string, { count: number; resetAt: number }>();
  #lastSweep = 0;

  constructor(readonly perMinute: number) {}

  /** Counts a post; the seconds to wait when it is over the limit, else 0. */
  take(address: string, formId: string, now = Date.now()): number {
    if (now - this.#lastSweep > 60_000 || this.#hits.size > 50_000) this.#sweep(now);
    const key = `${formId}|${address}`;
    const hit = this.#hits.get(key);
    if (!hit || hit.resetAt <= now) {
      this.#hits.set(key, { count: 1, resetAt: now + 60_000 });
      return 0;
    }
    hit.count += 1;
    return hit.count > this.perMinute ? Math.max(1, Math.ceil((hit.resetAt - now) / 1000)) : 0;
  }

  #sweep(now: number): void {
    this.#lastSweep = now;
    for (const [key, hit] of this.#hits) if (hit.resetAt <= now) this.#hits.delete(key);
  }
}

/** Solves a challenge as a browser would (tests, the benchmark, server-side integrations). */
export async function solveForPost(challenge: Challenge): Promise<string> {
  const { solveChallenge } = await import('altcha-lib');
  const solution = await solveChallenge({ challenge, deriveKey: deriveSha });
  if (!solution) throw new Error('the challenge was not solved in time');
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}
