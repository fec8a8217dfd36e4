import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';
import { TEST_DB_KIND } from '../../../test/support/database.ts';
import { CONTACT_HEADER, contactRows, multipartFile, toCsv } from '../../../test/support/imports.ts';
import { waitFor } from '../../../test/support/probe.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { createRole, createUser, issueApiToken } from '../identity/index.ts';

// The real application with its job workers running, as in `kontor serve`: an import is run by
// the queue. Every test makes its own tenant.
let ctx: TestContext;
before(async () => {
  ctx = await testContext({
    work: true,
    maxImportBytes: 2 * 1024 * 1024,
    ...(process.env.IMPORT_DEBUG
      ? { logger: (await import('../../kernel/logger.ts')).createLogger({ level: 'warn' }) }
      : {}),
  });
});
after(() => ctx.close());

type Json = Record<string, unknown>;
type ImportView = Json & {
  id: string;
  status: string;
  columns: string[];
  suggestedMapping: Record<string, string>;
  preview: { rowNumber: number; cells: string[] }[] | null;
  totalRows: number;
  processedRows: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
};

async function upload(token: string, fileName: string, content: Buffer | string, query = '') {
  const { payload, headers } = multipartFile(fileName, content);
  return ctx.app.inject({
    method: 'POST',
    url: `/api/v1/imports${query}`,
    headers: { ...bearer(token), ...headers },
    payload,
  });
}

async function uploaded(
  token: string,
  fileName: string,
  content: Buffer | string,
  query = '',
): Promise<ImportView> {
  const response = await upload(token, fileName, content, query);
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}

async function start(token: string, id: string, body: Json): Promise<ImportView> {
  const response = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/imports/${id}/start`,
    headers: bearer(token),
    payload: body,
  });
  assert.equal(response.statusCode, 202, response.body);
  return response.json();
}

async function get(token: string, url: string) {
  return ctx.app.inject({ method: 'GET', url, headers: bearer(token) });
}

/** Polls the import as the web app does, until it is no longer running. */
async function finished(token: string, id: string): Promise<ImportView> {
  return waitFor(
    `import ${id} to finish`,
    async () => {
      const view = (await get(token, `/api/v1/imports/${id}`)).json() as ImportView;
      return view.status === 'running' ? undefined : view;
    },
    120,
  );
}

async function countContacts(tenantId: string, where = sql`true`): Promise<number> {
  return withTenant(ctx.database.db, tenantId, async (tx) => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from contact where ${where}`.execute(
      tx,
    );
    return rows[0]?.n ?? 0;
  });
}

