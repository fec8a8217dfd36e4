import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';
import { sweepBlobs } from '../../kernel/blob/sweep.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import type { RunningJob } from '../../kernel/jobs/jobs.ts';
import { createRole, createUser, issueApiToken } from '../identity/index.ts';
import { maskValue } from '../privacy/index.ts';
import { deleteExpiredExportsJob } from './index.ts';

// The real application with its job workers running: an export is produced by the queue, as in
// `kontor serve`. Every test makes its own tenant.
let ctx: TestContext;
before(async () => {
  ctx = await testContext({ work: true });
});
after(() => ctx.close());

type Json = Record<string, unknown>;
type Tenant = Awaited<ReturnType<TestContext['newTenant']>>;

async function call(token: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Json) {
  return ctx.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
}

async function created(token: string, url: string, payload: Json): Promise<Json & { id: string }> {
  const response = await call(token, 'POST', url, payload);
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}

/** A user whose only role can read and export contacts and sees billing masked, notes not at all. */
async function exporter(tenantId: string, name = 'Exporter'): Promise<{ userId: string; token: string }> {
  return withTenant(ctx.database.db, tenantId, async (tx) => {
    const role = await createRole(tx, tenantId, {
      name,
      rights: ['contacts:read', 'contacts:export'],
      fieldAccess: { billing: 'masked', notes: 'none' },
    });
    const user = await createUser(tx, {
      tenantId,
      email: `${name.toLowerCase()}@example.com`,
      roleIds: [role.id],
    });
    const { token } = await issueApiToken(tx, { tenantId, userId: user.id, name: 't' });
    return { userId: user.id, token };
  });
}

/** Persons with an IBAN, a note and two custom fields: one billing (masked), one notes (hidden). */
async function seedContacts(tenant: Tenant, n: number, tag = 'VIP'): Promise<string[]> {
  if (!defined.has(tenant.tenantId)) {
    await defineCustomFields(tenant);
    defined.add(tenant.tenantId);
  }
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const contact = await created(tenant.apiToken, '/api/v1/contacts', {
      salutation: 'Frau',
      firstName: `Anna${i}`,
      lastName: 'Müller',
      email: `anna${i}@example.ch`,
      phone: '+41446681800',
      city: 'Zürich',
      country: 'CH',
      birthday: '1984-02-29',
      iban: 'DE89 3704 0044 0532 0130 00',
      notes: 'Secret note',
      tags: [tag],
      customFields: { card_no: `4111${i}`, mood: 'grumpy' },
    });
    ids.push(contact.id);
  }
  return ids;
}

const defined = new Set<string>();

async function defineCustomFields(tenant: Tenant): Promise<void> {
  for (const [key, dataCategory] of [
    ['card_no', 'billing'],
    ['mood', 'notes'],
  ]) {
    await created(tenant.apiToken, '/api/v1/custom-fields', {
      objectType: 'contact',
      key,
      label: key,
      type: 'text',
      dataCategory,
    });
  }
}

const TERMINAL = new Set(['ready', 'failed', 'rejected', 'cancelled', 'expired']);

