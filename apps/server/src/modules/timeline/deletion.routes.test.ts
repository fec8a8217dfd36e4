import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { verifyAuditChain } from '../audit/index.ts';
import { recordActivity, systemActor } from './index.ts';

// Issue 4, item 9: deleting a person removes their data, tags and activities; deleting a company
// removes its persons with theirs; every deletion is in the audit log, which — like the access
// log — keeps ids and field names, never the deleted values. Rows are counted as the schema
// owner, past row-level security: gone, not merely hidden.

let ctx: TestContext;
before(async () => {
  ctx = await testContext();
});
after(() => ctx.close());

type Json = Record<string, unknown>;

async function call(token: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: Json) {
  return ctx.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
}

async function created(token: string, url: string, payload: Json): Promise<string> {
  const response = await call(token, 'POST', url, payload);
  assert.equal(response.statusCode, 201, response.body);
  return response.json().id;
}

/** Rows that still refer to the ids, in every table that holds a person's data, as the owner. */
async function leftovers(ids: string[]): Promise<Record<string, number>> {
  return ctx.database.asOwner(async (session) => {
    const count = async (text: string) =>
      Number((await session.query<{ n: number }>(text, [ids]))[0]?.n ?? 0);
    return {
      contact: await count('select count(*)::int as n from contact where id = any($1::uuid[])'),
      contactTag: await count(
        'select count(*)::int as n from contact_tag where contact_id = any($1::uuid[])',
      ),
      activity: await count('select count(*)::int as n from activity where contact_id = any($1::uuid[])'),
    };
  });
}

async function logsOf(tenantId: string) {
  return ctx.database.asOwner(async (session) => ({
    audit: await session.query<{ action: string; entity_id: string; changes: { fields: string[] } }>(
      'select action, entity_id, changes from audit_log where tenant_id = $1 order by seq',
      [tenantId],
    ),
    access: await session.query<Json>(
      'select user_id, record_type, record_ids, purpose, kind from access_log where tenant_id = $1',
      [tenantId],
    ),
  }));
}

/** What a person's record held: none of it may outlive the deletion in a log. */
const PERSONAL = ['Löschmich', 'Vergessen', 'loeschmich@example.de', '4930123456', 'DE89370400440532013000'];
const NOTE = 'Called about the Vergessen account';

function assertNoValues(logs: unknown): void {
  const text = JSON.stringify(logs);
  for (const value of [...PERSONAL, NOTE, 'Formular Kontakt']) {
    assert.ok(!text.includes(value), `no "${value}" in the logs`);
  }
}

test('deleting a person removes the record, its tag links and its activities; audited, logs keep ids only', async () => {
  const tenant = await ctx.newTenant();
  const token = tenant.apiToken;
  const person = await created(token, '/api/v1/contacts', {
    firstName: 'Löschmich',
    lastName: 'Vergessen',
    email: 'loeschmich@example.de',
    phone: '+49 30 123456',
    iban: 'DE89 3704 0044 0532 0130 00',
    notes: NOTE,
    tags: ['Kunde', 'VIP'],
  });
  const bystander = await created(token, '/api/v1/contacts', { lastName: 'Bleibt', tags: ['Kunde'] });
  const note = await created(token, `/api/v1/contacts/${person}/activities`, { kind: 'call', body: NOTE });
  await created(token, `/api/v1/contacts/${bystander}/activities`, { kind: 'note', body: 'stays' });
  await withTenant(ctx.database.db, tenant.tenantId, (tx) =>
    recordActivity(tx, systemActor(tenant.tenantId), {
      contactId: person,
      kind: 'form_submission',
      source: 'form',
      subject: 'Formular Kontakt',
      ref: { type: 'form_submission', id: 'sub-7' },
    }),
  );
  assert.equal((await call(token, 'GET', `/api/v1/contacts/${person}`)).statusCode, 200);
  assert.equal((await call(token, 'GET', `/api/v1/contacts/${person}/activities`)).json().items.length, 2);
  assert.deepEqual(await leftovers([person]), { contact: 1, contactTag: 2, activity: 2 });

  assert.equal((await call(token, 'DELETE', `/api/v1/contacts/${person}`)).statusCode, 204);

  assert.deepEqual(await leftovers([person]), { contact: 0, contactTag: 0, activity: 0 });
  assert.deepEqual(await leftovers([bystander]), { contact: 1, contactTag: 1, activity: 1 }, 'others stay');
  for (const url of [`/api/v1/contacts/${person}`, `/api/v1/contacts/${person}/activities`]) {
    const response = await call(token, 'GET', url);
    assert.equal(response.statusCode, 404, url);
    assert.equal(response.json().code, 'CONTACTS_NOT_FOUND');
  }
  assert.equal((await call(token, 'DELETE', `/api/v1/activities/${note}`)).statusCode, 404);
  const late = withTenant(ctx.database.db, tenant.tenantId, (tx) =>
    recordActivity(tx, systemActor(tenant.tenantId), {
      contactId: person,
      kind: 'form_submission',
      source: 'form',
      ref: { type: 'form_submission', id: 'sub-8' },
    }),
  );
  await assert.rejects(late, { code: 'CONTACTS_NOT_FOUND' }, 'a late job cannot attach to a deleted person');
  const tags = (await call(token, 'GET', '/api/v1/tags')).json().items as Json[];
  assert.deepEqual(
    tags.map((t) => [t.name, t.contactCount]),
    [
      ['Kunde', 1],
      ['VIP', 0],
    ],
    "the tenant's tags stay, without the person",
  );

  const logs = await logsOf(tenant.tenantId);
  const deleted = logs.audit.filter((e) => e.action === 'contact.deleted');
  assert.deepEqual(
    deleted.map((e) => e.entity_id),
    [person],
  );
  for (const field of ['id', 'firstName', 'lastName', 'email', 'phone', 'iban', 'notes', 'tags']) {
    assert.ok(deleted[0]?.changes.fields.includes(field), `contact.deleted names ${field}`);
  }
  const reads = logs.access.filter((r) => (r.record_ids as string[]).includes(person));
  assert.deepEqual(reads.map((r) => r.purpose).sort(), [
    'GET /api/v1/contacts/{id}',
    'GET /api/v1/contacts/{id}/activities',
  ]);
  for (const read of reads) assert.deepEqual(read.record_ids, [person], 'the access log keeps the id');
  assertNoValues(logs);
  assert.equal((await verifyAuditChain(ctx.database, tenant.tenantId)).ok, true);
});