test(`a CSV of 1,000 rows with 3 broken ones: 997 imported, and a report of exactly those 3 rows naming the field (${TEST_DB_KIND})`, async () => {
  const tenant = await ctx.newTenant();
  const rows = contactRows(1000);
  // Rows 101, 502 and 900 of the file (data rows 99, 500, 898): bad IBAN, bad email, no such country.
  (rows[99] as string[])[9] = 'DE89 3704 0044 0532 0130 01';
  (rows[500] as string[])[3] = 'anna.example.ch';
  (rows[898] as string[])[8] = 'Atlantis';
  const csv = `\ufeff${toCsv([CONTACT_HEADER, ...rows])}`;

  const view = await uploaded(tenant.apiToken, 'Kontakte.csv', csv);
  assert.equal(view.status, 'uploaded');
  assert.equal(view.totalRows, 1000);
  assert.deepEqual(view.columns, CONTACT_HEADER);
  assert.equal(view.preview?.length, 20);
  assert.equal(view.preview?.[0]?.rowNumber, 2);
  assert.deepEqual(view.suggestedMapping, {
    Anrede: 'salutation',
    Vorname: 'firstName',
    Nachname: 'lastName',
    'E-Mail': 'email',
    Telefon: 'phone',
    Strasse: 'street',
    PLZ: 'postalCode',
    Ort: 'city',
    Land: 'country',
    IBAN: 'iban',
    Geburtstag: 'birthday',
    Gruppen: 'tags',
  });

  const started = await start(tenant.apiToken, view.id, { mapping: view.suggestedMapping, dedupe: 'skip' });
  assert.equal(started.status, 'running');
  const done = await finished(tenant.apiToken, view.id);
  assert.equal(done.status, 'completed');
  assert.deepEqual(
    {
      processed: done.processedRows,
      created: done.created,
      updated: done.updated,
      skipped: done.skipped,
      failed: done.failed,
    },
    { processed: 1000, created: 997, updated: 0, skipped: 0, failed: 3 },
  );
  assert.equal(done.progress, 1);
  assert.equal(await countContacts(tenant.tenantId), 997);

  const report = (await get(tenant.apiToken, `/api/v1/imports/${view.id}/errors`)).json() as {
    items: {
      rowNumber: number;
      values: Record<string, string>;
      errors: { path: string; column: string | null }[];
    }[];
    nextCursor: string | null;
  };
  assert.deepEqual(
    report.items.map((e) => [e.rowNumber, e.errors.map((x) => [x.path, x.column])]),
    [
      [101, [['iban', 'IBAN']]],
      [502, [['email', 'E-Mail']]],
      [900, [['country', 'Land']]],
    ],
  );
  assert.equal(report.items[1]?.values['E-Mail'], 'anna.example.ch');
  assert.equal(report.nextCursor, null);

  const download = await get(tenant.apiToken, `/api/v1/imports/${view.id}/errors.csv`);
  assert.equal(download.statusCode, 200);
  assert.match(String(download.headers['content-type']), /^text\/csv/);
  assert.match(String(download.headers['content-disposition']), /^attachment;/);
  const lines = parse(download.body, { delimiter: ';', bom: true }) as string[][];
  assert.deepEqual(lines[0], ['row', ...CONTACT_HEADER, 'errors']);
  assert.deepEqual(
    lines.slice(1).map((l) => [l[0], l.at(-1)?.split(':')[0]]),
    [
      ['101', 'iban'],
      ['502', 'email'],
      ['900', 'country'],
    ],
  );
  assert.equal(lines[2]?.[4], 'anna.example.ch', 'the original values are in the report');

  // The imported values are normalised as the API stores them.
  const anna = await withTenant(ctx.database.db, tenant.tenantId, async (tx) => {
    const { rows: found } = await sql<Json>`
      select first_name, last_name, phone, country, iban, to_char(birthday, 'YYYY-MM-DD') as birthday
      from contact where email = 'person0@example.ch'`.execute(tx);
    return found[0];
  });
  assert.deepEqual(anna, {
    firstName: 'Anna',
    lastName: 'Müller',
    phone: '+41446681810',
    country: 'CH',
    iban: 'DE89370400440532013000',
    birthday: '1950-01-01',
  });
});

/** Uploads and starts a CSV with the suggested mapping (and `extra`), and waits for the end. */
async function importCsv(token: string, csv: string, extra: Json = {}): Promise<ImportView> {
  const view = await uploaded(token, 'kontakte.csv', csv);
  await start(token, view.id, { mapping: view.suggestedMapping, ...extra });
  return finished(token, view.id);
}

async function contactByEmail(tenantId: string, email: string) {
  return withTenant(ctx.database.db, tenantId, async (tx) => {
    const { rows } = await sql<Json & { id: string }>`
      select c.id, c.first_name, c.last_name, c.city, c.phone, c.country,
        coalesce((select array_agg(t.name::text order by t.name) from contact_tag ct join tag t on t.id = ct.tag_id
          where ct.contact_id = c.id), '{}') as tags
      from contact c where c.email = ${email}::citext order by c.created_at, c.id`.execute(tx);
    return rows;
  });
}

/** Windows-1252 bytes of a text (what German Excel saves as "CSV"). */
function windows1252(text: string): Buffer {
  const special: Record<string, number> = { '€': 0x80, '„': 0x84, '“': 0x93, '”': 0x94, '–': 0x96 };
  return Buffer.from([...text].map((c) => special[c] ?? c.charCodeAt(0)));
}

