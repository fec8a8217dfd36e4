import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { approvalHandlers } from '../../worker.ts';
import { createRole, createUser, issueApiToken } from '../identity/index.ts';
import { approvalRegistry } from './approvals.registry.ts';
import { createApprovals } from './approvals.service.ts';

// Approvals through their first kind, `export`: an export above the tenant's threshold asks for
// one. No job worker runs here; what an approval starts is pinned in exports.routes.test.ts.
let ctx: TestContext;
before(async () => {
  ctx = await testContext();
});
after(() => ctx.close());

type Json = Record<string, unknown>;
type Tenant = Awaited<ReturnType<TestContext['newTenant']>>;

async function call(token: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Json) {
  return ctx.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
}

/** A tenant whose every export needs approval, with one contact to export. */
async function strictTenant(): Promise<Tenant> {
  const tenant = await ctx.newTenant();
  const set = await call(tenant.apiToken, 'PATCH', '/api/v1/settings/privacy', { bulkExportThreshold: 0 });
  assert.equal(set.statusCode, 200, set.body);
  const contact = await call(tenant.apiToken, 'POST', '/api/v1/contacts', {
    firstName: 'Anna',
    lastName: 'Muster',
    email: 'anna@example.ch',
  });
  assert.equal(contact.statusCode, 201, contact.body);
  return tenant;
}

async function askExport(
  token: string,
  payload: Json = { format: 'csv' },
): Promise<{ id: string; approvalId: string }> {
  const response = await call(token, 'POST', '/api/v1/exports', payload);
  assert.equal(response.statusCode, 202, response.body);
  assert.equal(response.json().status, 'awaiting_approval');
  return response.json();
}

/** A user who may export contacts and holds no privacy right. */
async function plainExporter(tenantId: string): Promise<{ userId: string; token: string }> {
  return withTenant(ctx.database.db, tenantId, async (tx) => {
    const role = await createRole(tx, tenantId, {
      name: 'Exporter',
      rights: ['contacts:read', 'contacts:export'],
    });
    const user = await createUser(tx, { tenantId, email: 'exporter@example.com', roleIds: [role.id] });
    return {
      userId: user.id,
      token: (await issueApiToken(tx, { tenantId, userId: user.id, name: 't' })).token,
    };
  });
}

async function auditActions(tenantId: string, entityId: string) {
  return withTenant(ctx.database.db, tenantId, async (tx) => {
    const { rows } = await sql<{ action: string; actorKind: string; changes: unknown }>`
      select action, actor_kind, changes from audit_log where entity_id = ${entityId} order by seq`.execute(
      tx,
    );
    return rows;
  });
}

test('four eyes: nobody decides their own request, not even the privacy officer', async () => {
  const tenant = await strictTenant();
  const officer = await ctx.newUser(tenant.tenantId, ['privacy_officer']);
  const asked = await askExport(officer.token);
  for (const verb of ['approve', 'reject']) {
    const own = await call(officer.token, 'POST', `/api/v1/approvals/${asked.approvalId}/${verb}`);
    assert.equal(own.statusCode, 403, own.body);
    assert.equal(own.json().code, 'APPROVALS_OWN_REQUEST');
  }
  // Another holder of privacy:approve (the Owner) decides it.
  const approved = await call(tenant.apiToken, 'POST', `/api/v1/approvals/${asked.approvalId}/approve`, {});
  assert.equal(approved.statusCode, 200, approved.body);
  assert.equal(approved.json().status, 'approved');
  // The database holds the same rule.
  await assert.rejects(
    withTenant(ctx.database.db, tenant.tenantId, (tx) =>
      sql`update approval_request set decided_by = requested_by where id = ${asked.approvalId}`.execute(tx),
    ),
    /check constraint/,
  );
});

test('deciding needs privacy:approve: an Admin, who may export, may not approve', async () => {
  const tenant = await strictTenant();
  const admin = await ctx.newUser(tenant.tenantId, ['admin']);
  const officer = await ctx.newUser(tenant.tenantId, ['privacy_officer']);
  const asked = await askExport(officer.token);
  const response = await call(admin.token, 'POST', `/api/v1/approvals/${asked.approvalId}/approve`);
  assert.equal(response.statusCode, 403);
  assert.equal(response.json().code, 'FORBIDDEN');
});

test('requesters see their own requests; those who decide or audit see all of the tenant', async () => {
  const tenant = await strictTenant();
  const exporter = await plainExporter(tenant.tenantId);
  const officer = await ctx.newUser(tenant.tenantId, ['privacy_officer']);
  const mine = await askExport(exporter.token);
  const theirs = await askExport(tenant.apiToken, { format: 'vcard' });

  const own = await call(exporter.token, 'GET', '/api/v1/approvals');
  assert.equal(own.statusCode, 200);
  assert.deepEqual(
    (own.json().items as { id: string }[]).map((a) => a.id),
    [mine.approvalId],
  );
  assert.equal((await call(exporter.token, 'GET', `/api/v1/approvals/${theirs.approvalId}`)).statusCode, 404);
  assert.equal((await call(exporter.token, 'GET', `/api/v1/approvals/${mine.approvalId}`)).statusCode, 200);

  const all = await call(officer.token, 'GET', '/api/v1/approvals?status=pending&kind=export');
  assert.deepEqual(
    (all.json().items as { id: string }[]).map((a) => a.id),
    [theirs.approvalId, mine.approvalId],
    'newest first',
  );
  const officerOwn = await call(officer.token, 'GET', '/api/v1/approvals?mine=true');
  assert.deepEqual(officerOwn.json().items, []);
  const page = await call(officer.token, 'GET', '/api/v1/approvals?limit=1');
  assert.equal(page.json().items.length, 1);
  const next = await call(officer.token, 'GET', `/api/v1/approvals?limit=1&cursor=${page.json().nextCursor}`);
  assert.equal(next.json().items[0].id, mine.approvalId);
  assert.equal(next.json().nextCursor, null);
});

