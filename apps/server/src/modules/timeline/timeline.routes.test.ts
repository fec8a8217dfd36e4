import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';
import { withPrincipal, withTenant } from '../../kernel/db/tenancy.ts';
import { AppError } from '../../kernel/errors.ts';
import { recordActivity, systemActor } from './index.ts';

let ctx: TestContext;
before(async () => {
  ctx = await testContext();
});
after(() => ctx.close());

type Json = Record<string, unknown>;
type Item = Json & { id: string; kind: string; subject: string | null; body: string | null };

async function call(token: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Json) {
  return ctx.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
}

async function created(token: string, url: string, payload: Json): Promise<Json & { id: string }> {
  const response = await call(token, 'POST', url, payload);
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}

async function timeline(
  token: string,
  contactId: string,
  query = '',
): Promise<{ items: Item[]; nextCursor: string | null }> {
  const response = await call(token, 'GET', `/api/v1/contacts/${contactId}/activities${query}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

function paths(response: { json(): { errors?: { path: string }[] } }): string[] {
  return (response.json().errors ?? []).map((e) => e.path).sort();
}

const ago = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

async function auditOf(tenantId: string, entityId: string) {
  return withTenant(ctx.database.db, tenantId, async (tx) => {
    const { rows } = await sql<{ action: string; actorKind: string; changes: { fields: string[] } }>`
      select action, actor_kind, changes from audit_log where entity_id = ${entityId} order by seq`.execute(
      tx,
    );
    return rows;
  });
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    return error;
  }
  assert.fail('expected the call to fail');
}

test('staff log notes, calls, meetings and emails; the timeline lists them newest first, page by page', async () => {
  const tenant = await ctx.newTenant({ adminEmail: 'owner@timeline.example' });
  const token = tenant.apiToken;
  const company = await created(token, '/api/v1/companies', { name: 'Zeitleiste AG' });
  const contact = await created(token, '/api/v1/contacts', { lastName: 'Verlauf', companyId: company.id });
  const url = `/api/v1/contacts/${contact.id}/activities`;

  const note = await created(token, url, { kind: 'note', body: '  Wants the brochure in French.  ' });
  const callEntry = await created(token, url, {
    kind: 'call',
    direction: 'outbound',
    subject: 'Follow-up',
    durationMinutes: 12,
    occurredAt: ago(48),
  });
  const meeting = await created(token, url, { kind: 'meeting', subject: 'Visit', occurredAt: ago(24) });
  const threeDaysAgo = ago(72).replace('Z', '+02:00');
  const email = await created(token, url, {
    kind: 'email',
    direction: 'inbound',
    subject: 'Question about the offer',
    occurredAt: threeDaysAgo,
  });
  assert.deepEqual(
    { ...note, id: undefined, occurredAt: undefined, createdAt: undefined, updatedAt: undefined },
    {
      id: undefined,
      contactId: contact.id,
      companyId: company.id,
      kind: 'note',
      direction: null,
      subject: null,
      body: 'Wants the brochure in French.',
      occurredAt: undefined,
      durationMinutes: null,
      source: 'staff',
      ref: null,
      createdBy: { userId: tenant.adminUserId, email: 'owner@timeline.example' },
      createdAt: undefined,
      updatedAt: undefined,
    },
    "defaults: now, the contact's company, source staff, the writer",
  );
  assert.ok(Math.abs(Date.parse(String(note.occurredAt)) - Date.now()) < 60_000);
  assert.equal(callEntry.durationMinutes, 12);
  assert.equal(email.occurredAt, new Date(Date.parse(threeDaysAgo)).toISOString());

  const all = await timeline(token, contact.id);
  assert.deepEqual(
    all.items.map((a) => a.id),
    [note.id, meeting.id, callEntry.id, email.id],
    'newest first by when it happened, not by when it was written',
  );
  assert.equal(all.nextCursor, null);

  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await timeline(token, contact.id, `?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
    seen.push(...page.items.map((a) => a.id));
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor && pages < 10);
  assert.deepEqual(seen, [note.id, meeting.id, callEntry.id, email.id], 'none twice, none skipped');
  assert.equal(pages, 4);

  const calls = await timeline(token, contact.id, '?kind=call&kind=email');
  assert.deepEqual(
    calls.items.map((a) => a.kind),
    ['call', 'email'],
  );
  assert.equal((await call(token, 'GET', `${url}?kind=letter`)).statusCode, 400);
  const badCursor = await call(token, 'GET', `${url}?cursor=bm9wZQ`);
  assert.equal(badCursor.statusCode, 400);
  assert.equal(badCursor.json().code, 'INVALID_CURSOR');

  const reads = await withTenant(ctx.database.db, tenant.tenantId, async (tx) => {
    const { rows } = await sql<{ recordIds: string[]; purpose: string }>`
      select record_ids, purpose from access_log where purpose like '%activities'`.execute(tx);
    return rows;
  });
  assert.ok(reads.length >= 6);
  for (const read of reads) {
    assert.deepEqual(read, { recordIds: [contact.id], purpose: 'GET /api/v1/contacts/{id}/activities' });
  }

  const audit = await auditOf(tenant.tenantId, callEntry.id);
  assert.deepEqual(audit, [
    {
      action: 'activity.created',
      actorKind: 'api_token',
      changes: {
        kind: 'personal-data',
        fields: [
          'contactId',
          'companyId',
          'kind',
          'direction',
          'subject',
          'occurredAt',
          'durationMinutes',
          'source',
        ],
      },
    },
  ]);
  assert.ok(!JSON.stringify(await auditOf(tenant.tenantId, note.id)).includes('brochure'), 'no values');
});

