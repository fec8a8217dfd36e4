import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Challenge, createChallenge, solveChallenge, verifySolution } from 'altcha-lib';
import { deriveKey as deriveSha } from 'altcha-lib/algorithms/sha';
import fc from 'fast-check';
import { canonicalJson, verifyKeySignedSolution } from './forms.pow-check.ts';

const hex = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength, maxLength });

const secrets = { challenge: 'c'.repeat(64), key: 'k'.repeat(64) };

async function solved(expiresAt = Math.floor(Date.now() / 1000) + 3600) {
  const challenge = await createChallenge({
    algorithm: 'SHA-256',
    cost: 1,
    counter: 7,
    deriveKey: deriveSha,
    data: { form: 'f-1' },
    expiresAt,
    hmacSignatureSecret: secrets.challenge,
    hmacKeySignatureSecret: secrets.key,
  });
  const solution = await solveChallenge({ challenge, deriveKey: deriveSha });
  if (!solution) throw new Error('not solved');
  return { challenge, solution };
}

async function byAltcha(challenge: Challenge, solution: unknown): Promise<boolean> {
  try {
    const result = await verifySolution({
      challenge,
      // biome-ignore lint/suspicious/noExplicitAny: tampered solutions are the point
      solution: solution as any,
      deriveKey: deriveSha,
      hmacSignatureSecret: secrets.challenge,
      hmacKeySignatureSecret: secrets.key,
    });
    return result.verified;
  } catch {
    return false;
  }
}

test('the node:crypto check agrees with altcha-lib on a valid solution, an expired challenge and a wrong secret', async () => {
  const good = await solved();
  assert.equal(verifyKeySignedSolution(good.challenge, good.solution, secrets), true);
  assert.equal(await byAltcha(good.challenge, good.solution), true);

  const expired = await solved(Math.floor(Date.now() / 1000) - 10);
  assert.equal(verifyKeySignedSolution(expired.challenge, expired.solution, secrets), false);
  assert.equal(await byAltcha(expired.challenge, expired.solution), false);

  const otherKey = { ...secrets, key: 'x'.repeat(64) };
  assert.equal(verifyKeySignedSolution(good.challenge, good.solution, otherKey), false);
  const otherChallenge = { ...secrets, challenge: 'x'.repeat(64) };
  assert.equal(verifyKeySignedSolution(good.challenge, good.solution, otherChallenge), false);
});

test('a challenge without a key signature is left to altcha-lib', async () => {
  const { challenge, solution } = await solved();
  const { keySignature: _dropped, ...parameters } = challenge.parameters;
  assert.equal(verifyKeySignedSolution({ ...challenge, parameters }, solution, secrets), undefined);
});

test('tampered parameters, signatures and solutions: the node:crypto check answers as altcha-lib does', async () => {
  const { challenge, solution } = await solved();
  const tamper = fc.oneof(
    fc.record({
      where: fc.constant('counter' as const),
      value: fc.oneof(fc.integer(), fc.double(), fc.string()),
    }),
    fc.record({ where: fc.constant('derivedKey' as const), value: fc.oneof(hex(0, 80), fc.string()) }),
    fc.record({
      where: fc.constant('signature' as const),
      value: hex(64, 64),
    }),
    fc.record({ where: fc.constant('data' as const), value: fc.string() }),
    fc.record({
      where: fc.constant('keySignature' as const),
      value: hex(1, 64),
    }),
    fc.record({ where: fc.constant('none' as const), value: fc.constant(0) }),
  );
  await fc.assert(
    fc.asyncProperty(tamper, async ({ where, value }: { where: string; value: unknown }) => {
      const c: Challenge = structuredClone(challenge);
      const s = structuredClone(solution) as unknown as Record<string, unknown>;
      if (where === 'counter' || where === 'derivedKey') s[where] = value;
      if (where === 'signature') c.signature = String(value);
      if (where === 'data') c.parameters.data = { form: String(value) };
      if (where === 'keySignature') c.parameters.keySignature = String(value);
      const ours = verifyKeySignedSolution(c, s as never, secrets);
      assert.equal(ours, await byAltcha(c, s));
    }),
    { numRuns: 300 },
  );
});

/** The canonical form by its definition: JSON.stringify of a copy with nested objects' keys sorted. */
function sortedCopy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .flatMap((key) => (record[key] === undefined ? [] : [[key, sortedCopy(record[key])]])),
  );
}

test('the canonical JSON is JSON.stringify of the key-sorted value, for any JSON value', () => {
  fc.assert(
    fc.property(
      fc.jsonValue(),
      fc.object({
        values: [fc.constant(undefined), fc.string(), fc.integer(), fc.boolean(), fc.constant(null)],
      }),
      (json, object) => {
        assert.equal(canonicalJson(json), JSON.stringify(sortedCopy(json)));
        assert.equal(canonicalJson(object), JSON.stringify(sortedCopy(object)));
      },
    ),
    { numRuns: 500 },
  );
});
