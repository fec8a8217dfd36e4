import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  docxBytes,
  exeBytes,
  gifBytes,
  jpegBytes,
  odtBytes,
  pdfBytes,
  pngBytes,
  webpBytes,
  xlsxBytes,
  zipBytes,
} from '../../../test/support/files.ts';
import {
  contentDisposition,
  looksLikeText,
  maskFileName,
  sanitiseFileName,
  sniffContentType,
} from './documents.files.ts';

test('the content type comes from the bytes: PDF, images and office files are recognised', async () => {
  const cases: [Buffer, string][] = [
    [pdfBytes(), 'application/pdf'],
    [pngBytes(), 'image/png'],
    [jpegBytes(), 'image/jpeg'],
    [gifBytes(), 'image/gif'],
    [webpBytes(), 'image/webp'],
    [docxBytes(), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    [await xlsxBytes(), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    [odtBytes(), 'application/vnd.oasis.opendocument.text'],
  ];
  for (const [bytes, type] of cases) {
    // The name says nothing: a PDF called .txt is a PDF.
    assert.deepEqual(await sniffContentType(bytes, 'upload.txt'), { ok: true, contentType: type }, type);
  }
});

test('a program is refused whatever its name says, and so are unknown archives', async () => {
  assert.deepEqual(await sniffContentType(exeBytes(), 'Rechnung.pdf'), {
    ok: false,
    detected: 'application/x-msdownload',
  });
  assert.deepEqual(await sniffContentType(exeBytes(), 'notes.txt'), {
    ok: false,
    detected: 'application/x-msdownload',
  });
  const zip = zipBytes([{ name: 'payload.js', data: 'alert(1)' }]);
  assert.deepEqual(await sniffContentType(zip, 'archive.docx'), { ok: false, detected: 'application/zip' });
});

test('text is accepted by extension (.txt, .csv) only when the bytes look like text', async () => {
  const csv = Buffer.from('Name;Ort\nMüller;Zürich\r\nDupont;Genève\n', 'utf8');
  assert.deepEqual(await sniffContentType(csv, 'kontakte.csv'), { ok: true, contentType: 'text/csv' });
  assert.deepEqual(await sniffContentType(csv, 'Notiz.TXT'), { ok: true, contentType: 'text/plain' });
  const latin1 = Buffer.from('Straße;Köln\n', 'latin1');
  assert.deepEqual(await sniffContentType(latin1, 'alt.csv'), { ok: true, contentType: 'text/csv' });
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Name\tOrt\r\n', 'utf16le')]);
  assert.deepEqual(await sniffContentType(utf16, 'excel-unicode.txt'), {
    ok: true,
    contentType: 'text/plain',
  });
  assert.deepEqual(await sniffContentType(csv, 'script.js'), { ok: false, detected: undefined });
  const binary = Buffer.from([0x00, 0x01, 0x02, 0x03, 0x41, 0x42]);
  assert.deepEqual(await sniffContentType(binary, 'data.csv'), { ok: false, detected: undefined });
  assert.equal(looksLikeText(Buffer.alloc(0)), false);
});

test('file names: path parts, control and bidi characters and Windows-reserved characters go', () => {
  assert.equal(sanitiseFileName('C:\\Users\\anna\\Vertrag.pdf', 'application/pdf'), 'Vertrag.pdf');
  assert.equal(sanitiseFileName('../../etc/passwd', 'text/plain'), 'passwd');
  assert.equal(sanitiseFileName('Rechnung\u202Efdp.exe', 'application/pdf'), 'Rechnungfdp.exe');
  assert.equal(sanitiseFileName('a\u0000b\u0007c.txt', 'text/plain'), 'abc.txt');
  assert.equal(sanitiseFileName('what?<is>"this"*.pdf', 'application/pdf'), 'what__is__this__.pdf');
  assert.equal(sanitiseFileName('  ..hidden.pdf.  ', 'application/pdf'), 'hidden.pdf');
  assert.equal(sanitiseFileName('Mu\u0308ller.pdf', 'application/pdf'), 'Müller.pdf', 'NFC');
  assert.equal(sanitiseFileName(undefined, 'image/png'), 'document.png');
  assert.equal(sanitiseFileName('...', 'application/pdf'), 'document.pdf');
  const long = sanitiseFileName(`${'ä'.repeat(300)}.pdf`, 'application/pdf');
  assert.equal([...long].length, 255);
  assert.ok(long.endsWith('ä.pdf'), 'the extension survives shortening');
});

test('Content-Disposition carries an ASCII fallback and the UTF-8 name (RFC 6266 / 5987)', () => {
  assert.equal(
    contentDisposition('Angebot Müller (final).pdf'),
    `attachment; filename="Angebot Muller (final).pdf"; filename*=UTF-8''Angebot%20M%C3%BCller%20%28final%29.pdf`,
  );
  assert.equal(
    contentDisposition("l'été 100%.txt"),
    `attachment; filename="l'ete 100_.txt"; filename*=UTF-8''l%27%C3%A9t%C3%A9%20100%25.txt`,
  );
  assert.equal(
    contentDisposition('报告.pdf'),
    `attachment; filename="__.pdf"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf`,
  );
});

test('a masked file name keeps its first character and its extension only', () => {
  assert.equal(maskFileName('Vertrag Müller.pdf'), 'V***.pdf');
  assert.equal(maskFileName('Ärztliches Attest.PDF'), 'Ä***.pdf');
  assert.equal(maskFileName('README'), 'R***');
});