test('bad entries: one 400 naming each bad field', async () => {
  const tenant = await ctx.newTenant();
  const token = tenant.apiToken;
  const contact = await created(token, '/api/v1/contacts', { lastName: 'Regel' });
  const url = `/api/v1/contacts/${contact.id}/activities`;

  const system = await call(token, 'POST', url, { kind: 'system', body: 'x' });
  assert.equal(system.statusCode, 400, 'staff cannot write system entries');
  assert.deepEqual(paths(system), ['kind']);

  const note = await call(token, 'POST', url, { kind: 'note', direction: 'inbound', durationMinutes: 5 });
  assert.equal(note.statusCode, 400);
  assert.equal(note.json().code, 'VALIDATION_FAILED');
  assert.deepEqual(paths(note), ['body', 'direction', 'durationMinutes']);

  const future = await call(token, 'POST', url, {
    kind: 'call',
    occurredAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
    durationMinutes: 1441,
  });
  assert.deepEqual(paths(future), ['durationMinutes', 'occurredAt'], 'types and rules in one answer');
  const later = await call(token, 'POST', url, {
    kind: 'call',
    occurredAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
  });
  assert.deepEqual(later.json().errors, [
    { path: 'occurredAt', message: 'must not be more than an hour in the future' },
  ]);
  assert.deepEqual(
    paths(await call(token, 'POST', url, { kind: 'call', occurredAt: '2026-01-01T10:00:00' })),
    ['occurredAt'],
  );
  assert.deepEqual(paths(await call(token, 'POST', url, { kind: 'note', body: 'x'.repeat(20_001) })), [
    'body',
  ]);
  assert.deepEqual(paths(await call(token, 'POST', url, { kind: 'email', direction: 'sideways' })), [
    'direction',
  ]);
  assert.deepEqual(paths(await call(token, 'POST', url, { kind: 'email' })), ['subject']);

  const unknownCompany = await call(token, 'POST', url, {
    kind: 'note',
    body: 'x',
    companyId: '00000000-0000-4000-8000-000000000000',
  });
  assert.equal(unknownCompany.statusCode, 400);
  assert.equal(unknownCompany.json().code, 'TIMELINE_INVALID_FIELDS');
  assert.deepEqual(paths(unknownCompany), ['companyId']);

  const ok = await created(token, url, { kind: 'note', body: 'fine' });
  const patched = await call(token, 'PATCH', `/api/v1/activities/${ok.id}`, {
    direction: 'inbound',
    body: null,
  });
  assert.equal(patched.statusCode, 400, 'judged against the stored entry: a note');
  assert.equal(patched.json().code, 'TIMELINE_INVALID_FIELDS');
  assert.deepEqual(paths(patched), ['body', 'direction']);
  const turned = await call(token, 'PATCH', `/api/v1/activities/${ok.id}`, {
    kind: 'call',
    direction: 'inbound',
    durationMinutes: 3,
  });
  assert.equal(turned.statusCode, 200, turned.body);
  assert.deepEqual(
    [turned.json().kind, turned.json().direction, turned.json().body],
    ['call', 'inbound', 'fine'],
  );
  assert.equal(
    (
      await call(token, 'POST', `/api/v1/contacts/00000000-0000-4000-8000-000000000000/activities`, {
        kind: 'note',
        body: 'x',
      })
    ).json().code,
    'CONTACTS_NOT_FOUND',
  );
});

