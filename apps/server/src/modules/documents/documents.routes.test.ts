import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';
import {
  docxBytes,
  exeBytes,
  multipartBody,
  pdfBytes,
  pngBytes,
  xlsxBytes,
} from '../../../test/support/files.ts';
import { silentLogger } from '../../../test/support/logger.ts';
import { sweepBlobs } from '../../kernel/blob/sweep.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { issueApiToken } from '../identity/index.ts';

// The real app on a real database, with a local blob store in a folder of its own. The queue
// only sends: a deletion must send (kick) the blob sweep, which the tests then run themselves
// (the queue drain is the one thing faked; the sweep job's handler is sweepBlobs).
const LIMIT = 256 * 1024;
let ctx: TestContext;
before(async () => {
  ctx = await testContext({ maxDocumentBytes: LIMIT });
});
after(() => ctx.close());

type Json = Record<string, unknown>;
type Doc = {
  id: string;
  contactId: string | null;
  companyId: string | null;
  fileName: string | null;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: { userId: string; email: string } | null;
  createdAt: string;
};

async function call(token: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Json) {
  return ctx.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
}

async function created(token: string, url: string, payload: Json): Promise<Json & { id: string }> {
  const response = await call(token, 'POST', url, payload);
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}

function upload(
  token: string,
  parent: 'contacts' | 'companies',
  id: string,
  files: { filename?: string; data: Buffer | string; contentType?: string; name?: string }[],
) {
  const { payload, headers } = multipartBody(files.map((f) => ({ name: f.name ?? 'file', ...f })));
  return ctx.app.inject({
    method: 'POST',
    url: `/api/v1/${parent}/${id}/documents`,
    headers: { ...bearer(token), ...headers },
    payload,
  });
}

async function uploaded(
  token: string,
  parent: 'contacts' | 'companies',
  id: string,
  file: { filename: string; data: Buffer; contentType?: string },
): Promise<Doc> {
  const response = await upload(token, parent, id, [file]);
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}

/** Every file in the blob folder, temporary files aside. */
function blobFiles(): string[] {
  return (fs.readdirSync(ctx.blobDir, { recursive: true }) as string[])
    .filter((f) => !f.startsWith('.tmp') && fs.statSync(path.join(ctx.blobDir, f)).isFile())
    .sort();
}

async function blobKeyOf(tenantId: string, documentId: string): Promise<string> {
  return withTenant(ctx.database.db, tenantId, async (tx) => {
    const { rows } = await sql<{
      blobKey: string;
    }>`select blob_key from document where id = ${documentId}`.execute(tx);
    assert.equal(rows.length, 1, 'the document row is there');
    return rows[0]?.blobKey as string;
  });
}

function fileOf(key: string): string {
  return path.join(ctx.blobDir, ...key.split('/'));
}

async function queuedSweeps(): Promise<number> {
  const rows = await ctx.database.asOwner((s) =>
    s.query<{ n: number }>(`select count(*)::int as n from pgboss.job where name = 'kernel.sweep-blobs'`),
  );
  return rows[0]?.n ?? 0;
}

/** The DELETE that just answered must have sent the sweep; run it as its worker would. */
async function sweepSentAndRun(sweepsBefore: number): Promise<void> {
  assert.ok((await queuedSweeps()) > sweepsBefore, 'the deletion sent the blob sweep job');
  await sweepBlobs(ctx.database.db, ctx.blobs, silentLogger());
}

