import assert from 'node:assert/strict';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import {
  cellText,
  columnNames,
  countCsvRecords,
  csvRows,
  decodeText,
  detectDelimiter,
  EncodingProbe,
  readLayout,
  sniffKind,
  xlsxRows,
} from './imports.file.ts';

async function* chunks(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function* texts(...parts: string[]): AsyncGenerator<string> {
  yield* parts;
}

function probe(bytes: Buffer, size = 3): string {
  const p = new EncodingProbe();
  for (let i = 0; i < bytes.length; i += size) p.push(bytes.subarray(i, i + size));
  return p.result();
}

test('encoding: UTF-8 with or without BOM (even split inside a character), UTF-16 LE by its BOM, else Windows-1252', () => {
  assert.equal(probe(Buffer.from('Name\nMüller\n')), 'utf-8');
  assert.equal(probe(Buffer.from('\ufeffName\nMüller\n')), 'utf-8');
  assert.equal(probe(Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72])), 'windows-1252');
  assert.equal(probe(Buffer.from('\ufeffName\tOrt\n', 'utf16le')), 'utf-16le');
  // A file that ends in the middle of a UTF-8 sequence is not UTF-8.
  assert.equal(probe(Buffer.from([0x41, 0xc3])), 'windows-1252');
});

test('Windows-1252 is decoded with its own characters in 0x80–0x9F (€ „ “ – …), which ISO-8859-1 lacks', async () => {
  const bytes = Buffer.from([0x80, 0x20, 0x84, 0x61, 0x93, 0x20, 0x96, 0x20, 0x85, 0x20, 0xe4, 0xdf]);
  const text = (await collect(decodeText(chunks(bytes, 5), 'windows-1252'))).join('');
  assert.equal(text, '€ „a“ – … äß');
  const utf16 = (
    await collect(decodeText(chunks(Buffer.from('\ufeffZürich', 'utf16le'), 3), 'utf-16le'))
  ).join('');
  assert.equal(utf16, 'Zürich');
});

test('the delimiter is the one that splits the header and the lines after it alike', () => {
  assert.equal(detectDelimiter('Vorname;Nachname;Ort\nAnna;Müller;Bern\n'), ';');
  assert.equal(detectDelimiter('first,last\n"Müller, Anna",x\n'), ',');
  assert.equal(detectDelimiter('a\tb\tc\n1\t2\t3\n'), '\t');
  assert.equal(detectDelimiter('Name, Vorname;Ort\nMüller, Anna;Bern\nMeier, Urs;Biel\n'), ';');
  assert.equal(detectDelimiter('Name\nMüller\n'), ',', 'one column: no delimiter to find');
});

test('CSV rows: quoted delimiters, doubled quotes, line breaks in values and quotes inside unquoted values', async () => {
  const text = 'a;b;c\r\n"x;y";"say ""hi""";"two\nlines"\r\nMüller "Hansi" AG;;\r\n';
  const rows = await collect(csvRows(chunks(Buffer.from(text), 4), { encoding: 'utf-8', delimiter: ';' }));
  assert.deepEqual(rows, [
    { rowNumber: 1, cells: ['a', 'b', 'c'] },
    { rowNumber: 2, cells: ['x;y', 'say "hi"', 'two\nlines'] },
    { rowNumber: 3, cells: ['Müller "Hansi" AG', '', ''] },
  ]);
});

test('a quote never closed makes the file unreadable (400), naming why', async () => {
  await assert.rejects(
    collect(csvRows(chunks(Buffer.from('a;b\n"x;y\n'), 4), { encoding: 'utf-8', delimiter: ';' })),
    (error: { code?: string }) => error.code === 'IMPORTS_UNREADABLE_FILE',
  );
  await assert.rejects(countCsvRecords(texts('a;b\n"x;y\n'), ';'), /never closed/);
  await assert.rejects(countCsvRecords(texts('a;b\n"x"y;z\n'), ';'), /followed by more text/);
});

test('the record count of the scan agrees with csv-parse: blank lines, quoted line breaks, CRLF split across chunks', async () => {
  const text = '\ufeffa;b\r\n\r\n1;"x\r\ny"\r\n;;\r\n"";" "\r\n2;"say ""hi"""\r\n3;4';
  const parsed = (
    await collect(csvRows(chunks(Buffer.from(text), 3), { encoding: 'utf-8', delimiter: ';' }))
  ).filter((r) => r.cells.some((c) => c.trim() !== ''));
  const counted = await countCsvRecords(texts(...text.match(/[\s\S]{1,3}/g)!), ';');
  assert.equal(counted, parsed.length);
  assert.equal(counted, 4);
});

