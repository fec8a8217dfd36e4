import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { loadConfig } from '../../kernel/config.ts';
import { nextStep } from './webhooks.jobs.ts';
import { MAX_ATTEMPTS, RETRY_DELAYS_SECONDS } from './webhooks.schema.ts';
import {
  DeliveryNetworkError,
  isReservedAddress,
  postWebhook,
  publicOnlyLookup,
  urlProblem,
} from './webhooks.target.ts';

const strict = { allowPrivateTargets: false };
const relaxed = { allowPrivateTargets: true };

test('loopback, private, link-local and reserved addresses are recognised, also inside IPv6 forms', () => {
  for (const address of [
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::10.0.0.1',
    '2002:c0a8:0101::1',
    'not-an-address',
  ]) {
    assert.equal(isReservedAddress(address), true, address);
  }
  for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
    assert.equal(isReservedAddress(address), false, address);
  }
});

test('endpoint URLs: https always; http and private addresses only where private targets are allowed', () => {
  assert.equal(urlProblem('https://hooks.example.com/x', strict), undefined);
  assert.equal(urlProblem('http://localhost:3000/x', relaxed), undefined);
  assert.equal(urlProblem('http://127.0.0.1:3000/x', relaxed), undefined);
  assert.equal(urlProblem('http://[::1]:3000/x', relaxed), undefined);
  assert.equal(urlProblem('https://10.0.0.5/x', relaxed), undefined);
  for (const url of [
    'http://localhost:3000/x',
    'http://hooks.example.com/x',
    'https://localhost/x',
    'https://app.localhost/x',
    'https://127.0.0.1/x',
    'https://127.1/x',
    'https://0x7f.1/x',
    'https://[::1]/x',
    'https://[::ffff:127.0.0.1]/x',
    'https://169.254.169.254/latest/meta-data',
    'https://192.168.0.10/x',
  ]) {
    assert.ok(urlProblem(url, strict), url);
  }
  assert.ok(urlProblem('http://hooks.example.com/x', relaxed));
  assert.ok(urlProblem('https://user:secret@hooks.example.com/x', relaxed));
  assert.ok(urlProblem('https://hooks.example.com/x#frag', relaxed));
  assert.ok(urlProblem('javascript:alert(1)', relaxed));
  assert.ok(urlProblem('hooks.example.com', relaxed));
});

test('a name that resolves to a private address is refused at connect time', async () => {
  const lookup = publicOnlyLookup();
  const error = await new Promise<Error | null>((resolve) => lookup('localhost', {}, (e) => resolve(e)));
  assert.ok(error instanceof DeliveryNetworkError);
  assert.equal(error.reason, 'address_not_allowed');
});

async function server(handler: http.RequestListener) {
  const s = http.createServer(handler);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  after(() => {
    s.closeAllConnections();
    return new Promise<void>((resolve) => s.close(() => resolve()));
  });
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/`;
}

test('a loopback receiver is not called unless private targets are allowed', async () => {
  let calls = 0;
  const url = await server((_req, res) => {
    calls += 1;
    res.end('ok');
  });
  await assert.rejects(postWebhook(url, '{}', {}, strict), (e: unknown) => {
    assert.ok(e instanceof DeliveryNetworkError);
    assert.equal(e.reason, 'address_not_allowed');
    return true;
  });
  assert.equal(calls, 0);
  const answer = await postWebhook(url, '{}', {}, relaxed);
  assert.equal(answer.statusCode, 200);
  assert.equal(calls, 1);
});

test('a receiver that does not answer in time is a timeout; redirects are not followed; only a snippet is kept', async () => {
  const slow = await server(() => {
    /* never answers */
  });
  await assert.rejects(postWebhook(slow, '{}', {}, relaxed, { timeoutMs: 300 }), (e: unknown) => {
    assert.ok(e instanceof DeliveryNetworkError);
    assert.equal(e.reason, 'timeout');
    return true;
  });
  const redirect = await server((_req, res) =>
    res.writeHead(302, { location: 'http://169.254.169.254/' }).end(),
  );
  assert.equal((await postWebhook(redirect, '{}', {}, relaxed)).statusCode, 302);
  const chatty = await server((_req, res) => res.end(`${'x'.repeat(5000)} iban DE89370400440532013000`));
  const answer = await postWebhook(chatty, '{}', {}, relaxed);
  assert.equal(answer.snippet?.length, 200);
  const closed = await server((req) => req.socket.destroy());
  await assert.rejects(postWebhook(closed, '{}', {}, relaxed), (e: unknown) => {
    assert.ok(e instanceof DeliveryNetworkError);
    assert.equal(e.reason, 'network');
    return true;
  });
});

test('retry schedule: 2xx succeeds, 410 fails at once, others retry after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
  assert.deepEqual(RETRY_DELAYS_SECONDS, [5, 300, 1800, 7200, 18000, 36000, 36000]);
  assert.equal(MAX_ATTEMPTS, 8);
  assert.deepEqual(nextStep(204, 0), { status: 'succeeded', delaySeconds: null });
  assert.deepEqual(nextStep(410, 0), { status: 'failed', delaySeconds: null });
  assert.deepEqual(nextStep(500, 0), { status: 'retrying', delaySeconds: 5 });
  assert.deepEqual(nextStep(null, 1), { status: 'retrying', delaySeconds: 300 });
  assert.deepEqual(nextStep(301, 6), { status: 'retrying', delaySeconds: 36000 });
  assert.deepEqual(nextStep(503, 7), { status: 'failed', delaySeconds: null });
});

test('KONTOR_WEBHOOKS_ALLOW_PRIVATE defaults to on outside production and off in production', () => {
  const secret = 'x'.repeat(32);
  assert.equal(loadConfig({}).webhooks.allowPrivateTargets, true);
  assert.equal(
    loadConfig({ NODE_ENV: 'production', KONTOR_SECRET: secret }).webhooks.allowPrivateTargets,
    false,
  );
  assert.equal(
    loadConfig({ NODE_ENV: 'production', KONTOR_SECRET: secret, KONTOR_WEBHOOKS_ALLOW_PRIVATE: 'true' })
      .webhooks.allowPrivateTargets,
    true,
  );
  assert.equal(loadConfig({ KONTOR_WEBHOOKS_ALLOW_PRIVATE: 'false' }).webhooks.allowPrivateTargets, false);
  assert.throws(() => loadConfig({ KONTOR_WEBHOOKS_ALLOW_PRIVATE: 'yes' }), /KONTOR_WEBHOOKS_ALLOW_PRIVATE/);
});
