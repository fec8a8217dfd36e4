/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The browser side of the proof of work: solves an ALTCHA challenge and returns the payload
 * altcha-lib's verifier accepts (base64 of JSON). Both challenge formats:
 * v2 `{ parameters: { algorithm, nonce, salt, cost, keyLength, keyPrefix, … }, signature }`
 * (SHA-256/384/512 iterated `cost` times over salt ‖ nonce ‖ counter as big-endian uint32, or
 * PBKDF2/SHA-*) and v1 `{ algorithm, challenge, salt, signature, maxnumber }`
 * (SHA-*(salt + number) = challenge).
 *
 * SHA-256 comes from @noble/hashes, in script: Web Crypto exists only in secure contexts (a
 * form embedded in a plain-http page would have none), and its per-call promise costs more than
 * hashing 40 bytes (Kontor's challenges: ~70 ms in Chromium; with Web Crypto in Node, 0.7–3 s).
 * SHA-384/512 and PBKDF2 use Web Crypto where it exists. No third party, no cookie, no worker
 * file: the solver yields to the page every few dozen milliseconds.
 */
import { sha256 } from '@noble/hashes/sha2.js';

type V2Parameters = {
  algorithm: string;
  nonce: string;
  salt: string;
  cost: number;
  keyLength?: number;
  keyPrefix: string;
};
type V2Challenge = { parameters: V2Parameters; signature?: string };
type V1Challenge = {
  algorithm: string;
  challenge: string;
  salt: string;
  signature?: string;
  maxnumber?: number;
  maxNumber?: number;
};
type Bytes = Uint8Array<ArrayBuffer>;

type Hash = (data: Uint8Array) => Uint8Array | Promise<Uint8Array>;

/** SHA-256 (what Kontor issues) in script; SHA-384/512 through Web Crypto where there is one. */
function hashOf(algorithm: string): Hash | undefined {
  if (algorithm === 'SHA-256') return sha256;
  const subtle = globalThis.crypto?.subtle;
  if (!subtle || (algorithm !== 'SHA-384' && algorithm !== 'SHA-512')) return undefined;
  return async (data) => new Uint8Array(await subtle.digest(algorithm, data as Bytes));
}

function hexToBytes(hex: string): Bytes {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Runs `step` for 0, 1, 2, … until it answers, yielding to the page about every 50 ms. */
async function search<T>(
  max: number,
  signal: AbortSignal | undefined,
  step: (n: number) => T | undefined | Promise<T | undefined>,
): Promise<T | null> {
  let last = performance.now();
  for (let n = 0; n <= max; n++) {
    const found = await step(n);
    if (found !== undefined) return found;
    if ((n & 255) === 255 && performance.now() - last > 50) {
      if (signal?.aborted) return null;
      await pause();
      last = performance.now();
    }
  }
  return null;
}

async function solveV2(challenge: V2Challenge, signal?: AbortSignal): Promise<string | null> {
  const p = challenge.parameters;
  const keyLength = p.keyLength ?? 32;
  const salt = hexToBytes(p.salt);
  const nonce = hexToBytes(p.nonce);
  const prefix = p.keyPrefix.toLowerCase();
  // salt ‖ nonce ‖ counter: the first round's input, reused for every counter.
  const input = new Uint8Array(salt.length + nonce.length + 4);
  input.set(salt, 0);
  input.set(nonce, salt.length);
  const view = new DataView(input.buffer);
  const at = salt.length + nonce.length;

  let derive: (counter: number) => Uint8Array | Promise<Uint8Array>;
  const hash = hashOf(p.algorithm);
  if (hash) {
    derive = async (counter) => {
      view.setUint32(at, counter, false);
      let key = await hash(input);
      for (let i = 1; i < p.cost; i++) key = await hash(key);
      return key.subarray(0, keyLength);
    };
  } else if (/^PBKDF2\/SHA-(256|384|512)$/.test(p.algorithm) && globalThis.crypto?.subtle) {
    const subtle = globalThis.crypto.subtle;
    derive = async (counter) => {
      const password: Bytes = new Uint8Array(nonce.length + 4);
      password.set(nonce, 0);
      new DataView(password.buffer).setUint32(nonce.length, counter, false);
      const key = await subtle.importKey('raw', password, { name: 'PBKDF2' }, false, ['deriveBits']);
      const bits = await subtle.deriveBits(
        { name: 'PBKDF2', salt, iterations: p.cost, hash: p.algorithm.slice(7) },
        key,
        keyLength * 8,
      );
      return new Uint8Array(bits);
    };
  } else {
    return null;
  }
  const solution = await search(0xffffffff, signal, async (counter) => {
    const key = bytesToHex(await derive(counter));
    return key.startsWith(prefix) ? { counter, derivedKey: key } : undefined;
  });
  return solution ? btoa(JSON.stringify({ challenge, solution })) : null;
}

async function solveV1(challenge: V1Challenge, signal?: AbortSignal): Promise<string | null> {
  const hash = hashOf(challenge.algorithm);
  if (!hash) return null;
  const encoder = new TextEncoder();
  const start = performance.now();
  const number = await search(challenge.maxnumber ?? challenge.maxNumber ?? 1_000_000, signal, async (n) =>
    bytesToHex(await hash(encoder.encode(challenge.salt + n))) === challenge.challenge ? n : undefined,
  );
  if (number === null) return null;
  return btoa(
    JSON.stringify({
      algorithm: challenge.algorithm,
      challenge: challenge.challenge,
      number,
      salt: challenge.salt,
      signature: challenge.signature,
      took: Math.round(performance.now() - start),
    }),
  );
}

/** The base64 payload for the `altcha` field, or null when the challenge cannot be solved here. */
export async function solveChallenge(challenge: unknown, signal?: AbortSignal): Promise<string | null> {
  if (!challenge || typeof challenge !== 'object') return null;
  try {
    if ('parameters' in challenge) return await solveV2(challenge as V2Challenge, signal);
    if ('challenge' in challenge && 'salt' in challenge)
      return await solveV1(challenge as V1Challenge, signal);
  } catch {
    return null;
  }
  return null;
}
