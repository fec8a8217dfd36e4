import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';

let ctx: TestContext;
before(async () => {
  const webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-web-'));
  fs.mkdirSync(path.join(webDist, 'assets'));
  fs.writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>Kontor</title>');
  fs.writeFileSync(path.join(webDist, 'assets', 'app.js'), 'export {};');
  ctx = await testContext({ rateLimit: 5, webDist });
});
after(() => ctx.close());

test('past the per-client limit the API answers 429 with Retry-After', async () => {
  const { apiToken } = await ctx.newTenant();
  const statuses: number[] = [];
  let last: Awaited<ReturnType<typeof ctx.app.inject>> | undefined;
  for (let i = 0; i < 7; i++) {
    last = await ctx.app.inject({ url: '/api/v1/users', headers: bearer(apiToken) });
    statuses.push(last.statusCode);
  }
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
  assert.ok(Number(last?.headers['retry-after']) > 0);
  assert.match(String(last?.headers['content-type']), /application\/problem\+json/);
  assert.equal(last?.json().code, 'RATE_LIMITED');
});

test('health checks are never rate limited', async () => {
  for (let i = 0; i < 10; i++) assert.equal((await ctx.app.inject({ url: '/healthz' })).statusCode, 200);
});

test('the web app and its static files are not counted', async () => {
  for (let i = 0; i < 10; i++) {
    assert.equal((await ctx.app.inject({ url: '/assets/app.js' })).statusCode, 200);
    assert.equal((await ctx.app.inject({ url: '/settings/roles' })).statusCode, 200);
  }
});