test('deleting a company removes its persons with their tags and activities; each deletion audited', async () => {
  const tenant = await ctx.newTenant();
  const token = tenant.apiToken;
  const company = await created(token, '/api/v1/companies', { name: 'Schliesst GmbH', tags: ['Partner'] });
  const p1 = await created(token, '/api/v1/contacts', {
    firstName: 'Löschmich',
    lastName: 'Vergessen',
    email: 'loeschmich@example.de',
    companyId: company,
    tags: ['Partner'],
  });
  const p2 = await created(token, '/api/v1/contacts', { lastName: 'Vergessen', companyId: company });
  const moved = await created(token, '/api/v1/contacts', { lastName: 'Gewechselt' });
  await created(token, `/api/v1/contacts/${p1}/activities`, { kind: 'note', body: NOTE });
  await created(token, `/api/v1/contacts/${p2}/activities`, { kind: 'meeting', subject: 'Kick-off' });
  // A person who once worked there: their entry about the company stays, without the company.
  const history = await created(token, `/api/v1/contacts/${moved}/activities`, {
    kind: 'call',
    companyId: company,
    subject: 'Old job',
  });
  assert.deepEqual(await leftovers([p1, p2]), { contact: 2, contactTag: 1, activity: 2 });

  assert.equal((await call(token, 'DELETE', `/api/v1/companies/${company}`)).statusCode, 204);

  assert.deepEqual(await leftovers([p1, p2]), { contact: 0, contactTag: 0, activity: 0 });
  const companyRows = await ctx.database.asOwner(async (session) => ({
    company: await session.query('select 1 from company where id = $1', [company]),
    companyTag: await session.query('select 1 from company_tag where company_id = $1', [company]),
    activity: await session.query('select 1 from activity where company_id = $1', [company]),
  }));
  assert.deepEqual(companyRows, { company: [], companyTag: [], activity: [] });
  const kept = (await call(token, 'GET', `/api/v1/contacts/${moved}/activities`)).json().items as Json[];
  assert.deepEqual(
    kept.map((a) => [a.id, a.companyId, a.subject]),
    [[history, null, 'Old job']],
  );

  const logs = await logsOf(tenant.tenantId);
  const deletions = logs.audit
    .filter((e) => e.action.endsWith('.deleted'))
    .map((e) => [e.action, e.entity_id])
    .sort();
  assert.deepEqual(
    deletions,
    [
      ['company.deleted', company],
      ['contact.deleted', p1],
      ['contact.deleted', p2],
    ].sort(),
  );
  assertNoValues(logs);
  assert.equal((await verifyAuditChain(ctx.database, tenant.tenantId)).ok, true);
});