test('a Windows-1252 CSV with ; is detected and read with its umlauts, € and „quotes“', async () => {
  const tenant = await ctx.newTenant();
  const csv =
    'Vorname;Nachname;Ort;Notiz\r\nJürgen;Müller;Zürich;Spende 50 € – „danke“\r\nLéa;Weiß;Genève;\r\n';
  const view = await uploaded(tenant.apiToken, 'excel.csv', windows1252(csv));
  assert.equal(view.encoding, 'windows-1252');
  assert.equal(view.delimiter, ';');
  assert.deepEqual(view.preview, [
    { rowNumber: 2, cells: ['Jürgen', 'Müller', 'Zürich', 'Spende 50 € – „danke“'] },
    { rowNumber: 3, cells: ['Léa', 'Weiß', 'Genève', ''] },
  ]);
  assert.deepEqual(view.suggestedMapping, {
    Vorname: 'firstName',
    Nachname: 'lastName',
    Ort: 'city',
    Notiz: 'notes',
  });
});

test('tab and comma delimiters are detected; quoted values keep their delimiters, quotes and line breaks', async () => {
  const tenant = await ctx.newTenant();
  const tab = await uploaded(
    tenant.apiToken,
    'a.tsv',
    '\ufeffPrénom\tNom\tVille\r\nNoémie\tDubois\tLyon\r\n',
  );
  assert.equal(tab.encoding, 'utf-8');
  assert.equal(tab.delimiter, '\t');
  assert.deepEqual(tab.columns, ['Prénom', 'Nom', 'Ville']);
  assert.deepEqual(tab.suggestedMapping, { Prénom: 'firstName', Nom: 'lastName', Ville: 'city' });

  const comma = await uploaded(
    tenant.apiToken,
    'b.csv',
    'First name,Last name,Notes,Notes\n"Anna","Müller, geb. Meier","Line one\nline ""two""",x\n\n,,,\nBjörn,Weiß,,\n',
  );
  assert.equal(comma.delimiter, ',');
  assert.deepEqual(comma.columns, ['First name', 'Last name', 'Notes', 'Notes (2)']);
  assert.equal(comma.totalRows, 2, 'blank rows are not counted');
  assert.deepEqual(comma.preview, [
    { rowNumber: 2, cells: ['Anna', 'Müller, geb. Meier', 'Line one\nline "two"', 'x'] },
    { rowNumber: 5, cells: ['Björn', 'Weiß', '', ''] },
  ]);
  // Detected wrong? The delimiter can be given.
  const asked = await uploaded(tenant.apiToken, 'c.csv', 'Name;Ort|Land\nA;B|C\n', '?delimiter=pipe');
  assert.deepEqual(asked.columns, ['Name;Ort', 'Land']);
});

test('XLSX: the first sheet unless another is asked for (on upload or later); dates, numbers and formulas become text', async () => {
  const tenant = await ctx.newTenant();
  const workbook = new ExcelJS.Workbook();
  const notes = workbook.addWorksheet('Hinweise');
  notes.addRow(['Hinweis']);
  notes.addRow(['Bitte Blatt "Kontakte" importieren']);
  const sheet = workbook.addWorksheet('Kontakte');
  sheet.addRow(['Vorname', 'Nachname', 'E-Mail', 'Geburtsdatum', 'PLZ', 'Punkte']);
  sheet.addRow([
    'Käthi',
    'Zürcher',
    { text: 'kaethi@example.ch', hyperlink: 'mailto:kaethi@example.ch' },
    new Date(Date.UTC(1980, 11, 31)),
    8001,
    { formula: '2*21', result: 42 },
  ]);
  const bytes = Buffer.from(await workbook.xlsx.writeBuffer());

  const first = await uploaded(tenant.apiToken, 'kontakte.xlsx', bytes);
  assert.equal(first.fileKind, 'xlsx');
  assert.deepEqual(first.sheets, ['Hinweise', 'Kontakte']);
  assert.equal(first.sheet, 'Hinweise');
  assert.deepEqual(first.columns, ['Hinweis']);
  const changed = await ctx.app.inject({
    method: 'PATCH',
    url: `/api/v1/imports/${first.id}`,
    headers: bearer(tenant.apiToken),
    payload: { sheet: 'Kontakte' },
  });
  assert.equal(changed.statusCode, 200, changed.body);
  const view = changed.json() as ImportView;
  assert.equal(view.sheet, 'Kontakte');
  assert.deepEqual(view.preview, [
    { rowNumber: 2, cells: ['Käthi', 'Zürcher', 'kaethi@example.ch', '1980-12-31', '8001', '42'] },
  ]);
  assert.equal(view.suggestedMapping.Geburtsdatum, 'birthday');

  const asked = await uploaded(tenant.apiToken, 'kontakte.xlsx', bytes, '?sheet=Kontakte');
  assert.equal(asked.sheet, 'Kontakte');
  const missing = await upload(tenant.apiToken, 'kontakte.xlsx', bytes, '?sheet=Adressen');
  assert.equal(missing.statusCode, 400);
  assert.equal(missing.json().code, 'IMPORTS_SHEET_NOT_FOUND');

  await start(tenant.apiToken, view.id, { mapping: view.suggestedMapping });
  const done = await finished(tenant.apiToken, view.id);
  assert.equal(done.created, 1, JSON.stringify(done));
  const [kaethi] = await contactByEmail(tenant.tenantId, 'kaethi@example.ch');
  assert.equal(kaethi?.firstName, 'Käthi');
});

