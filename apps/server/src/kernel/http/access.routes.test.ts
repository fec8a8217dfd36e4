import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';
import { BUILTIN_RIGHTS, BUILTIN_ROLES, type BuiltinRole } from '../../modules/identity/index.ts';
import { rightOf } from './access.ts';

// Generated: every /api/v1 route × every built-in role. A route without a declared right cannot
// even be registered; a route whose right a role lacks must answer 403 to that role, and must not
// answer 401/403 to a role that has it.
let ctx: TestContext;
const tokens = new Map<BuiltinRole, string>();

before(async () => {
  ctx = await testContext();
  await ctx.app.ready();
  const { tenantId } = await ctx.newTenant();
  for (const role of BUILTIN_ROLES) tokens.set(role, (await ctx.newUser(tenantId, [role])).token);
});
after(() => ctx.close());

function concrete(url: string): string {
  return url.replace(/:[A-Za-z]+/g, () => randomUUID());
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

test('every API route declares its access and the walk covers them all', () => {
  assert.ok(ctx.app.routeAccess.length >= 10, `only ${ctx.app.routeAccess.length} routes registered`);
});

test('each role gets 403 exactly on the routes whose right it lacks', async () => {
  const mismatches: string[] = [];
  for (const route of ctx.app.routeAccess) {
    if (route.access === 'public') continue;
    for (const role of BUILTIN_ROLES) {
      const response = await ctx.app.inject({
        method: route.method as 'GET',
        url: concrete(route.url),
        headers: bearer(tokens.get(role) as string),
        ...(BODY_METHODS.has(route.method) ? { payload: {} } : {}),
      });
      const allowed =
        route.access === 'authenticated' ||
        BUILTIN_RIGHTS[role].rights.includes(rightOf(route.access.area, route.access.action));
      const forbidden = response.statusCode === 403;
      if (response.statusCode === 401 || allowed === forbidden) {
        mismatches.push(
          `${route.method} ${route.url} as ${role}: ${response.statusCode} (expected ${allowed ? 'not 403' : '403'})`,
        );
      }
    }
  }
  assert.deepEqual(mismatches, []);
});

test('without credentials every non-public route is 401', async () => {
  for (const route of ctx.app.routeAccess.filter((r) => r.access !== 'public')) {
    const response = await ctx.app.inject({ method: route.method as 'GET', url: concrete(route.url) });
    assert.equal(response.statusCode, 401, `${route.method} ${route.url}`);
  }
});

test('a route under /api/v1 without an access declaration cannot be registered', async () => {
  const probe = await testContext();
  try {
    await assert.rejects(async () => {
      probe.app.get('/api/v1/undeclared', async () => ({ ok: true }));
      await probe.app.ready();
    }, /must declare config.access/);
  } finally {
    await probe.close().catch(() => undefined);
  }
});

test('Read-only holds no right to create, change, delete, export or approve anything', () => {
  const writes = BUILTIN_RIGHTS.read_only.rights.filter((r) => !r.endsWith(':read'));
  assert.deepEqual(writes, []);
});