test('only the requester withdraws a pending request; a withdrawn one cannot be decided', async () => {
  const tenant = await strictTenant();
  const exporter = await plainExporter(tenant.tenantId);
  const officer = await ctx.newUser(tenant.tenantId, ['privacy_officer']);
  const asked = await askExport(exporter.token);
  const notYours = await call(officer.token, 'POST', `/api/v1/approvals/${asked.approvalId}/cancel`);
  assert.equal(notYours.statusCode, 403);
  assert.equal(notYours.json().code, 'APPROVALS_NOT_REQUESTER');
  const cancelled = await call(exporter.token, 'POST', `/api/v1/approvals/${asked.approvalId}/cancel`);
  assert.equal(cancelled.statusCode, 200);
  assert.equal(cancelled.json().status, 'cancelled');
  const late = await call(officer.token, 'POST', `/api/v1/approvals/${asked.approvalId}/approve`);
  assert.equal(late.statusCode, 409);
  assert.equal(late.json().code, 'APPROVALS_NOT_PENDING');
  assert.equal(late.json().approvalStatus, 'cancelled');
  assert.equal((await call(exporter.token, 'GET', `/api/v1/exports/${asked.id}`)).json().status, 'cancelled');
  assert.deepEqual(
    (await auditActions(tenant.tenantId, asked.approvalId)).map((a) => a.action),
    ['approval.requested', 'approval.cancelled'],
  );
});

test('a request left undecided expires: it reads as expired at once, the job closes it and its export', async () => {
  const tenant = await strictTenant();
  const officer = await ctx.newUser(tenant.tenantId, ['privacy_officer']);
  const asked = await askExport(tenant.apiToken);
  await withTenant(ctx.database.db, tenant.tenantId, (tx) =>
    sql`update approval_request set expires_at = now() - interval '1 minute' where id = ${asked.approvalId}`.execute(
      tx,
    ),
  );
  const read = await call(officer.token, 'GET', `/api/v1/approvals/${asked.approvalId}`);
  assert.equal(read.json().status, 'expired');
  assert.deepEqual((await call(officer.token, 'GET', '/api/v1/approvals?status=pending')).json().items, []);
  assert.equal((await call(officer.token, 'GET', '/api/v1/approvals?status=expired')).json().items.length, 1);
  const late = await call(officer.token, 'POST', `/api/v1/approvals/${asked.approvalId}/approve`);
  assert.equal(late.statusCode, 409);
  assert.equal(late.json().approvalStatus, 'expired');

  // The expiry job, with the handlers the worker has.
  const service = createApprovals({
    handlers: approvalHandlers({ db: ctx.database.db, logger: ctx.app.log as never, blobs: ctx.blobs }),
  });
  assert.equal(await withTenant(ctx.database.db, tenant.tenantId, (tx) => service.expireDue(tx)), 1);
  assert.equal((await call(tenant.apiToken, 'GET', `/api/v1/exports/${asked.id}`)).json().status, 'expired');
  const audit = await auditActions(tenant.tenantId, asked.approvalId);
  assert.deepEqual(
    audit.map((a) => [a.action, a.actorKind]),
    [
      ['approval.requested', 'api_token'],
      ['approval.expired', 'system'],
    ],
  );
  // Asked again, the same export makes a new request.
  const again = await askExport(tenant.apiToken);
  assert.notEqual(again.approvalId, asked.approvalId);
});

test('the privacy officer sees the filter that would run; the audit log keeps no filter values', async () => {
  const tenant = await strictTenant();
  const officer = await ctx.newUser(tenant.tenantId, ['privacy_officer']);
  const filter = { field: 'email', op: 'eq', value: 'anna@example.ch' };
  const asked = await askExport(tenant.apiToken, {
    format: 'csv',
    filter,
    reason: 'One person asked for it',
  });
  const request = (await call(officer.token, 'GET', `/api/v1/approvals/${asked.approvalId}`)).json();
  assert.deepEqual(request.subject.source, { kind: 'filter', filter });
  assert.equal(request.subject.count, 1);
  const audit = await auditActions(tenant.tenantId, asked.approvalId);
  assert.equal(audit.length, 1);
  assert.ok(!JSON.stringify(audit).includes('anna@example.ch'), JSON.stringify(audit));
  assert.ok(!JSON.stringify(audit).includes('One person asked'), 'nor the free-text reason');
});

test('one handler per kind, named like a kind; an unknown kind is a wiring mistake', () => {
  const noop = { onApproved: async () => {}, onClosed: async () => {} };
  assert.throws(
    () =>
      approvalRegistry([
        { kind: 'export', ...noop },
        { kind: 'export', ...noop },
      ]),
    /two approval handlers/,
  );
  assert.throws(() => approvalRegistry([{ kind: 'Export!', ...noop }]), /lower-case/);
  const registry = approvalRegistry([{ kind: 'campaign', ...noop }]);
  assert.deepEqual(registry.kinds(), ['campaign']);
  assert.throws(() => registry.handlerOf('export'), /no approval handler/);
});