test('a file whose first sheet holds only a note has no data rows: 400 saying so', async () => {
  const tenant = await ctx.newTenant();
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Hinweise').addRow(['Nur eine Notiz']);
  const response = await upload(tenant.apiToken, 'n.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
  assert.equal(response.statusCode, 400);
  assert.equal(response.json().code, 'IMPORTS_UNREADABLE_FILE');
  assert.match(response.json().detail, /no rows of data/);
});

test('dedupe by email: update fills the contact (empty cells keep values, tags add up), skip leaves it, create adds another — for repeated rows of the file too', async () => {
  const tenant = await ctx.newTenant();
  const existing = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/contacts',
    headers: bearer(tenant.apiToken),
    payload: {
      firstName: 'Anna',
      lastName: 'Alt',
      email: 'anna@example.ch',
      city: 'Bern',
      tags: ['Bestand'],
    },
  });
  assert.equal(existing.statusCode, 201, existing.body);
  const csv = [
    'Vorname;Nachname;E-Mail;Ort;Gruppen',
    'Anna;Neu;ANNA@example.ch;;Messe',
    'Bruno;Brand;bruno@example.ch;Basel;',
    'Bruno;;bruno@example.ch;Biel;Messe',
  ].join('\n');

  const skip = await importCsv(tenant.apiToken, csv, { dedupe: 'skip' });
  assert.deepEqual([skip.created, skip.updated, skip.skipped, skip.failed], [1, 0, 2, 0]);
  assert.equal((await contactByEmail(tenant.tenantId, 'anna@example.ch'))[0]?.lastName, 'Alt');

  const update = await importCsv(tenant.apiToken, csv, { dedupe: 'update', tags: ['Import'] });
  assert.deepEqual([update.created, update.updated, update.skipped, update.failed], [0, 3, 0, 0]);
  const [anna] = await contactByEmail(tenant.tenantId, 'anna@example.ch');
  assert.deepEqual(
    { lastName: anna?.lastName, city: anna?.city, tags: anna?.tags },
    { lastName: 'Neu', city: 'Bern', tags: ['Bestand', 'Import', 'Messe'] },
  );
  const brunos = await contactByEmail(tenant.tenantId, 'bruno@example.ch');
  assert.equal(brunos.length, 1);
  assert.deepEqual(
    { lastName: brunos[0]?.lastName, city: brunos[0]?.city, tags: brunos[0]?.tags },
    { lastName: 'Brand', city: 'Biel', tags: ['Import', 'Messe'] },
  );

  const create = await importCsv(tenant.apiToken, csv, { dedupe: 'create' });
  assert.deepEqual([create.created, create.updated, create.skipped], [3, 0, 0]);
  assert.equal((await contactByEmail(tenant.tenantId, 'bruno@example.ch')).length, 3);
});