test('staff entries change and go (audited by field name); form, consent and system entries are immutable', async () => {
  const tenant = await ctx.newTenant();
  const token = tenant.apiToken;
  const contact = await created(token, '/api/v1/contacts', { lastName: 'Fest' });
  const note = await created(token, `/api/v1/contacts/${contact.id}/activities`, {
    kind: 'note',
    subject: 'Draft',
    body: 'first words',
  });
  const patched = await call(token, 'PATCH', `/api/v1/activities/${note.id}`, { subject: 'Final' });
  assert.equal(patched.statusCode, 200, patched.body);
  assert.equal(patched.json().subject, 'Final');
  assert.equal(patched.json().body, 'first words', 'fields not given stay');
  const unchanged = await call(token, 'PATCH', `/api/v1/activities/${note.id}`, {});
  assert.equal(unchanged.statusCode, 200);

  const facts = await withTenant(ctx.database.db, tenant.tenantId, async (tx) => {
    const actor = systemActor(tenant.tenantId);
    return [
      await recordActivity(tx, actor, {
        contactId: contact.id,
        kind: 'form_submission',
        source: 'form',
        subject: 'Contact form',
        occurredAt: ago(3),
        ref: { type: 'form_submission', id: 'sub-1' },
      }),
      await recordActivity(tx, actor, {
        contactId: contact.id,
        kind: 'consent',
        source: 'consent',
        subject: 'Newsletter: yes',
        occurredAt: ago(2),
        ref: { type: 'consent_event', id: 'ev-1' },
      }),
      await recordActivity(tx, actor, {
        contactId: contact.id,
        kind: 'system',
        body: 'Merged duplicate',
        occurredAt: ago(1),
      }),
    ];
  });
  for (const { id } of facts) {
    for (const method of ['PATCH', 'DELETE'] as const) {
      const response = await call(
        token,
        method,
        `/api/v1/activities/${id}`,
        method === 'PATCH' ? { subject: 'x' } : undefined,
      );
      assert.equal(response.statusCode, 409, `${method} ${response.body}`);
      assert.equal(response.json().code, 'TIMELINE_ACTIVITY_IMMUTABLE');
    }
  }
  const listed = await timeline(token, contact.id);
  assert.deepEqual(
    listed.items.map((a) => [a.kind, a.source, a.ref, a.createdBy]),
    [
      ['note', 'staff', null, note.createdBy],
      ['system', 'system', null, null],
      ['consent', 'consent', { type: 'consent_event', id: 'ev-1' }, null],
      ['form_submission', 'form', { type: 'form_submission', id: 'sub-1' }, null],
    ],
  );

  assert.equal((await call(token, 'DELETE', `/api/v1/activities/${note.id}`)).statusCode, 204);
  assert.equal(
    (await call(token, 'PATCH', `/api/v1/activities/${note.id}`, { subject: 'x' })).statusCode,
    404,
  );
  const gone = await call(token, 'DELETE', `/api/v1/activities/${note.id}`);
  assert.equal(gone.statusCode, 404);
  assert.equal(gone.json().code, 'TIMELINE_ACTIVITY_NOT_FOUND');
  assert.deepEqual(
    (await auditOf(tenant.tenantId, note.id)).map((a) => [a.action, a.changes.fields]),
    [
      ['activity.created', ['contactId', 'kind', 'subject', 'body', 'occurredAt', 'source']],
      ['activity.updated', ['subject']],
      ['activity.deleted', ['id', 'contactId', 'kind', 'subject', 'body', 'occurredAt', 'source']],
    ],
  );
  assert.deepEqual(
    (await auditOf(tenant.tenantId, facts[0]?.id as string)).map((a) => [a.action, a.actorKind]),
    [['activity.created', 'system']],
  );

  const sales = await ctx.newUser(tenant.tenantId, ['sales']);
  const salesNote = await created(sales.token, `/api/v1/contacts/${contact.id}/activities`, {
    kind: 'note',
    body: 'mine',
  });
  assert.equal(
    (await call(sales.token, 'PATCH', `/api/v1/activities/${salesNote.id}`, { body: 'edited' })).statusCode,
    200,
  );
  const refused = await call(sales.token, 'DELETE', `/api/v1/activities/${salesNote.id}`);
  assert.equal(refused.statusCode, 403, 'deleting an entry needs contacts:delete');
});