async function settled(token: string, id: string, seconds = 30): Promise<Json> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const response = await call(token, 'GET', `/api/v1/exports/${id}`);
    assert.equal(response.statusCode, 200, response.body);
    const view = response.json();
    if (TERMINAL.has(view.status)) return view;
    if (Date.now() > deadline) assert.fail(`export ${id} still ${view.status} after ${seconds} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function setThreshold(tenant: Tenant, bulkExportThreshold: number): Promise<void> {
  const response = await call(tenant.apiToken, 'PATCH', '/api/v1/settings/privacy', { bulkExportThreshold });
  assert.equal(response.statusCode, 200, response.body);
  assert.equal(response.json().bulkExportThreshold, bulkExportThreshold);
}

async function exportLog(tenantId: string) {
  return withTenant(ctx.database.db, tenantId, async (tx) => {
    const { rows } = await sql<{ userId: string; recordIds: string[]; purpose: string; kind: string }>`
      select user_id, record_ids, purpose, kind from access_log where kind = 'export'
      order by occurred_at, id`.execute(tx);
    return rows;
  });
}

async function blobCount(tenantId: string): Promise<number> {
  const stored = await withTenant(ctx.database.db, tenantId, async (tx) => {
    const { rows } = await sql<{ blobKey: string }>`
      select blob_key from data_export where blob_key is not null`.execute(tx);
    return rows;
  });
  let n = 0;
  for (const r of stored) if (await ctx.blobs.exists(r.blobKey)) n += 1;
  return n;
}

test('a Sales user, without contacts:export, gets 403 and nothing is exported', async () => {
  const tenant = await ctx.newTenant();
  await seedContacts(tenant, 1);
  const sales = await ctx.newUser(tenant.tenantId, ['sales']);
  const response = await call(sales.token, 'POST', '/api/v1/exports', { format: 'csv' });
  assert.equal(response.statusCode, 403);
  assert.equal(response.json().code, 'FORBIDDEN');
  assert.deepEqual(await exportLog(tenant.tenantId), []);
});

test('an export at or below the threshold runs at once: the CSV shows what the requester may see', async () => {
  const tenant = await ctx.newTenant();
  const ids = await seedContacts(tenant, 3);
  const user = await exporter(tenant.tenantId);
  const asked = await call(user.token, 'POST', '/api/v1/exports', { format: 'csv', delimiter: ';' });
  assert.equal(asked.statusCode, 202, asked.body);
  assert.deepEqual(
    { ...(asked.json() as Json), id: undefined },
    { id: undefined, status: 'queued', count: 3, approvalId: null },
  );

  const done = await settled(user.token, asked.json().id);
  assert.equal(done.status, 'ready', JSON.stringify(done));
  assert.equal(done.exportedCount, 3);
  assert.ok(Date.parse(String(done.expiresAt)) - Date.now() > 23 * 3600_000, 'the file lives 24 hours');

  const file = await call(user.token, 'GET', `/api/v1/exports/${done.id}/download`);
  assert.equal(file.statusCode, 200, file.body);
  assert.equal(file.headers['content-type'], 'text/csv; charset=utf-8');
  assert.match(
    String(file.headers['content-disposition']),
    /^attachment; filename="kontor-contacts-\d{8}-\d{4}\.csv"$/,
  );
  assert.equal(file.headers['cache-control'], 'no-store');
  assert.deepEqual([...file.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
  const rows = parse(file.rawPayload.toString('utf8').slice(1), { delimiter: ';', columns: true }) as Record<
    string,
    string
  >[];
  assert.equal(rows.length, 3);
  const headers = Object.keys(rows[0] ?? {});
  assert.ok(
    headers.includes('iban') && headers.includes('lastName') && headers.includes('customFields.card_no'),
  );
  assert.ok(!headers.includes('notes'), 'notes are hidden from this role: no column at all');
  assert.ok(!headers.includes('customFields.mood'), 'a custom field of a hidden category: no column');
  assert.deepEqual(new Set(rows.map((r) => r.id)), new Set(ids));
  for (const row of rows) {
    assert.equal(row.iban, 'DE89 **** **** 3000', 'billing is masked for this role');
    assert.equal(row.lastName, 'Müller');
    assert.equal(row.birthday, '1984-02-29');
    assert.equal(row['customFields.card_no'], maskValue('card_no', `4111${row.firstName?.slice(4)}`));
    assert.match(String(row['customFields.card_no']), /^4\*+$/, 'a billing custom field is masked too');
    assert.equal(row.tags, 'VIP');
  }
  assert.ok(!file.rawPayload.toString('utf8').includes('Secret note'));
  assert.ok(!file.rawPayload.toString('utf8').includes('grumpy'));

  // The export is in the access log: the requester, every record id, never an address.
  const log = await exportLog(tenant.tenantId);
  assert.equal(log.length, 1);
  assert.equal(log[0]?.userId, user.userId);
  assert.deepEqual(new Set(log[0]?.recordIds), new Set(ids));
  assert.match(String(log[0]?.purpose), new RegExp(`^export ${done.id}`));
  const stored = await withTenant(ctx.database.db, tenant.tenantId, async (tx) => {
    const { rows } = await sql<{ row: string }>`
      select row_to_json(a)::text as row from access_log a where kind = 'export'`.execute(tx);
    return rows.map((r) => r.row).join('\n');
  });
  assert.ok(!/\b\d{1,3}(\.\d{1,3}){3}\b|::1|127\.0\.0\.1/.test(stored), `no address in ${stored}`);
});

test('XLSX and vCard exports hold the same rows, masked and hidden alike', async () => {
  const tenant = await ctx.newTenant();
  await seedContacts(tenant, 2);
  const user = await exporter(tenant.tenantId);

  const xlsx = await call(user.token, 'POST', '/api/v1/exports', {
    format: 'xlsx',
    fields: ['lastName', 'firstName', 'iban', 'notes', 'email'],
  });
  assert.equal(xlsx.statusCode, 202, xlsx.body);
  assert.equal((await settled(user.token, xlsx.json().id)).status, 'ready');
  const xlsxFile = await call(user.token, 'GET', `/api/v1/exports/${xlsx.json().id}/download`);
  assert.equal(xlsxFile.statusCode, 200);
  assert.equal(
    xlsxFile.headers['content-type'],
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsxFile.rawPayload as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  assert.ok(sheet);
  const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
  assert.deepEqual(
    values(1),
    ['firstName', 'lastName', 'email', 'iban'],
    'asked fields in column order, notes left out',
  );
  assert.equal(sheet.rowCount, 3);
  for (const n of [2, 3]) {
    assert.equal(values(n)[1], 'Müller');
    assert.equal(values(n)[3], 'DE89 **** **** 3000');
  }

  const vcard = await call(user.token, 'POST', '/api/v1/exports', { format: 'vcard' });
  assert.equal((await settled(user.token, vcard.json().id)).status, 'ready');
  const vcf = await call(user.token, 'GET', `/api/v1/exports/${vcard.json().id}/download`);
  assert.equal(vcf.headers['content-type'], 'text/vcard; charset=utf-8');
  assert.match(String(vcf.headers['content-disposition']), /\.vcf"$/);
  const text = vcf.body.replace(/\r\n[ \t]/g, '');
  assert.equal(text.match(/^BEGIN:VCARD\r$/gm)?.length, 2);
  assert.equal(text.match(/^VERSION:4\.0\r$/gm)?.length, 2);
  assert.match(text, /^N:Müller;Anna0;;Frau;\r$/m);
  assert.match(text, /^FN:Anna1 Müller\r$/m);
  assert.match(text, /^TEL;VALUE=uri;TYPE=voice:tel:\+41446681800\r$/m);
  assert.match(text, /^BDAY:19840229\r$/m);
  assert.match(text, /^ADR:;;;Zürich;;;Switzerland\r$/m);
  assert.ok(!/^NOTE/m.test(text), 'notes are hidden from this role');
  assert.equal((await exportLog(tenant.tenantId)).length, 2, 'each export is in the access log');
});

test('above the threshold an export waits for approval and no file is made; approved, only the requester downloads it', async () => {
  const tenant = await ctx.newTenant();
  await setThreshold(tenant, 3);
  const ids = await seedContacts(tenant, 4);
  const admin = await ctx.newUser(tenant.tenantId, ['admin']);
  const officer = await ctx.newUser(tenant.tenantId, ['privacy_officer']);

  const asked = await call(admin.token, 'POST', '/api/v1/exports', {
    format: 'csv',
    reason: 'Annual mailing to our printer',
  });
  assert.equal(asked.statusCode, 202, asked.body);
  const { id, status, count, approvalId } = asked.json();
  assert.equal(status, 'awaiting_approval');
  assert.equal(count, 4);
  assert.match(String(approvalId), /^[0-9a-f-]{36}$/);

  // The same export asked again while it waits: the same request, not a second one.
  const again = await call(admin.token, 'POST', '/api/v1/exports', { format: 'csv', reason: 'again' });
  assert.deepEqual(again.json(), asked.json());

  // Nothing has been read or written meanwhile.
  await new Promise((r) => setTimeout(r, 1500));
  const waiting = await call(admin.token, 'GET', `/api/v1/exports/${id}`);
  assert.equal(waiting.json().status, 'awaiting_approval');
  const early = await call(admin.token, 'GET', `/api/v1/exports/${id}/download`);
  assert.equal(early.statusCode, 409);
  assert.equal(early.json().code, 'EXPORTS_NOT_READY');
  assert.deepEqual(await exportLog(tenant.tenantId), []);
  assert.equal(await blobCount(tenant.tenantId), 0);

  // The privacy officer sees the request with what would run.
  const pending = await call(officer.token, 'GET', '/api/v1/approvals?status=pending');
  assert.equal(pending.statusCode, 200);
  assert.equal(pending.json().items.length, 1);
  const request = pending.json().items[0];
  assert.equal(request.id, approvalId);
  assert.equal(request.kind, 'export');
  assert.equal(request.reason, 'Annual mailing to our printer');
  assert.equal(request.requestedBy, admin.userId);
  assert.deepEqual(
    { ...request.subject, exportId: undefined },
    {
      exportId: undefined,
      recordType: 'contact',
      format: 'csv',
      fields: null,
      count: 4,
      threshold: 3,
      source: { kind: 'all' },
      options: { delimiter: ',' },
    },
  );

  const approved = await call(officer.token, 'POST', `/api/v1/approvals/${approvalId}/approve`, {
    note: 'Printer has a DPA',
  });
  assert.equal(approved.statusCode, 200, approved.body);
  assert.equal(approved.json().status, 'approved');
  assert.equal(approved.json().decidedBy, officer.userId);
  assert.equal(approved.json().decisionNote, 'Printer has a DPA');

  const done = await settled(admin.token, id);
  assert.equal(done.status, 'ready');
  assert.equal(done.exportedCount, 4);
  const file = await call(admin.token, 'GET', `/api/v1/exports/${id}/download`);
  assert.equal(file.statusCode, 200);
  assert.equal(file.body.trim().split('\r\n').length, 5, 'a header and four rows');

  // Only the requester: the approver, or anyone else, does not even see the export.
  for (const other of [officer.token, tenant.apiToken]) {
    assert.equal((await call(other, 'GET', `/api/v1/exports/${id}/download`)).statusCode, 404);
    assert.equal((await call(other, 'GET', `/api/v1/exports/${id}`)).statusCode, 404);
  }

  const log = await exportLog(tenant.tenantId);
  assert.equal(log.length, 1);
  assert.equal(log[0]?.userId, admin.userId, 'the export is logged for its requester');
  assert.deepEqual(new Set(log[0]?.recordIds), new Set(ids));

  const audit = await withTenant(ctx.database.db, tenant.tenantId, async (tx) => {
    const { rows } = await sql<{ action: string; actorUserId: string }>`
      select action, actor_user_id from audit_log where entity_id = ${approvalId} order by seq`.execute(tx);
    return rows;
  });
  assert.deepEqual(audit, [
    { action: 'approval.requested', actorUserId: admin.userId },
    { action: 'approval.approved', actorUserId: officer.userId },
  ]);
});

test('a rejected or withdrawn request never produces a file', async () => {
  const tenant = await ctx.newTenant();
  await setThreshold(tenant, 1);
  await seedContacts(tenant, 2);
  const admin = await ctx.newUser(tenant.tenantId, ['admin']);
  const officer = await ctx.newUser(tenant.tenantId, ['privacy_officer']);

  const rejected = (await call(admin.token, 'POST', '/api/v1/exports', { format: 'vcard' })).json();
  const no = await call(officer.token, 'POST', `/api/v1/approvals/${rejected.approvalId}/reject`, {
    note: 'Not needed for that',
  });
  assert.equal(no.statusCode, 200, no.body);
  assert.equal(no.json().status, 'rejected');
  assert.equal((await settled(admin.token, rejected.id)).status, 'rejected');
  // A decided request stays decided.
  const late = await call(officer.token, 'POST', `/api/v1/approvals/${rejected.approvalId}/approve`);
  assert.equal(late.statusCode, 409);
  assert.equal(late.json().code, 'APPROVALS_NOT_PENDING');

  const withdrawn = (await call(admin.token, 'POST', '/api/v1/exports', { format: 'xlsx' })).json();
  const cancel = await call(admin.token, 'POST', `/api/v1/approvals/${withdrawn.approvalId}/cancel`);
  assert.equal(cancel.statusCode, 200, cancel.body);
  assert.equal(cancel.json().status, 'cancelled');
  assert.equal((await settled(admin.token, withdrawn.id)).status, 'cancelled');

  await new Promise((r) => setTimeout(r, 1000));
  for (const id of [rejected.id, withdrawn.id]) {
    const download = await call(admin.token, 'GET', `/api/v1/exports/${id}/download`);
    assert.equal(download.statusCode, 409);
    assert.equal(download.json().code, 'EXPORTS_NOT_READY');
  }
  assert.deepEqual(await exportLog(tenant.tenantId), [], 'nothing was read');
  assert.equal(await blobCount(tenant.tenantId), 0);

  const mine = await call(admin.token, 'GET', '/api/v1/exports');
  assert.deepEqual(
    (mine.json().items as { id: string; status: string }[]).map((e) => [e.id, e.status]),
    [
      [withdrawn.id, 'cancelled'],
      [rejected.id, 'rejected'],
    ],
    'your exports, newest first',
  );
  assert.deepEqual((await call(officer.token, 'GET', '/api/v1/exports')).json().items, [], 'only your own');
});

test('a requester who lost contacts:export before the approval gets no file', async () => {
  const tenant = await ctx.newTenant();
  await setThreshold(tenant, 0);
  await seedContacts(tenant, 1);
  const admin = await ctx.newUser(tenant.tenantId, ['admin']);
  const officer = await ctx.newUser(tenant.tenantId, ['privacy_officer']);
  const asked = (await call(admin.token, 'POST', '/api/v1/exports', { format: 'csv' })).json();
  assert.equal(asked.status, 'awaiting_approval', 'threshold 0: every export needs approval');
  const readOnly = await withTenant(ctx.database.db, tenant.tenantId, async (tx) => {
    const role = await tx
      .selectFrom('role')
      .select('id')
      .where('builtinKey', '=', 'read_only')
      .executeTakeFirstOrThrow();
    return role.id;
  });
  const demoted = await call(tenant.apiToken, 'PATCH', `/api/v1/users/${admin.userId}`, {
    roleIds: [readOnly],
  });
  assert.equal(demoted.statusCode, 200, demoted.body);
  assert.equal(
    (await call(officer.token, 'POST', `/api/v1/approvals/${asked.approvalId}/approve`)).statusCode,
    200,
  );
  // The requester can no longer look (no right): the tenant's state shows the outcome.
  const deadline = Date.now() + 20_000;
  let row: { status: string; errorCode: string | null } | undefined;
  while (Date.now() < deadline) {
    row = await withTenant(ctx.database.db, tenant.tenantId, (tx) =>
      tx
        .withTables<{ dataExport: { id: string; status: string; errorCode: string | null } }>()
        .selectFrom('dataExport')
        .select(['status', 'errorCode'])
        .where('id', '=', asked.id)
        .executeTakeFirstOrThrow(),
    );
    if (row.status === 'failed') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(row, { status: 'failed', errorCode: 'EXPORTS_REQUESTER_LACKS_RIGHT' });
  assert.deepEqual(await exportLog(tenant.tenantId), []);
});

test('ids, a filter or a saved selection choose the contacts; bodies are checked field by field', async () => {
  const tenant = await ctx.newTenant();
  const vip = await seedContacts(tenant, 2, 'VIP');
  await seedContacts(tenant, 1, 'Lead');
  const t = tenant.apiToken;

  const byIds = await call(t, 'POST', '/api/v1/exports', { format: 'csv', ids: [vip[0], vip[0]] });
  assert.equal(byIds.json().count, 1);
  const byFilter = await call(t, 'POST', '/api/v1/exports', {
    format: 'csv',
    filter: { tag: { hasAll: ['VIP'] } },
  });
  assert.equal(byFilter.statusCode, 202, byFilter.body);
  assert.equal(byFilter.json().count, 2);
  const selection = await created(t, '/api/v1/selections', {
    name: 'Leads',
    filter: { tag: { hasAll: ['Lead'] } },
  });
  const bySelection = await call(t, 'POST', '/api/v1/exports', { format: 'csv', selectionId: selection.id });
  assert.equal(bySelection.json().count, 1);
  const filtered = await settled(t, byFilter.json().id);
  const rows = parse(
    (await call(t, 'GET', `/api/v1/exports/${filtered.id}/download`)).rawPayload.toString('utf8').slice(1),
    { columns: true },
  ) as { id: string }[];
  assert.deepEqual(new Set(rows.map((r) => r.id)), new Set(vip));

  const bad = async (payload: Json, path: string) => {
    const response = await call(t, 'POST', '/api/v1/exports', payload);
    assert.equal(response.statusCode, 400, `${JSON.stringify(payload)}: ${response.body}`);
    assert.ok(
      (response.json().errors as { path: string }[]).some((e) => e.path === path),
      `${JSON.stringify(payload)} should name ${path}: ${response.body}`,
    );
  };
  await bad({ format: 'pdf' }, 'format');
  await bad({ format: 'xlsx', delimiter: ';' }, 'delimiter');
  await bad({ format: 'csv', ids: vip, filter: { tag: { hasAll: ['VIP'] } } }, 'filter');
  await bad({ format: 'csv', fields: ['lastName', 'shoeSize'] }, 'fields.1');
  await bad({ format: 'csv', ids: ['not-a-uuid'] }, 'ids.0');
  await bad({ format: 'csv', selectionId: '00000000-0000-4000-8000-000000000000' }, 'selectionId');
  await bad({ format: 'csv', filter: { field: 'shoe', op: 'eq', value: 1 } }, 'filter.field');
  await bad({ format: 'csv', ids: ['00000000-0000-4000-8000-000000000000'] }, 'ids');
  const unknown = await call(t, 'POST', '/api/v1/exports', { format: 'csv', everything: true });
  assert.equal(unknown.statusCode, 400, 'an unknown key is refused, never ignored');
});

test('another tenant’s export and approval ids are not found', async () => {
  const a = await ctx.newTenant();
  const b = await ctx.newTenant();
  await setThreshold(a, 0);
  await seedContacts(a, 1);
  const officerB = await ctx.newUser(b.tenantId, ['privacy_officer']);
  const asked = (await call(a.apiToken, 'POST', '/api/v1/exports', { format: 'csv' })).json();
  assert.equal(asked.status, 'awaiting_approval');
  for (const [method, url] of [
    ['GET', `/api/v1/exports/${asked.id}`],
    ['GET', `/api/v1/exports/${asked.id}/download`],
    ['GET', `/api/v1/approvals/${asked.approvalId}`],
    ['POST', `/api/v1/approvals/${asked.approvalId}/approve`],
    ['POST', `/api/v1/approvals/${asked.approvalId}/reject`],
    ['POST', `/api/v1/approvals/${asked.approvalId}/cancel`],
  ] as const) {
    for (const token of [b.apiToken, officerB.token]) {
      const response = await call(token, method, url);
      assert.equal(response.statusCode, 404, `${method} ${url}: ${response.body}`);
    }
  }
  assert.deepEqual((await call(b.apiToken, 'GET', '/api/v1/approvals')).json().items, []);
  const stillPending = await call(a.apiToken, 'GET', `/api/v1/approvals/${asked.approvalId}`);
  assert.equal(stillPending.json().status, 'pending');
});

test('24 hours after it was made the file is deleted from the blob store and the export expires', async () => {
  const tenant = await ctx.newTenant();
  await seedContacts(tenant, 1);
  const asked = (await call(tenant.apiToken, 'POST', '/api/v1/exports', { format: 'csv' })).json();
  const done = await settled(tenant.apiToken, asked.id);
  assert.equal(done.status, 'ready');
  assert.equal(await blobCount(tenant.tenantId), 1);
  const key = await withTenant(ctx.database.db, tenant.tenantId, async (tx) => {
    const { rows } = await sql<{ blobKey: string }>`
      update data_export set expires_at = now() - interval '1 second' where id = ${asked.id}
      returning blob_key`.execute(tx);
    return rows[0]?.blobKey as string;
  });
  // Past its expiry and before the clean-up: no longer handed out.
  const late = await call(tenant.apiToken, 'GET', `/api/v1/exports/${asked.id}/download`);
  assert.equal(late.statusCode, 404);
  assert.equal(late.json().code, 'EXPORTS_FILE_GONE');

  const job = deleteExpiredExportsJob({ db: ctx.database.db, logger: ctx.app.log as never });
  await job.handler({} as RunningJob<Record<string, never>>, {} as never);
  await sweepBlobs(ctx.database.db, ctx.blobs, ctx.app.log as never);
  assert.equal(await ctx.blobs.exists(key), false, 'the bytes are gone from the blob store');
  const expired = await call(tenant.apiToken, 'GET', `/api/v1/exports/${asked.id}`);
  assert.equal(expired.json().status, 'expired');
  assert.equal(
    (await call(tenant.apiToken, 'GET', `/api/v1/exports/${asked.id}/download`)).json().code,
    'EXPORTS_FILE_GONE',
  );
});

test('a user limited to some groups exports only the contacts of those groups', async () => {
  const tenant = await ctx.newTenant();
  const vip = await seedContacts(tenant, 2, 'VIP');
  const lead = await seedContacts(tenant, 1, 'Lead');
  const scoped = await withTenant(ctx.database.db, tenant.tenantId, async (tx) => {
    const role = await createRole(tx, tenant.tenantId, {
      name: 'VIP desk',
      rights: ['contacts:read', 'contacts:export'],
    });
    const user = await createUser(tx, {
      tenantId: tenant.tenantId,
      email: 'vip-desk@example.com',
      roleIds: [role.id],
      contactScope: ['VIP'],
    });
    return (await issueApiToken(tx, { tenantId: tenant.tenantId, userId: user.id, name: 't' })).token;
  });
  const all = await call(scoped, 'POST', '/api/v1/exports', { format: 'csv' });
  assert.equal(all.json().count, 2, 'every contact the user sees: the VIP ones');
  const outside = await call(scoped, 'POST', '/api/v1/exports', { format: 'csv', ids: lead });
  assert.equal(outside.statusCode, 400);
  assert.equal(outside.json().code, 'EXPORTS_NOTHING_TO_EXPORT');
  const done = await settled(scoped, all.json().id);
  const rows = parse(
    (await call(scoped, 'GET', `/api/v1/exports/${done.id}/download`)).rawPayload.toString('utf8').slice(1),
    { columns: true },
  ) as { id: string }[];
  assert.deepEqual(new Set(rows.map((r) => r.id)), new Set(vip));
});

test('the bulk-export threshold is a privacy setting (default 500, 0 or more), audited like the retention', async () => {
  const tenant = await ctx.newTenant();
  const read = await call(tenant.apiToken, 'GET', '/api/v1/settings/privacy');
  assert.deepEqual(read.json(), { accessLogRetentionDays: 365, bulkExportThreshold: 500 });
  for (const bad of [-1, 1.5, 'many']) {
    const response = await call(tenant.apiToken, 'PATCH', '/api/v1/settings/privacy', {
      bulkExportThreshold: bad,
    });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().errors[0].path, 'bulkExportThreshold');
  }
  const sales = await ctx.newUser(tenant.tenantId, ['sales']);
  const forbidden = await call(sales.token, 'PATCH', '/api/v1/settings/privacy', { bulkExportThreshold: 0 });
  assert.equal(forbidden.statusCode, 403);
  await setThreshold(tenant, 50);
  const audit = await withTenant(ctx.database.db, tenant.tenantId, async (tx) => {
    const { rows } = await sql<{ changes: { before: Json; after: Json } }>`
      select changes from audit_log where action = 'settings.privacy-changed' order by seq`.execute(tx);
    return rows;
  });
  assert.equal(audit.length, 1);
  assert.equal(audit[0]?.changes.before.bulkExportThreshold, 500);
  assert.equal(audit[0]?.changes.after.bulkExportThreshold, 50);
});

test('a deleted tenant takes its exports and approvals along and hands their files to the blob sweep', async () => {
  const tenant = await ctx.newTenant();
  await seedContacts(tenant, 1);
  const ready = (await call(tenant.apiToken, 'POST', '/api/v1/exports', { format: 'csv' })).json();
  assert.equal((await settled(tenant.apiToken, ready.id)).status, 'ready');
  await setThreshold(tenant, 0);
  const waiting = (await call(tenant.apiToken, 'POST', '/api/v1/exports', { format: 'vcard' })).json();
  assert.equal(waiting.status, 'awaiting_approval');
  const key = await withTenant(ctx.database.db, tenant.tenantId, async (tx) => {
    const { rows } = await sql<{ blobKey: string }>`
      select blob_key from data_export where id = ${ready.id}`.execute(tx);
    return rows[0]?.blobKey as string;
  });
  await ctx.database.asOwner((s) => s.query('DELETE FROM tenant WHERE id = $1', [tenant.tenantId]));
  const left = await ctx.database.asOwner((s) =>
    s.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM data_export WHERE tenant_id = $1)::int
            + (SELECT count(*) FROM approval_request WHERE tenant_id = $1)::int AS n`,
      [tenant.tenantId],
    ),
  );
  assert.equal(left[0]?.n, 0);
  await sweepBlobs(ctx.database.db, ctx.blobs, ctx.app.log as never);
  assert.equal(await ctx.blobs.exists(key), false);
});