test('dedupe update changes existing contacts and needs contacts:update (403 without it); skip does not', async () => {
  const tenant = await ctx.newTenant();
  const token = await withTenant(ctx.database.db, tenant.tenantId, async (tx) => {
    const role = await createRole(tx, tenant.tenantId, {
      name: 'Importer',
      rights: ['contacts:create', 'contacts:read'],
    });
    const user = await createUser(tx, {
      tenantId: tenant.tenantId,
      email: 'importer@example.com',
      roleIds: [role.id],
    });
    return (await issueApiToken(tx, { tenantId: tenant.tenantId, userId: user.id, name: 't' })).token;
  });
  const view = await uploaded(token, 'a.csv', 'Nachname;E-Mail\nMeier;m@example.ch\n');
  const refused = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/imports/${view.id}/start`,
    headers: bearer(token),
    payload: { mapping: view.suggestedMapping, dedupe: 'update' },
  });
  assert.equal(refused.statusCode, 403);
  assert.equal(refused.json().code, 'IMPORTS_UPDATE_FORBIDDEN');
  await start(token, view.id, { mapping: view.suggestedMapping, dedupe: 'skip' });
  assert.equal((await finished(token, view.id)).created, 1);
});

test('a mapping naming no such column, no such field, or one field twice is refused, naming each (400)', async () => {
  const tenant = await ctx.newTenant();
  const view = await uploaded(tenant.apiToken, 'a.csv', 'Vorname;Name;Nachname;Mail\nA;B;C;a@example.ch\n');
  const response = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/imports/${view.id}/start`,
    headers: bearer(tenant.apiToken),
    payload: {
      mapping: {
        Vorname: 'firstName',
        Name: 'lastName',
        Nachname: 'lastName',
        Strasse: 'street',
        Mail: 'customFields.member_no',
      },
      defaultCountry: 'Atlantis',
    },
  });
  assert.equal(response.statusCode, 400, response.body);
  assert.deepEqual(
    response.json().errors.map((e: { path: string }) => e.path),
    ['defaultCountry'],
  );

  const second = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/imports/${view.id}/start`,
    headers: bearer(tenant.apiToken),
    payload: {
      mapping: {
        Vorname: 'firstName',
        Name: 'lastName',
        Nachname: 'lastName',
        Strasse: 'street',
        Mail: 'customFields.member_no',
      },
    },
  });
  assert.equal(second.statusCode, 400, second.body);
  assert.equal(second.json().code, 'IMPORTS_INVALID_MAPPING');
  assert.deepEqual(
    second
      .json()
      .errors.map((e: { path: string }) => e.path)
      .sort(),
    ['mapping.Mail', 'mapping.Nachname', 'mapping.Strasse'],
  );
  const bad = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/imports/${view.id}/start`,
    headers: bearer(tenant.apiToken),
    payload: { mapping: { Vorname: 'vorname' } },
  });
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(
    bad.json().errors.map((e: { path: string }) => e.path),
    ['mapping.Vorname'],
  );
  assert.equal((await get(tenant.apiToken, `/api/v1/imports/${view.id}`)).json().status, 'uploaded');
});