test('recordActivity is idempotent per reference: a retried job adds one entry, never two', async () => {
  const tenant = await ctx.newTenant();
  const contact = await created(tenant.apiToken, '/api/v1/contacts', { lastName: 'Wiederholt' });
  const other = await created(tenant.apiToken, '/api/v1/contacts', { lastName: 'Andere' });
  const actor = systemActor(tenant.tenantId);
  const entry = {
    contactId: contact.id,
    kind: 'email' as const,
    direction: 'outbound' as const,
    source: 'mail' as const,
    subject: 'Your order',
    occurredAt: new Date(Date.now() - 60_000),
    ref: { type: 'mail_message', id: 'msg-42' },
  };
  const first = await withTenant(ctx.database.db, tenant.tenantId, (tx) => recordActivity(tx, actor, entry));
  const again = await withTenant(ctx.database.db, tenant.tenantId, (tx) => recordActivity(tx, actor, entry));
  assert.equal(first.created, true);
  assert.deepEqual(again, { id: first.id, created: false });

  // Two attempts at once (on PostgreSQL truly concurrent): one entry, both see its id.
  const racing = { ...entry, ref: { type: 'mail_message', id: 'msg-43' } };
  const both = await Promise.all([
    withTenant(ctx.database.db, tenant.tenantId, (tx) => recordActivity(tx, actor, racing)),
    withTenant(ctx.database.db, tenant.tenantId, (tx) => recordActivity(tx, actor, racing)),
  ]);
  assert.equal(both[0].id, both[1].id);
  assert.deepEqual(both.map((b) => b.created).sort(), [false, true]);

  const items = (await timeline(tenant.apiToken, contact.id)).items;
  assert.equal(items.length, 2);
  assert.equal((await auditOf(tenant.tenantId, first.id)).length, 1, 'audited once');

  const elsewhere = await rejection(
    withTenant(ctx.database.db, tenant.tenantId, (tx) =>
      recordActivity(tx, actor, { ...entry, contactId: other.id }),
    ),
  );
  assert.equal(elsewhere.code, 'TIMELINE_REF_CONFLICT');
  const invalid = await rejection(
    withTenant(ctx.database.db, tenant.tenantId, (tx) =>
      recordActivity(tx, actor, { contactId: contact.id, kind: 'note', durationMinutes: 3 }),
    ),
  );
  assert.equal(invalid.code, 'TIMELINE_INVALID_FIELDS');
  assert.deepEqual(invalid.details?.map((d) => d.path).sort(), ['body', 'durationMinutes']);
  const missing = await rejection(
    withTenant(ctx.database.db, tenant.tenantId, (tx) =>
      recordActivity(tx, actor, {
        contactId: '00000000-0000-4000-8000-000000000000',
        kind: 'system',
        body: 'x',
      }),
    ),
  );
  assert.equal(missing.code, 'CONTACTS_NOT_FOUND');
  // A retry after the first attempt rolled back records it then.
  await assert.rejects(
    withTenant(ctx.database.db, tenant.tenantId, async (tx) => {
      await recordActivity(tx, actor, { ...entry, ref: { type: 'mail_message', id: 'msg-44' } });
      throw new Error('the job crashed after recording');
    }),
    /crashed/,
  );
  const retried = await withTenant(ctx.database.db, tenant.tenantId, (tx) =>
    recordActivity(tx, actor, { ...entry, ref: { type: 'mail_message', id: 'msg-44' } }),
  );
  assert.equal(retried.created, true);
});

