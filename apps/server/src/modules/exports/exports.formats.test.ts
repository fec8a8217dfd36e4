import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { escapeText, foldLine, guardFormula, toCsv, toVcard, toVcards, toXlsx } from './exports.formats.ts';

/** RFC 6350 §3.2 unfolding: a CRLF followed by one space or tab is removed. */
function unfold(text: string): string {
  return text.replace(/\r\n[ \t]/g, '');
}

// -- vCard: escaping and folding (RFC 6350 §3.2, §3.4) ---------------------------------------

test('vCard text escapes backslash, comma and line breaks; semicolons only inside components', () => {
  assert.equal(escapeText('a\\b, c\nd\r\ne\rf'), 'a\\\\b\\, c\\nd\\ne\\nf');
  assert.equal(escapeText('Müller; Söhne'), 'Müller; Söhne', 'a semicolon may stand in a plain text value');
  assert.equal(escapeText('Müller; Söhne', { component: true }), 'Müller\\; Söhne');
});

test('vCard lines are folded at 75 octets with CRLF and one space, and unfold to the original', () => {
  const line = `NOTE:${'x'.repeat(200)}`;
  const folded = foldLine(line);
  const physical = folded.split('\r\n');
  assert.ok(physical.length > 1);
  for (const [i, part] of physical.entries()) {
    assert.ok(Buffer.byteLength(part, 'utf8') <= 75, `line ${i} has ${Buffer.byteLength(part)} octets`);
    if (i > 0) assert.ok(part.startsWith(' '), 'a continuation line starts with one space');
  }
  assert.equal(Buffer.byteLength(physical[0] ?? '', 'utf8'), 75, 'the first line is filled to 75 octets');
  assert.equal(unfold(folded), line);
  assert.equal(foldLine('FN:Anna'), 'FN:Anna', 'a short line stays as it is');
});

test('vCard folding never splits a multi-octet UTF-8 character', () => {
  const line = `NOTE:${'ü'.repeat(60)}${'😀'.repeat(30)}`;
  const folded = foldLine(line);
  for (const part of folded.split('\r\n')) {
    assert.ok(Buffer.byteLength(part, 'utf8') <= 75);
    // A split character would not survive a round trip through UTF-8 bytes.
    assert.equal(Buffer.from(part, 'utf8').toString('utf8'), part);
    assert.ok(!part.includes('\uFFFD'));
  }
  assert.equal(unfold(folded), line);
});

test('a vCard 4.0 holds N, FN, ORG, EMAIL, TEL with type, ADR, BDAY, NOTE, in CRLF lines', () => {
  const card = toVcard({
    uid: '6f1c1b1e-7a0e-4d44-9b43-1d2f8f5b3a10',
    salutation: 'Frau',
    firstName: 'Anna',
    lastName: 'Müller',
    organisation: 'Beispiel AG; Zürich',
    email: 'anna.mueller@example.ch',
    phone: '+41446681800',
    mobile: '+41791234567',
    fax: '+41446681801',
    website: 'https://example.ch',
    street: 'Bahnhofstrasse 1',
    addressLine1: 'c/o Beispiel AG',
    addressLine2: '3. Stock, links',
    postalCode: '8001',
    city: 'Zürich',
    region: 'ZH',
    country: 'CH',
    language: 'de-CH',
    birthday: '1984-02-29',
    notes: 'Prefers email.\nCall after 10, not before.',
    categories: ['VIP', 'Newsletter, DE'],
    updatedAt: '2026-11-30T10:15:00.123Z',
  });
  assert.ok(card.endsWith('\r\n'));
  assert.ok(!/[^\r]\n/.test(card), 'every line ends with CRLF');
  const lines = unfold(card).trimEnd().split('\r\n');
  assert.deepEqual(lines.slice(0, 2), ['BEGIN:VCARD', 'VERSION:4.0']);
  assert.equal(lines.at(-1), 'END:VCARD');
  const expected = [
    'FN:Anna Müller',
    'N:Müller;Anna;;Frau;',
    'ORG:Beispiel AG\\; Zürich',
    'EMAIL:anna.mueller@example.ch',
    'TEL;VALUE=uri;TYPE=voice:tel:+41446681800',
    'TEL;VALUE=uri;TYPE=cell:tel:+41791234567',
    'TEL;VALUE=uri;TYPE=fax:tel:+41446681801',
    'URL:https://example.ch',
    'ADR:;;Bahnhofstrasse 1,c/o Beispiel AG,3. Stock\\, links;Zürich;ZH;8001;Switzerland',
    'BDAY:19840229',
    'LANG:de-CH',
    'CATEGORIES:VIP,Newsletter\\, DE',
    'NOTE:Prefers email.\\nCall after 10\\, not before.',
    'UID:urn:uuid:6f1c1b1e-7a0e-4d44-9b43-1d2f8f5b3a10',
    'REV:20261130T101500Z',
  ];
  for (const line of expected) assert.ok(lines.includes(line), `missing ${line} in\n${lines.join('\n')}`);
});