test("an import is its uploader's: another user of the tenant gets 404 and does not see it listed", async () => {
  const tenant = await ctx.newTenant();
  const other = await ctx.newUser(tenant.tenantId, ['admin']);
  const view = await uploaded(tenant.apiToken, 'a.csv', 'Nachname\nMeier\n');
  for (const url of [
    `/api/v1/imports/${view.id}`,
    `/api/v1/imports/${view.id}/errors`,
    `/api/v1/imports/${view.id}/errors.csv`,
  ]) {
    assert.equal((await get(other.token, url)).statusCode, 404, url);
  }
  const start404 = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/imports/${view.id}/start`,
    headers: bearer(other.token),
    payload: { mapping: { Nachname: 'lastName' } },
  });
  assert.equal(start404.statusCode, 404);
  assert.deepEqual((await get(other.token, '/api/v1/imports')).json().items, []);
  const mine = (await get(tenant.apiToken, '/api/v1/imports')).json().items as ImportView[];
  assert.deepEqual(
    mine.map((i) => i.id),
    [view.id],
  );
  assert.equal(mine[0]?.preview, null, 'lists carry no file values');
});

test('too large is 413, an old .xls or a PDF is 415, a request without a file part is 400', async () => {
  const tenant = await ctx.newTenant();
  const big = `Nachname\n${'Meier\n'.repeat(400_000)}`;
  const large = await upload(tenant.apiToken, 'big.csv', big);
  assert.equal(large.statusCode, 413, large.body);
  assert.equal(large.json().code, 'IMPORTS_FILE_TOO_LARGE');

  const xls = Buffer.concat([
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
    Buffer.alloc(4096),
  ]);
  const old = await upload(tenant.apiToken, 'alt.xls', xls);
  assert.equal(old.statusCode, 415, old.body);
  assert.equal(old.json().code, 'IMPORTS_UNSUPPORTED_FILE');
  const pdf = await upload(tenant.apiToken, 'x.pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'));
  assert.equal(pdf.statusCode, 415);

  const json = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/imports',
    headers: bearer(tenant.apiToken),
    payload: { file: 'a;b' },
  });
  assert.equal(json.statusCode, 400);
  assert.deepEqual(json.json().errors, [{ path: 'file', message: 'is required' }]);
  const { payload, headers } = multipartFile('a.csv', 'x', { field: 'upload' });
  const wrongPart = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/imports',
    headers: { ...bearer(tenant.apiToken), ...headers },
    payload,
  });
  assert.equal(wrongPart.statusCode, 400);
  assert.deepEqual((await get(tenant.apiToken, '/api/v1/imports')).json().items, [], 'nothing was kept');
});

test('cancel stops an import before its next batch and removes the file; delete removes the import and its report', async () => {
  // The queue stops working for a moment: the started import waits in it, and is cancelled.
  const tenant = await ctx.newTenant();
  const view = await uploaded(tenant.apiToken, 'a.csv', toCsv([CONTACT_HEADER, ...contactRows(10)]));
  // Cancelled while no worker runs, so the job cannot have started first (a 10-row import is one
  // batch: once running, it would finish before a cancel could land).
  await ctx.queue.stop();
  await ctx.queue.start({ work: false });
  let cancelled: Awaited<ReturnType<typeof ctx.app.inject>>;
  try {
    await start(tenant.apiToken, view.id, { mapping: view.suggestedMapping });
    cancelled = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/imports/${view.id}/cancel`,
      headers: bearer(tenant.apiToken),
    });
  } finally {
    await ctx.queue.stop();
    await ctx.queue.start({ work: true });
  }
  assert.equal(cancelled.statusCode, 200, cancelled.body);
  assert.equal(cancelled.json().status, 'cancelled');
  await new Promise((r) => setTimeout(r, 1500)); // the queued job runs and finds it cancelled
  const after = (await get(tenant.apiToken, `/api/v1/imports/${view.id}`)).json() as ImportView;
  assert.deepEqual([after.status, after.processedRows, after.created], ['cancelled', 0, 0]);
  assert.equal(await countContacts(tenant.tenantId), 0);
  const chunks = await withTenant(
    ctx.database.db,
    tenant.tenantId,
    async (tx) =>
      (await sql<{ n: number }>`select count(*)::int as n from data_import_chunk`.execute(tx)).rows[0]?.n,
  );
  assert.equal(chunks, 0);
  const again = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/imports/${view.id}/cancel`,
    headers: bearer(tenant.apiToken),
  });
  assert.equal(again.statusCode, 409);

  const removed = await ctx.app.inject({
    method: 'DELETE',
    url: `/api/v1/imports/${view.id}`,
    headers: bearer(tenant.apiToken),
  });
  assert.equal(removed.statusCode, 204);
  assert.equal((await get(tenant.apiToken, `/api/v1/imports/${view.id}`)).statusCode, 404);
});

test('the import is audited: started, one entry per batch with field names only, completed with counts', async () => {
  const tenant = await ctx.newTenant();
  const csv = toCsv([CONTACT_HEADER, ...contactRows(5)]);
  const done = await importCsv(tenant.apiToken, csv, { tags: ['Messe 2026'] });
  assert.equal(done.created, 5);
  const entries = await withTenant(ctx.database.db, tenant.tenantId, async (tx) =>
    (
      await sql<{ action: string; changes: string }>`
        select action, changes::text as changes from audit_log where entity_id = ${done.id} order by seq`.execute(
        tx,
      )
    ).rows.map((r) => ({ action: r.action, changes: JSON.parse(r.changes) })),
  );
  assert.deepEqual(
    entries.map((e) => e.action),
    ['import.started', 'contact.imported', 'import.completed'],
  );
  assert.deepEqual(entries[1]?.changes, {
    kind: 'personal-data',
    fields: [
      'birthday',
      'city',
      'country',
      'email',
      'firstName',
      'iban',
      'lastName',
      'phone',
      'postalCode',
      'salutation',
      'street',
      'tags',
    ],
  });
  assert.deepEqual(entries[2]?.changes.after, {
    status: 'completed',
    totalRows: 5,
    processedRows: 5,
    created: 5,
    updated: 0,
    skipped: 0,
    failed: 0,
  });
  const text = JSON.stringify(entries);
  assert.doesNotMatch(text, /Müller|person0|Bahnhofstrasse/, 'no values in the audit log');
});

test('a user limited to groups must tag imported contacts with one of them; then sees them', async () => {
  const tenant = await ctx.newTenant();
  const user = await ctx.newUser(tenant.tenantId, ['sales']);
  await withTenant(ctx.database.db, tenant.tenantId, (tx) =>
    tx
      .updateTable('appUser')
      .set({ contactScope: ['Region Ost'] })
      .where('id', '=', user.userId)
      .execute(),
  );
  const csv = 'Vorname;Nachname;E-Mail\nUrs;Frei;urs@example.ch\n';
  const view = await uploaded(user.token, 'a.csv', csv);
  const refused = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/imports/${view.id}/start`,
    headers: bearer(user.token),
    payload: { mapping: view.suggestedMapping },
  });
  assert.equal(refused.statusCode, 400);
  assert.deepEqual(
    refused.json().errors.map((e: { path: string }) => e.path),
    ['tags'],
  );
  await start(user.token, view.id, { mapping: view.suggestedMapping, tags: ['region ost'] });
  assert.equal((await finished(user.token, view.id)).created, 1);
  const list = await get(user.token, '/api/v1/contacts');
  assert.deepEqual(
    list.json().items.map((c: { email: string }) => c.email),
    ['urs@example.ch'],
  );
});

