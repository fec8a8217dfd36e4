import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createChallenge, verifySolution } from 'altcha-lib';
import { deriveKey as pbkdf2 } from 'altcha-lib/algorithms/pbkdf2';
import { deriveKey as sha } from 'altcha-lib/algorithms/sha';
import { createChallenge as createChallengeV1, verifySolution as verifySolutionV1 } from 'altcha-lib/v1';
import { createFormGuard } from '../forms.guard.ts';
import { solveChallenge } from './client/pow.ts';

// The browser solver runs here on Node's Web Crypto, the same API the browsers have.
const secret = 'a test secret of the proof of work';

type Payload = {
  challenge: Parameters<typeof verifySolution>[0]['challenge'];
  solution: { counter: number; derivedKey: string };
};

function decode(payload: string | null): Payload {
  assert.ok(payload, 'the solver found no solution');
  return JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as Payload;
}

test('the browser solver answers an ALTCHA v2 SHA-256 challenge so that altcha-lib verifies it', async () => {
  const challenge = await createChallenge({
    algorithm: 'SHA-256',
    cost: 10,
    deriveKey: sha,
    hmacSignatureSecret: secret,
    expiresAt: new Date(Date.now() + 60_000),
  });
  const payload = decode(await solveChallenge(JSON.parse(JSON.stringify(challenge))));
  const result = await verifySolution({ ...payload, deriveKey: sha, hmacSignatureSecret: secret });
  assert.equal(result.verified, true);
});

test('the browser solver answers an ALTCHA v2 PBKDF2/SHA-256 challenge so that altcha-lib verifies it', async () => {
  const challenge = await createChallenge({
    algorithm: 'PBKDF2/SHA-256',
    cost: 50,
    deriveKey: pbkdf2,
    hmacSignatureSecret: secret,
  });
  const payload = decode(await solveChallenge(JSON.parse(JSON.stringify(challenge))));
  const result = await verifySolution({ ...payload, deriveKey: pbkdf2, hmacSignatureSecret: secret });
  assert.equal(result.verified, true);
});

test('a tampered v2 solution does not verify', async () => {
  const challenge = await createChallenge({
    algorithm: 'SHA-256',
    cost: 5,
    deriveKey: sha,
    hmacSignatureSecret: secret,
  });
  const payload = decode(await solveChallenge(JSON.parse(JSON.stringify(challenge))));
  payload.solution.counter += 1;
  const result = await verifySolution({ ...payload, deriveKey: sha, hmacSignatureSecret: secret });
  assert.equal(result.verified, false);
});

test('the browser solver answers an ALTCHA v1 challenge so that altcha-lib/v1 verifies it', async () => {
  const challenge = await createChallengeV1({ hmacKey: secret, maxnumber: 5_000 });
  const payload = await solveChallenge(JSON.parse(JSON.stringify(challenge)));
  assert.ok(payload);
  assert.equal(await verifySolutionV1(payload, secret), true);
});

test('nothing to solve gives null, so the form posts without a payload', async () => {
  assert.equal(await solveChallenge(null), null);
  assert.equal(await solveChallenge({ parameters: { algorithm: 'ARGON2ID' } }), null);
});

test('the solver answers the forms core’s own challenges in script, also where there is no Web Crypto (a plain-http page)', async () => {
  const guard = createFormGuard(new Uint8Array(32).fill(7));
  const formId = '6b1f4a52-8d7e-4c8e-9a55-2f3c1d0e9b7a';
  const challenge = JSON.parse(JSON.stringify(await guard.issueChallenge(formId)));
  const original = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
  Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });
  let payload: string | null;
  try {
    payload = await solveChallenge(challenge);
  } finally {
    if (original) Object.defineProperty(globalThis, 'crypto', original);
  }
  assert.ok(payload);
  assert.equal((await guard.checkChallenge(formId, payload)).ok, true);
});