test('field access: notes none hides subject and body, masked masks them, in lists and answers to writes', async () => {
  const tenant = await ctx.newTenant();
  const contact = await created(tenant.apiToken, '/api/v1/contacts', { lastName: 'Vertraulich' });
  const url = `/api/v1/contacts/${contact.id}/activities`;
  await created(tenant.apiToken, url, {
    kind: 'call',
    subject: 'Complaint',
    body: 'Angry about the invoice',
  });
  const marketing = await ctx.newUser(tenant.tenantId, ['marketing']);
  const accounting = await ctx.newUser(tenant.tenantId, ['accounting']);
  const sales = await ctx.newUser(tenant.tenantId, ['sales']);

  const hidden = (await timeline(marketing.token, contact.id)).items[0];
  assert.deepEqual(
    [hidden?.subject, hidden?.body, hidden?.kind],
    [null, null, 'call'],
    'the entry, not its text',
  );
  const masked = (await timeline(accounting.token, contact.id)).items[0];
  assert.deepEqual([masked?.subject, masked?.body], ['C******', 'A******']);
  const full = (await timeline(sales.token, contact.id)).items[0];
  assert.deepEqual([full?.subject, full?.body], ['Complaint', 'Angry about the invoice']);

  const written = await created(marketing.token, url, { kind: 'note', body: 'Sent the flyer' });
  assert.equal(written.body, null, 'answers to writes are shaped too');
});

test('a user limited to a group sees and writes only the timelines of contacts in that group', async () => {
  const tenant = await ctx.newTenant();
  const admin = tenant.apiToken;
  const north = await created(admin, '/api/v1/contacts', { lastName: 'Nord', tags: ['Nord'] });
  const south = await created(admin, '/api/v1/contacts', { lastName: 'Süd', tags: ['Süd'] });
  const northNote = await created(admin, `/api/v1/contacts/${north.id}/activities`, {
    kind: 'note',
    body: 'n',
  });
  const southNote = await created(admin, `/api/v1/contacts/${south.id}/activities`, {
    kind: 'note',
    body: 's',
  });
  const sales = await ctx.newUser(tenant.tenantId, ['sales']);
  await call(admin, 'PATCH', `/api/v1/users/${sales.userId}`, { contactScope: ['Nord'] });

  assert.deepEqual(
    (await timeline(sales.token, north.id)).items.map((a) => a.id),
    [northNote.id],
  );
  for (const [method, url, body] of [
    ['GET', `/api/v1/contacts/${south.id}/activities`, undefined],
    ['POST', `/api/v1/contacts/${south.id}/activities`, { kind: 'note', body: 'x' }],
    ['PATCH', `/api/v1/activities/${southNote.id}`, { body: 'x' }],
  ] as const) {
    const response = await call(sales.token, method, url, body);
    assert.equal(response.statusCode, 404, `${method} ${url}`);
  }
  // Row-level security itself, not only the service: the scoped transaction sees no such rows.
  const visible = await withPrincipal(
    ctx.database.db,
    { tenantId: tenant.tenantId, contactScope: ['nord'] },
    async (tx) => {
      const { rows } = await sql<{ id: string }>`select id from activity order by id`.execute(tx);
      return rows.map((r) => r.id);
    },
  );
  assert.deepEqual(visible, [northNote.id]);
  await assert.rejects(
    withPrincipal(ctx.database.db, { tenantId: tenant.tenantId, contactScope: ['nord'] }, (tx) =>
      sql`insert into activity (tenant_id, contact_id, kind, body, source) values (${tenant.tenantId}, ${south.id}, 'note', 'x', 'staff')`.execute(
        tx,
      ),
    ),
    /row-level security/,
  );
  assert.equal((await timeline(admin, south.id)).items.length, 1, 'the other group is untouched');
});