test('custom fields: columns map by key or label; Ja/Nein, 12,50, dates and option labels are read; a bad value is reported under customFields.<key>', async () => {
  const tenant = await ctx.newTenant();
  for (const field of [
    { key: 'member_no', label: 'Mitgliedsnummer', type: 'text', unique: true },
    { key: 'newsletter_ok', label: 'Newsletter', type: 'boolean' },
    { key: 'fee', label: 'Beitrag', type: 'decimal' },
    { key: 'joined', label: 'Eintritt', type: 'date' },
    {
      key: 'level',
      label: 'Stufe',
      type: 'single_select',
      options: [
        { value: 'gold', label: 'Gold', labels: { fr: 'Or' } },
        { value: 'silver', label: 'Silber' },
      ],
    },
  ]) {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/custom-fields',
      headers: bearer(tenant.apiToken),
      payload: { objectType: 'contact', ...field },
    });
    assert.equal(response.statusCode, 201, response.body);
  }
  const csv = [
    'Nachname;E-Mail;Mitgliedsnummer;Newsletter;Beitrag;Eintritt;Stufe',
    'Meier;m1@example.ch;A-1;Ja;12,50;01.02.2020;Or',
    'Huber;m2@example.ch;A-2;nein;1.234,50;2021-03-04;silber',
    'Keller;m3@example.ch;A-3;vielleicht;zwölf;32.13.2020;Platin',
    'Frei;m4@example.ch;A-1;Ja;1;1.1.2020;Gold',
  ].join('\n');
  const view = await uploaded(tenant.apiToken, 'm.csv', csv);
  assert.deepEqual(view.suggestedMapping, {
    Nachname: 'lastName',
    'E-Mail': 'email',
    Mitgliedsnummer: 'customFields.member_no',
    Newsletter: 'customFields.newsletter_ok',
    Beitrag: 'customFields.fee',
    Eintritt: 'customFields.joined',
    Stufe: 'customFields.level',
  });
  await start(tenant.apiToken, view.id, { mapping: view.suggestedMapping });
  const done = await finished(tenant.apiToken, view.id);
  const report = (await get(tenant.apiToken, `/api/v1/imports/${view.id}/errors`)).json();
  assert.deepEqual([done.created, done.failed], [2, 2], JSON.stringify(report));
  const custom = await withTenant(ctx.database.db, tenant.tenantId, async (tx) =>
    (
      await sql<{ cf: string }>`select custom_fields::text as cf from contact order by email`.execute(tx)
    ).rows.map((r) => JSON.parse(r.cf)),
  );
  assert.deepEqual(custom, [
    { member_no: 'A-1', newsletter_ok: true, fee: '12.50', joined: '2020-02-01', level: 'gold' },
    { member_no: 'A-2', newsletter_ok: false, fee: '1234.50', joined: '2021-03-04', level: 'silver' },
  ]);
  assert.deepEqual(
    report.items[0].errors.map((e: { path: string; column: string }) => [e.path, e.column]).sort(),
    [
      ['customFields.fee', 'Beitrag'],
      ['customFields.joined', 'Eintritt'],
      ['customFields.level', 'Stufe'],
      ['customFields.newsletter_ok', 'Newsletter'],
    ],
  );
  // A unique field's value given twice: the second row is refused, as the API would refuse it.
  assert.deepEqual(report.items[1], {
    rowNumber: 5,
    values: {
      Nachname: 'Frei',
      'E-Mail': 'm4@example.ch',
      Mitgliedsnummer: 'A-1',
      Newsletter: 'Ja',
      Beitrag: '1',
      Eintritt: '1.1.2020',
      Stufe: 'Gold',
    },
    errors: [
      {
        path: 'customFields.member_no',
        column: 'Mitgliedsnummer',
        message: 'is already the value of another record',
      },
    ],
  });
});