test('layout: the first non-blank row names the columns (empty names filled, repeated ones numbered); blank rows do not count', async () => {
  assert.deepEqual(columnNames(['Name', '', 'Name', ' name ', '', '']), [
    'Name',
    'Column 2',
    'Name (2)',
    'name (3)',
  ]);
  async function* rows() {
    yield { rowNumber: 1, cells: ['', ''] };
    yield { rowNumber: 2, cells: ['Vorname', 'Nachname'] };
    yield { rowNumber: 3, cells: ['Anna', 'Müller', 'extra'] };
    yield { rowNumber: 4, cells: [' ', ''] };
    yield { rowNumber: 5, cells: ['Urs'] };
  }
  assert.deepEqual(await readLayout(rows(), 20), {
    columns: ['Vorname', 'Nachname'],
    preview: [
      { rowNumber: 3, cells: ['Anna', 'Müller'] },
      { rowNumber: 5, cells: ['Urs', ''] },
    ],
    totalRows: 2,
  });
});

test('file kind from the bytes: an XLSX workbook, CSV text; an old .xls or a PDF is refused (415)', async () => {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('A').addRow(['x']);
  assert.equal(
    await sniffKind(Buffer.from(await workbook.xlsx.writeBuffer()).subarray(0, 65536), 'a.xlsx'),
    'xlsx',
  );
  assert.equal(await sniffKind(Buffer.from('Name;Ort\nMüller;Bern\n'), 'a.xlsx'), 'csv');
  assert.equal(await sniffKind(Buffer.from('\ufeffName\n', 'utf16le'), 'a.txt'), 'csv');
  const xls = Buffer.concat([
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
    Buffer.alloc(600),
  ]);
  await assert.rejects(sniffKind(xls, 'alt.xls'), (e: { code?: string; message: string }) => {
    return e.code === 'IMPORTS_UNSUPPORTED_FILE' && /old Excel/.test(e.message);
  });
  await assert.rejects(sniffKind(Buffer.from('%PDF-1.7\n'), 'a.pdf'), { code: 'IMPORTS_UNSUPPORTED_FILE' });
});

test('XLSX cells as text: dates, numbers, booleans, formulas by their result, rich text, hyperlinks', async () => {
  assert.equal(cellText(new Date(Date.UTC(1980, 11, 31))), '1980-12-31');
  assert.equal(cellText(new Date(Date.UTC(2026, 0, 2, 13, 45))), '2026-01-02T13:45:00Z');
  assert.equal(cellText(4930123456), '4930123456');
  assert.equal(cellText(true), 'true');
  assert.equal(cellText({ formula: 'A1*2', result: 42 }), '42');
  assert.equal(cellText({ richText: [{ text: 'Mül' }, { text: 'ler' }] }), 'Müller');
  assert.equal(cellText({ text: 'a@example.ch', hyperlink: 'mailto:a@example.ch' }), 'a@example.ch');
  assert.equal(cellText(null), '');

  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Eins').addRow(['a']);
  const two = workbook.addWorksheet('Zwei');
  two.addRow(['Name', 'Seit']);
  two.addRow(['Käthi', new Date(Date.UTC(2020, 1, 29))]);
  const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
  const reading = xlsxRows(chunks(bytes, 1000), 'Zwei');
  assert.deepEqual(await collect(reading.rows), [
    { rowNumber: 1, cells: ['Name', 'Seit'] },
    { rowNumber: 2, cells: ['Käthi', '2020-02-29'] },
  ]);
  assert.deepEqual(reading.sheets, ['Eins', 'Zwei']);
  await assert.rejects(collect(xlsxRows(chunks(bytes, 1000), 'Drei').rows), {
    code: 'IMPORTS_SHEET_NOT_FOUND',
  });
  await assert.rejects(collect(xlsxRows(chunks(bytes.subarray(0, 2000), 1000), undefined).rows), {
    code: 'IMPORTS_UNREADABLE_FILE',
  });
});