test('masked values stay masked in a vCard: TEL as text, BDAY as the year, no URL that is no URI', () => {
  const lines = unfold(
    toVcard({
      uid: '6f1c1b1e-7a0e-4d44-9b43-1d2f8f5b3a10',
      lastName: 'M*****',
      phone: '+41 *** ** 67',
      birthday: '1984-**-**',
      website: 'h******',
      email: 'a***@example.ch',
    }),
  ).split('\r\n');
  assert.ok(lines.includes('TEL;TYPE=voice:+41 *** ** 67'));
  assert.ok(lines.includes('BDAY:1984'));
  assert.ok(lines.includes('EMAIL:a***@example.ch'));
  assert.ok(lines.includes('FN:M*****'));
  assert.ok(!lines.some((l) => l.startsWith('URL')));
});

test('a vCard without names still has an FN: the organisation, else the email, else the id', () => {
  const fn = (card: string) =>
    unfold(card)
      .split('\r\n')
      .find((l) => l.startsWith('FN:'));
  assert.equal(fn(toVcard({ uid: 'u1', organisation: 'Beispiel AG' })), 'FN:Beispiel AG');
  assert.equal(fn(toVcard({ uid: 'u1', email: 'a@example.ch' })), 'FN:a@example.ch');
  assert.equal(fn(toVcard({ uid: 'u1' })), 'FN:u1');
  assert.ok(!unfold(toVcard({ uid: 'u1' })).includes('\r\nN:'), 'no N without a name');
});

test('a .vcf file is the cards one after another', () => {
  const file = toVcards([
    { uid: 'a', firstName: 'A' },
    { uid: 'b', firstName: 'B' },
  ]).toString('utf8');
  assert.equal(file.match(/BEGIN:VCARD\r\n/g)?.length, 2);
  assert.equal(file.match(/END:VCARD\r\n/g)?.length, 2);
  assert.ok(!file.startsWith('\uFEFF'));
});

// -- CSV ---------------------------------------------------------------------------------------

test('CSV has a UTF-8 BOM, CRLF lines, quotes where needed, and reads back the same', () => {
  const table = {
    headers: ['firstName', 'lastName', 'notes', 'score'],
    rows: [
      ['Anna', 'Müller', 'says "hi"; and\nmore', 3],
      ['Ben', null, 'plain', null],
    ],
  };
  const csv = toCsv(table, { delimiter: ';' });
  assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = csv.toString('utf8').slice(1);
  assert.ok(text.startsWith('firstName;lastName;notes;score\r\n'));
  assert.ok(text.includes('"says ""hi""; and\nmore"'));
  const back = parse(text, { delimiter: ';' }) as string[][];
  assert.deepEqual(back, [
    ['firstName', 'lastName', 'notes', 'score'],
    ['Anna', 'Müller', 'says "hi"; and\nmore', '3'],
    ['Ben', '', 'plain', ''],
  ]);
  const comma = toCsv(table, { delimiter: ',' }).toString('utf8');
  assert.ok(comma.includes('firstName,lastName,notes,score\r\n'));
});

test('CSV cells that a spreadsheet would run as formulas are made text; phone numbers are not touched', () => {
  assert.equal(guardFormula('=HYPERLINK("http://evil","x")'), `'=HYPERLINK("http://evil","x")`);
  assert.equal(guardFormula('@SUM(A1)'), `'@SUM(A1)`);
  assert.equal(guardFormula("-2+3+cmd|' /C calc'!A0"), `'-2+3+cmd|' /C calc'!A0`);
  assert.equal(guardFormula('+41446681800'), '+41446681800');
  assert.equal(guardFormula('+41 *** ** 67'), '+41 *** ** 67');
  assert.equal(guardFormula('Anna'), 'Anna');
  const csv = toCsv({ headers: ['x'], rows: [['=1+1']] }, { delimiter: ',' }).toString('utf8');
  assert.ok(csv.includes("'=1+1"));
});

// -- XLSX --------------------------------------------------------------------------------------

/** A row's cell values from column 1 (exceljs keeps them 1-based, in a sparse array). */
const valuesOf = (row: ExcelJS.Row) => (row.values as unknown[]).slice(1);

test('XLSX reads back with its header row bold and every value as written, formulas as text', async () => {
  const buffer = await toXlsx(
    {
      headers: ['firstName', 'lastName', 'iban', 'vip', 'score'],
      rows: [
        ['Anna', 'Müller', 'DE89 **** **** 3000', true, 42],
        ['=1+1', null, null, false, null],
      ],
    },
    { sheetName: 'Contacts' },
  );
  assert.equal(buffer.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX file is a zip');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('Contacts');
  assert.ok(sheet);
  assert.deepEqual(valuesOf(sheet.getRow(1)), ['firstName', 'lastName', 'iban', 'vip', 'score']);
  assert.equal(sheet.getRow(1).getCell(1).font?.bold, true);
  assert.deepEqual(valuesOf(sheet.getRow(2)), ['Anna', 'Müller', 'DE89 **** **** 3000', true, 42]);
  const formula = sheet.getRow(3).getCell(1);
  assert.equal(formula.type, ExcelJS.ValueType.String);
  assert.equal(formula.value, '=1+1');
  assert.equal(sheet.rowCount, 3);
});