async function documentCount(tenantId: string): Promise<number> {
  return withTenant(ctx.database.db, tenantId, async (tx) => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from document`.execute(tx);
    return rows[0]?.n ?? -1;
  });
}

async function userWithRole(tenant: { tenantId: string; apiToken: string }, role: Json) {
  const made = await call(tenant.apiToken, 'POST', '/api/v1/roles', role);
  assert.equal(made.statusCode, 201, made.body);
  const user = await call(tenant.apiToken, 'POST', '/api/v1/users', {
    email: `${String(role.name).toLowerCase().replace(/\W/g, '')}@example.com`,
    roleIds: [made.json().id],
  });
  assert.equal(user.statusCode, 201, user.body);
  const { token } = await withTenant(ctx.database.db, tenant.tenantId, (tx) =>
    issueApiToken(tx, { tenantId: tenant.tenantId, userId: user.json().id, name: 't' }),
  );
  return token;
}

test('a PDF uploaded to a person is listed, described and downloaded with safe headers; read logged, upload audited by id', async () => {
  const tenant = await ctx.newTenant();
  const person = await created(tenant.apiToken, '/api/v1/contacts', {
    firstName: 'Anna',
    lastName: 'Müller',
  });
  const bytes = pdfBytes();
  const doc = await uploaded(tenant.apiToken, 'contacts', person.id, {
    filename: 'Angebot Müller (final).pdf',
    data: bytes,
    contentType: 'application/octet-stream',
  });
  assert.equal(doc.contactId, person.id);
  assert.equal(doc.companyId, null);
  assert.equal(doc.fileName, 'Angebot Müller (final).pdf');
  assert.equal(doc.contentType, 'application/pdf', 'sniffed, not the declared octet-stream');
  assert.equal(doc.size, bytes.length);
  assert.equal(doc.sha256, createHash('sha256').update(bytes).digest('hex'));
  assert.equal(doc.uploadedBy?.userId, tenant.adminUserId);
  assert.match(doc.uploadedBy?.email ?? '', /@example\.com$/);
  assert.ok(
    fs.readFileSync(fileOf(await blobKeyOf(tenant.tenantId, doc.id))).equals(bytes),
    'the bytes are on disk',
  );

  const list = await call(tenant.apiToken, 'GET', `/api/v1/contacts/${person.id}/documents`);
  assert.equal(list.statusCode, 200, list.body);
  assert.deepEqual(list.json(), { items: [doc], nextCursor: null });
  const one = await call(tenant.apiToken, 'GET', `/api/v1/documents/${doc.id}`);
  assert.deepEqual(one.json(), doc);

  const download = await call(tenant.apiToken, 'GET', `/api/v1/documents/${doc.id}/content`);
  assert.equal(download.statusCode, 200);
  assert.ok(download.rawPayload.equals(bytes));
  assert.equal(download.headers['content-type'], 'application/pdf');
  assert.equal(
    download.headers['content-disposition'],
    `attachment; filename="Angebot Muller (final).pdf"; filename*=UTF-8''Angebot%20M%C3%BCller%20%28final%29.pdf`,
  );
  assert.equal(download.headers['x-content-type-options'], 'nosniff');
  assert.equal(download.headers['cache-control'], 'private, no-store');

  await withTenant(ctx.database.db, tenant.tenantId, async (tx) => {
    const audit = await sql<{ action: string; entityId: string; changes: { fields: string[] } }>`
      select action, entity_id, changes from audit_log where entity_type = 'document'`.execute(tx);
    assert.deepEqual(
      audit.rows.map((r) => [r.action, r.entityId]),
      [['document.created', doc.id]],
    );
    assert.doesNotMatch(
      JSON.stringify(audit.rows),
      /Angebot|Müller/,
      'the file name is not in the audit log',
    );
    const reads = await sql<{ recordType: string; recordIds: string[]; purpose: string }>`
      select record_type, record_ids, purpose from access_log where purpose like '%documents%' order by occurred_at, id`.execute(
      tx,
    );
    assert.deepEqual(
      reads.rows.map((r) => [r.recordType, r.recordIds, r.purpose]),
      [
        ['contact', [person.id], 'GET /api/v1/contacts/{id}/documents'],
        ['contact', [person.id], 'GET /api/v1/documents/{id}'],
        ['contact', [person.id], 'GET /api/v1/documents/{id}/content'],
      ],
    );
  });
});

test('deleting a company removes its persons, their and its documents, and the files in the blob store', async () => {
  const tenant = await ctx.newTenant();
  const company = await created(tenant.apiToken, '/api/v1/companies', { name: 'Beispiel AG' });
  const person = await created(tenant.apiToken, '/api/v1/contacts', {
    lastName: 'Meier',
    companyId: company.id,
  });
  const ofPerson = await uploaded(tenant.apiToken, 'contacts', person.id, {
    filename: 'Vertrag.pdf',
    data: pdfBytes(),
  });
  const ofCompany = await uploaded(tenant.apiToken, 'companies', company.id, {
    filename: 'Logo.png',
    data: pngBytes(),
  });
  const files = [
    fileOf(await blobKeyOf(tenant.tenantId, ofPerson.id)),
    fileOf(await blobKeyOf(tenant.tenantId, ofCompany.id)),
  ];
  assert.ok(files.every((f) => fs.existsSync(f)));
  const companyDocs = await call(tenant.apiToken, 'GET', `/api/v1/companies/${company.id}/documents`);
  assert.deepEqual(
    (companyDocs.json().items as Doc[]).map((d) => d.id),
    [ofCompany.id],
  );

  const sweeps = await queuedSweeps();
  assert.equal((await call(tenant.apiToken, 'DELETE', `/api/v1/companies/${company.id}`)).statusCode, 204);
  assert.ok(
    files.every((f) => fs.existsSync(f)),
    'files go after the commit, through the sweep',
  );
  assert.equal((await call(tenant.apiToken, 'GET', `/api/v1/contacts/${person.id}`)).statusCode, 404);
  assert.equal((await call(tenant.apiToken, 'GET', `/api/v1/documents/${ofPerson.id}`)).statusCode, 404);
  assert.equal((await call(tenant.apiToken, 'GET', `/api/v1/documents/${ofCompany.id}`)).statusCode, 404);
  assert.equal(await documentCount(tenant.tenantId), 0, 'the document rows are gone');
  await sweepSentAndRun(sweeps);
  assert.ok(
    files.every((f) => !fs.existsSync(f)),
    'both files are deleted from the blob store',
  );
});

test('deleting a person removes their documents and the files, and leaves other persons’ alone', async () => {
  const tenant = await ctx.newTenant();
  const person = await created(tenant.apiToken, '/api/v1/contacts', { lastName: 'Weg' });
  const other = await created(tenant.apiToken, '/api/v1/contacts', { lastName: 'Bleibt' });
  const gone = await uploaded(tenant.apiToken, 'contacts', person.id, {
    filename: 'a.pdf',
    data: pdfBytes(),
  });
  const kept = await uploaded(tenant.apiToken, 'contacts', other.id, { filename: 'b.pdf', data: pdfBytes() });
  const goneFile = fileOf(await blobKeyOf(tenant.tenantId, gone.id));
  const keptFile = fileOf(await blobKeyOf(tenant.tenantId, kept.id));

  const sweeps = await queuedSweeps();
  assert.equal((await call(tenant.apiToken, 'DELETE', `/api/v1/contacts/${person.id}`)).statusCode, 204);
  assert.equal((await call(tenant.apiToken, 'GET', `/api/v1/documents/${gone.id}`)).statusCode, 404);
  await sweepSentAndRun(sweeps);
  assert.equal(fs.existsSync(goneFile), false, 'the person’s file is deleted');
  assert.ok(fs.existsSync(keptFile), 'another person’s file stays');
  assert.equal(await documentCount(tenant.tenantId), 1);
});

test('DELETE /documents/{id} removes the document, audited, and its file', async () => {
  const tenant = await ctx.newTenant();
  const person = await created(tenant.apiToken, '/api/v1/contacts', { lastName: 'Einzeln' });
  const doc = await uploaded(tenant.apiToken, 'contacts', person.id, { filename: 'x.pdf', data: pdfBytes() });
  const file = fileOf(await blobKeyOf(tenant.tenantId, doc.id));
  const sweeps = await queuedSweeps();
  assert.equal((await call(tenant.apiToken, 'DELETE', `/api/v1/documents/${doc.id}`)).statusCode, 204);
  assert.equal((await call(tenant.apiToken, 'DELETE', `/api/v1/documents/${doc.id}`)).statusCode, 404);
  await sweepSentAndRun(sweeps);
  assert.equal(fs.existsSync(file), false, 'the file is deleted');
  const actions = await withTenant(ctx.database.db, tenant.tenantId, async (tx) => {
    const { rows } = await sql<{ action: string }>`
      select action from audit_log where entity_id = ${doc.id} order by seq`.execute(tx);
    return rows.map((r) => r.action);
  });
  assert.deepEqual(actions, ['document.created', 'document.deleted']);
});

test("another tenant's documents and persons are 404 for every document route", async () => {
  const mine = await ctx.newTenant();
  const theirs = await ctx.newTenant();
  const person = await created(theirs.apiToken, '/api/v1/contacts', { lastName: 'Fremd' });
  const doc = await uploaded(theirs.apiToken, 'contacts', person.id, {
    filename: 'geheim.pdf',
    data: pdfBytes(),
  });
  for (const [method, url] of [
    ['GET', `/api/v1/documents/${doc.id}`],
    ['GET', `/api/v1/documents/${doc.id}/content`],
    ['DELETE', `/api/v1/documents/${doc.id}`],
    ['GET', `/api/v1/contacts/${person.id}/documents`],
  ] as const) {
    const response = await call(mine.apiToken, method, url);
    assert.equal(response.statusCode, 404, `${method} ${url}`);
  }
  const intoTheirs = await upload(mine.apiToken, 'contacts', person.id, [
    { filename: 'a.pdf', data: pdfBytes() },
  ]);
  assert.equal(intoTheirs.statusCode, 404);
  assert.equal((await call(theirs.apiToken, 'GET', `/api/v1/documents/${doc.id}`)).statusCode, 200);
});

test('a program renamed to .pdf and declared application/pdf is refused with 415, and nothing is stored', async () => {
  const tenant = await ctx.newTenant();
  const person = await created(tenant.apiToken, '/api/v1/contacts', { lastName: 'Vorsicht' });
  const before = blobFiles();
  const response = await upload(tenant.apiToken, 'contacts', person.id, [
    { filename: 'Rechnung.pdf', data: exeBytes(), contentType: 'application/pdf' },
  ]);
  assert.equal(response.statusCode, 415, response.body);
  assert.equal(response.json().code, 'DOCUMENTS_TYPE_REFUSED');
  assert.match(response.json().detail, /application\/x-msdownload/);
  assert.equal(response.json().errors[0].path, 'file');
  assert.deepEqual(blobFiles(), before);
  assert.equal(await documentCount(tenant.tenantId), 0);
});

test('an upload over the limit is refused with 413 and leaves no file behind, streamed or declared', async () => {
  const tenant = await ctx.newTenant();
  const person = await created(tenant.apiToken, '/api/v1/contacts', { lastName: 'Gross' });
  const before = blobFiles();
  // A little over the limit: passes the Content-Length check, is caught while streaming.
  const streamed = Buffer.concat([pdfBytes(), Buffer.alloc(LIMIT, 0x20)]);
  const overStreaming = await upload(tenant.apiToken, 'contacts', person.id, [
    { filename: 'gross.pdf', data: streamed },
  ]);
  assert.equal(overStreaming.statusCode, 413, overStreaming.body);
  assert.equal(overStreaming.json().code, 'DOCUMENTS_TOO_LARGE');
  assert.equal(overStreaming.headers.connection, 'close');
  // Far over the limit: refused by its Content-Length before it is read.
  const overDeclared = await upload(tenant.apiToken, 'contacts', person.id, [
    { filename: 'riesig.pdf', data: Buffer.concat([pdfBytes(), Buffer.alloc(2 * LIMIT, 0x20)]) },
  ]);
  assert.equal(overDeclared.statusCode, 413);
  // Exactly at the limit is fine.
  const exact = Buffer.concat([pdfBytes(), Buffer.alloc(LIMIT - pdfBytes().length, 0x20)]);
  assert.equal(exact.length, LIMIT);
  const atLimit = await uploaded(tenant.apiToken, 'contacts', person.id, {
    filename: 'genau.pdf',
    data: exact,
  });
  assert.equal(atLimit.size, LIMIT);

  const after = blobFiles();
  assert.equal(after.length, before.length + 1, 'only the accepted file is stored');
  assert.deepEqual(fs.readdirSync(path.join(ctx.blobDir, '.tmp')), [], 'no partial file either');
  const pending = await ctx.database.asOwner((s) =>
    s.query<{ n: number }>(`select count(*)::int as n from blob_deletion where due_at > now()`),
  );
  assert.equal(pending[0]?.n, 0, 'the refused uploads gave up their reservations');
});

test('empty files, more than one part, stray fields and non-multipart bodies are refused', async () => {
  const tenant = await ctx.newTenant();
  const person = await created(tenant.apiToken, '/api/v1/contacts', { lastName: 'Streng' });
  const empty = await upload(tenant.apiToken, 'contacts', person.id, [{ filename: 'leer.pdf', data: '' }]);
  assert.equal(empty.statusCode, 400);
  assert.equal(empty.json().code, 'DOCUMENTS_EMPTY');
  assert.equal(empty.json().errors[0].path, 'file');

  const two = await upload(tenant.apiToken, 'contacts', person.id, [
    { filename: 'a.pdf', data: pdfBytes() },
    { filename: 'b.pdf', data: pdfBytes() },
  ]);
  assert.equal(two.statusCode, 400, two.body);
  assert.equal(two.json().code, 'DOCUMENTS_ONE_FILE');

  const field = await upload(tenant.apiToken, 'contacts', person.id, [
    { name: 'note', data: 'hello' },
    { filename: 'a.pdf', data: pdfBytes() },
  ]);
  assert.equal(field.statusCode, 400, field.body);
  assert.equal(field.json().code, 'DOCUMENTS_ONE_FILE');

  const wrongName = await upload(tenant.apiToken, 'contacts', person.id, [
    { name: 'attachment', filename: 'a.pdf', data: pdfBytes() },
  ]);
  assert.equal(wrongName.statusCode, 400);

  const json = await call(tenant.apiToken, 'POST', `/api/v1/contacts/${person.id}/documents`, { file: 'x' });
  assert.equal(json.statusCode, 415);
  assert.equal(json.json().code, 'DOCUMENTS_NOT_MULTIPART');
  assert.equal(await documentCount(tenant.tenantId), 0);
});

test('office files and text are accepted as what their bytes say; names are cleaned', async () => {
  const tenant = await ctx.newTenant();
  const company = await created(tenant.apiToken, '/api/v1/companies', { name: 'Office GmbH' });
  const docx = await uploaded(tenant.apiToken, 'companies', company.id, {
    filename: '..\\..\\Bericht\u202Excod.docx',
    data: docxBytes(),
  });
  assert.equal(docx.contentType, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  assert.equal(docx.fileName, 'Berichtxcod.docx');
  const xlsx = await uploaded(tenant.apiToken, 'companies', company.id, {
    filename: 'Liste.xlsx',
    data: await xlsxBytes(),
  });
  assert.equal(xlsx.contentType, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const csv = await uploaded(tenant.apiToken, 'companies', company.id, {
    filename: 'export.csv',
    data: Buffer.from('Name;Ort\nMüller;Köln\n'),
  });
  assert.equal(csv.contentType, 'text/csv');
  const list = await call(tenant.apiToken, 'GET', `/api/v1/companies/${company.id}/documents?limit=2`);
  const page = list.json();
  assert.deepEqual(
    (page.items as Doc[]).map((d) => d.id),
    [csv.id, xlsx.id],
    'newest first',
  );
  const rest = await call(
    tenant.apiToken,
    'GET',
    `/api/v1/companies/${company.id}/documents?limit=2&cursor=${page.nextCursor}`,
  );
  assert.deepEqual(
    (rest.json().items as Doc[]).map((d) => d.id),
    [docx.id],
  );
  assert.equal(rest.json().nextCursor, null);
});

test('field access: hidden documents cannot be listed, masked ones show masked names and cannot be downloaded', async () => {
  const tenant = await ctx.newTenant();
  const person = await created(tenant.apiToken, '/api/v1/contacts', { lastName: 'Diskret' });
  const doc = await uploaded(tenant.apiToken, 'contacts', person.id, {
    filename: 'Ärztliches Attest.pdf',
    data: pdfBytes(),
  });
  const hidden = await userWithRole(tenant, {
    name: 'Empfang',
    rights: ['contacts:read'],
    fieldAccess: { documents: 'none' },
  });
  const masked = await userWithRole(tenant, {
    name: 'Assistenz',
    rights: ['contacts:read'],
    fieldAccess: { documents: 'masked' },
  });
  const list = await call(hidden, 'GET', `/api/v1/contacts/${person.id}/documents`);
  assert.equal(list.statusCode, 403);
  assert.equal(list.json().code, 'DOCUMENTS_HIDDEN');
  assert.equal((await call(hidden, 'GET', `/api/v1/documents/${doc.id}/content`)).statusCode, 403);

  const maskedList = await call(masked, 'GET', `/api/v1/contacts/${person.id}/documents`);
  assert.equal(maskedList.statusCode, 200);
  assert.equal(maskedList.json().items[0].fileName, 'Ä***.pdf');
  assert.equal((await call(masked, 'GET', `/api/v1/documents/${doc.id}`)).json().fileName, 'Ä***.pdf');
  const refused = await call(masked, 'GET', `/api/v1/documents/${doc.id}/content`);
  assert.equal(refused.statusCode, 403);
  assert.equal(refused.json().code, 'DOCUMENTS_HIDDEN');

  const readOnly = await ctx.newUser(tenant.tenantId, ['read_only']);
  const download = await call(readOnly.token, 'GET', `/api/v1/documents/${doc.id}/content`);
  assert.equal(download.statusCode, 200, 'Read-only may read contacts, so it downloads');
  assert.equal((await call(readOnly.token, 'DELETE', `/api/v1/documents/${doc.id}`)).statusCode, 403);
});

test('a user limited to a group sees documents only of persons in that group', async () => {
  const tenant = await ctx.newTenant();
  const north = await created(tenant.apiToken, '/api/v1/contacts', { lastName: 'Nord', tags: ['Nord'] });
  const south = await created(tenant.apiToken, '/api/v1/contacts', { lastName: 'Süd', tags: ['Süd'] });
  const northDoc = await uploaded(tenant.apiToken, 'contacts', north.id, {
    filename: 'n.pdf',
    data: pdfBytes(),
  });
  const southDoc = await uploaded(tenant.apiToken, 'contacts', south.id, {
    filename: 's.pdf',
    data: pdfBytes(),
  });
  const sales = await ctx.newUser(tenant.tenantId, ['sales']);
  await call(tenant.apiToken, 'PATCH', `/api/v1/users/${sales.userId}`, { contactScope: ['Nord'] });

  assert.equal((await call(sales.token, 'GET', `/api/v1/documents/${northDoc.id}`)).statusCode, 200);
  assert.equal((await call(sales.token, 'GET', `/api/v1/documents/${southDoc.id}`)).statusCode, 404);
  assert.equal((await call(sales.token, 'GET', `/api/v1/documents/${southDoc.id}/content`)).statusCode, 404);
  assert.equal((await call(sales.token, 'GET', `/api/v1/contacts/${south.id}/documents`)).statusCode, 404);
  const into = await upload(sales.token, 'contacts', south.id, [{ filename: 'x.pdf', data: pdfBytes() }]);
  assert.equal(into.statusCode, 404);
});

test('company documents need the companies right: Marketing may add to persons but not to companies', async () => {
  const tenant = await ctx.newTenant();
  const company = await created(tenant.apiToken, '/api/v1/companies', { name: 'Rechte AG' });
  const person = await created(tenant.apiToken, '/api/v1/contacts', { lastName: 'Recht' });
  const companyDoc = await uploaded(tenant.apiToken, 'companies', company.id, {
    filename: 'c.pdf',
    data: pdfBytes(),
  });
  const marketing = await ctx.newUser(tenant.tenantId, ['marketing']);
  const toCompany = await upload(marketing.token, 'companies', company.id, [
    { filename: 'm.pdf', data: pdfBytes() },
  ]);
  assert.equal(toCompany.statusCode, 403);
  const toPerson = await upload(marketing.token, 'contacts', person.id, [
    { filename: 'm.pdf', data: pdfBytes() },
  ]);
  assert.equal(toPerson.statusCode, 201, toPerson.body);
  const deleting = await call(marketing.token, 'DELETE', `/api/v1/documents/${companyDoc.id}`);
  assert.equal(deleting.statusCode, 403, 'contacts:update is not enough for a company’s document');
  assert.equal(deleting.json().code, 'DOCUMENTS_FORBIDDEN');
  assert.equal((await call(marketing.token, 'GET', `/api/v1/documents/${companyDoc.id}`)).statusCode, 200);
});

test('the OpenAPI document describes the document endpoints', async () => {
  const doc = (await ctx.app.inject({ url: '/api/openapi.json' })).json();
  assert.ok(doc.paths['/api/v1/contacts/{id}/documents']?.post);
  assert.ok(doc.paths['/api/v1/companies/{id}/documents']?.get);
  assert.ok(doc.paths['/api/v1/documents/{id}/content']?.get);
  assert.ok(doc.paths['/api/v1/documents/{id}']?.delete);
});