test('the import API is in the OpenAPI document, with the start body and the list of fields a column may fill', async () => {
  const doc = (await ctx.app.inject({ url: '/api/openapi.json' })).json();
  for (const [path, method] of [
    ['/api/v1/imports', 'post'],
    ['/api/v1/imports', 'get'],
    ['/api/v1/imports/{id}', 'get'],
    ['/api/v1/imports/{id}', 'patch'],
    ['/api/v1/imports/{id}', 'delete'],
    ['/api/v1/imports/{id}/start', 'post'],
    ['/api/v1/imports/{id}/cancel', 'post'],
    ['/api/v1/imports/{id}/errors', 'get'],
    ['/api/v1/imports/{id}/errors.csv', 'get'],
  ] as const) {
    assert.ok(doc.paths[path]?.[method], `${method} ${path}`);
  }
  const start = JSON.stringify(doc.paths['/api/v1/imports/{id}/start'].post.requestBody);
  assert.match(start, /dedupe/);
  assert.match(start, /defaultCountry/);
});

test('nightly: an upload never started expires after a day (its file goes), a finished import and its report after 30 days', async () => {
  const tenant = await ctx.newTenant();
  const waiting = await uploaded(tenant.apiToken, 'a.csv', 'Nachname\nMeier\n');
  const done = await importCsv(tenant.apiToken, 'Nachname;E-Mail\nHuber;kaputt\n');
  const fresh = await uploaded(tenant.apiToken, 'b.csv', 'Nachname\nFrei\n');
  // Backdated as the schema owner, past the updated_at trigger.
  await ctx.database.asOwner(async (s) => {
    await s.exec('SET LOCAL session_replication_role = replica');
    await s.query(`UPDATE data_import SET updated_at = now() - interval '25 hours' WHERE id = $1`, [
      waiting.id,
    ]);
    await s.query(`UPDATE data_import SET updated_at = now() - interval '31 days' WHERE id = $1`, [done.id]);
  });
  const { pruneImportsJob } = await import('./imports.jobs.ts');
  const { silentLogger } = await import('../../../test/support/logger.ts');
  await pruneImportsJob({ db: ctx.database.db, logger: silentLogger() }).handler(
    { id: 'j', queue: 'imports.prune', data: {}, tenantId: null, idempotencyKey: 'j', attempt: 0 },
    { once: async () => false, inTenant: async () => undefined as never },
  );
  const expired = (await get(tenant.apiToken, `/api/v1/imports/${waiting.id}`)).json() as ImportView;
  assert.deepEqual([expired.status, expired.errorCode], ['cancelled', 'IMPORTS_EXPIRED']);
  assert.equal((await get(tenant.apiToken, `/api/v1/imports/${done.id}`)).statusCode, 404);
  assert.equal((await get(tenant.apiToken, `/api/v1/imports/${fresh.id}`)).json().status, 'uploaded');
  const left = await ctx.database.asOwner((s) =>
    s.query<{ chunks: number; errors: number }>(
      `SELECT (SELECT count(*)::int FROM data_import_chunk WHERE import_id = $1) AS chunks,
              (SELECT count(*)::int FROM data_import_error WHERE import_id = $2) AS errors`,
      [waiting.id, done.id],
    ),
  );
  assert.deepEqual(left, [{ chunks: 0, errors: 0 }]);
});
