import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';

let ctx: TestContext;
let token: string;

before(async () => {
  ctx = await testContext();
  token = (await ctx.newTenant()).apiToken;
});
after(() => ctx.close());

function assertProblem(
  response: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
) {
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const body = JSON.parse(response.body) as Record<string, unknown>;
  assert.equal(body.status, status);
  for (const key of ['type', 'title', 'detail', 'code'])
    assert.equal(typeof body[key], 'string', `${key} missing`);
  assert.doesNotMatch(response.body, /at .*\.(ts|js):\d+|node_modules|stack/i, 'no stack traces');
  return body;
}

test('GET /healthz answers ok', async () => {
  const response = await ctx.app.inject({ url: '/healthz' });
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json(), { status: 'ok' });
});

test('GET /readyz is 200 when the database answers and every migration is applied', async () => {
  const response = await ctx.app.inject({ url: '/readyz' });
  assert.equal(response.statusCode, 200);
  assert.equal(response.json().status, 'ready');
  assert.equal(response.json().database, ctx.database.kind);
});

test('malformed JSON is a 400 problem', async () => {
  const response = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/jobs/dead-letters/00000000-0000-4000-8000-000000000000/requeue',
    headers: { ...bearer(token), 'content-type': 'application/json' },
    payload: '{"broken": ',
  });
  const body = assertProblem(response, 400);
  assert.equal(body.code, 'MALFORMED_JSON');
});

test('a value of the wrong type is a 400 problem naming the field', async () => {
  const response = await ctx.app.inject({ url: '/api/v1/users?limit=many', headers: bearer(token) });
  const body = assertProblem(response, 400);
  assert.equal(body.code, 'VALIDATION_FAILED');
  assert.deepEqual(
    (body.errors as { path: string }[]).map((e) => e.path),
    ['query.limit'],
  );
});

test('an out-of-range value is a 400 problem too', async () => {
  const response = await ctx.app.inject({ url: '/api/v1/users?limit=1000', headers: bearer(token) });
  assertProblem(response, 400);
});

test('a bad path parameter is a 400 problem naming it', async () => {
  const response = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/jobs/dead-letters/not-a-uuid/requeue',
    headers: bearer(token),
  });
  const body = assertProblem(response, 400);
  assert.deepEqual((body.errors as { path: string }[])[0]?.path, 'params.id');
});

test('an unknown API route is a 404 problem', async () => {
  const body = assertProblem(
    await ctx.app.inject({ url: '/api/v1/no-such-thing', headers: bearer(token) }),
    404,
  );
  assert.equal(body.code, 'ROUTE_NOT_FOUND');
  assertProblem(await ctx.app.inject({ method: 'DELETE', url: '/public/nothing' }), 404);
});

test('no token is a 401 problem with a Bearer challenge', async () => {
  const response = await ctx.app.inject({ url: '/api/v1/users' });
  assertProblem(response, 401);
  assert.match(String(response.headers['www-authenticate']), /^Bearer/);
});

test('a wrong or malformed token is the same 401 as none', async () => {
  const wrong = await ctx.app.inject({ url: '/api/v1/users', headers: bearer(`ktr_${'A'.repeat(43)}`) });
  const malformed = await ctx.app.inject({ url: '/api/v1/users', headers: bearer('hello') });
  const none = await ctx.app.inject({ url: '/api/v1/users' });
  assert.equal(wrong.body, none.body);
  assert.equal(malformed.body, none.body);
});

test('a body over the limit is a 413 problem', async () => {
  const response = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/jobs/dead-letters/00000000-0000-4000-8000-000000000000/requeue',
    headers: { ...bearer(token), 'content-type': 'application/json' },
    payload: JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }),
  });
  assertProblem(response, 413);
});

test('security headers are set on every answer', async () => {
  const response = await ctx.app.inject({ url: '/healthz' });
  assert.match(String(response.headers['content-security-policy']), /default-src 'self'/);
  assert.equal(response.headers['x-content-type-options'], 'nosniff');
  assert.equal(response.headers['referrer-policy'], 'no-referrer');
  assert.equal(response.headers['x-powered-by'], undefined);
});

test('the OpenAPI 3.1 document describes the API from the same schemas', async () => {
  const response = await ctx.app.inject({ url: '/api/openapi.json' });
  assert.equal(response.statusCode, 200);
  const doc = response.json() as {
    openapi: string;
    paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
  };
  assert.equal(doc.openapi, '3.1.0');
  const list = doc.paths['/api/v1/users']?.get;
  assert.ok(list, 'GET /api/v1/users is documented');
  assert.deepEqual(list.parameters?.map((p) => p.name).sort(), ['cursor', 'limit']);
  assert.ok(doc.paths['/api/v1/jobs/dead-letters/{id}/requeue']?.post);
});

test('the API docs page is served', async () => {
  const response = await ctx.app.inject({ url: '/api/docs/' });
  assert.equal(response.statusCode, 200);
  assert.match(response.body, /swagger/i);
});