test("another tenant's contacts and activities are 404, and an activity cannot point at its rows", async () => {
  const a = await ctx.newTenant();
  const b = await ctx.newTenant();
  const theirs = await created(b.apiToken, '/api/v1/contacts', { lastName: 'Fremd' });
  const theirCompany = await created(b.apiToken, '/api/v1/companies', { name: 'Fremd AG' });
  const theirNote = await created(b.apiToken, `/api/v1/contacts/${theirs.id}/activities`, {
    kind: 'note',
    body: 'b',
  });
  const list = await call(a.apiToken, 'GET', `/api/v1/contacts/${theirs.id}/activities`);
  assert.equal(list.statusCode, 404);
  assert.equal(list.json().code, 'CONTACTS_NOT_FOUND');
  assert.equal(
    (await call(a.apiToken, 'POST', `/api/v1/contacts/${theirs.id}/activities`, { kind: 'note', body: 'x' }))
      .statusCode,
    404,
  );
  for (const method of ['PATCH', 'DELETE'] as const) {
    const response = await call(
      a.apiToken,
      method,
      `/api/v1/activities/${theirNote.id}`,
      method === 'PATCH' ? { body: 'x' } : undefined,
    );
    assert.equal(response.statusCode, 404, method);
    assert.equal(response.json().code, 'TIMELINE_ACTIVITY_NOT_FOUND');
  }
  const mine = await created(a.apiToken, '/api/v1/contacts', { lastName: 'Eigen' });
  const referencing = await call(a.apiToken, 'POST', `/api/v1/contacts/${mine.id}/activities`, {
    kind: 'note',
    body: 'x',
    companyId: theirCompany.id,
  });
  assert.equal(referencing.statusCode, 400);
  assert.deepEqual(paths(referencing), ['companyId']);
  await assert.rejects(
    withTenant(ctx.database.db, a.tenantId, (tx) =>
      sql`insert into activity (tenant_id, contact_id, kind, body, source) values (${a.tenantId}, ${theirs.id}, 'note', 'x', 'staff')`.execute(
        tx,
      ),
    ),
    /foreign key/,
    'the composite key refuses another tenant’s contact, whatever the application does',
  );
  assert.equal((await timeline(b.apiToken, theirs.id)).items.length, 1);
});

test('the OpenAPI document describes the timeline endpoints', async () => {
  const doc = (await ctx.app.inject({ url: '/api/openapi.json' })).json();
  assert.ok(doc.paths['/api/v1/contacts/{id}/activities']?.get);
  assert.ok(doc.paths['/api/v1/contacts/{id}/activities']?.post);
  assert.ok(doc.paths['/api/v1/activities/{id}']?.patch);
  assert.ok(doc.paths['/api/v1/activities/{id}']?.delete);
});
