import { PassThrough } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import countries from 'i18n-iso-countries';

/**
 * The three file formats of an export, as pure writers over rows that field access has already
 * shaped: CSV (csv-stringify), XLSX (exceljs' streaming writer) and vCard 4.0 (RFC 6350; no
 * well-kept vCard writer is among our dependencies, so the few rules it needs are here, each
 * pinned by a test in exports.formats.test.ts).
 */

export const EXPORT_FORMATS = ['csv', 'xlsx', 'vcard'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  vcard: 'text/vcard; charset=utf-8',
};

export const FILE_EXTENSIONS: Record<ExportFormat, string> = { csv: 'csv', xlsx: 'xlsx', vcard: 'vcf' };

// ---------------------------------------------------------------------------------------------
// Tables: CSV and XLSX
// ---------------------------------------------------------------------------------------------

export type Cell = string | number | boolean | null;
export type Table = { headers: string[]; rows: Cell[][] };

/**
 * A spreadsheet reads a cell starting with `=`, `+`, `-` or `@` as a formula (CSV injection:
 * `=HYPERLINK(…)`, `=cmd|…`). Such a text gets a leading apostrophe, which Excel and LibreOffice
 * take as "this is text". Values made only of digits, spaces and `+ - ( ) . / *` (phone numbers
 * such as `+41446681800`, masked ones such as `+41 *** ** 67`) name no function and stay as they are.
 */
export function guardFormula(value: string): string {
  if (!/^[=+\-@\t\r]/.test(value)) return value;
  if (/^[+-]?[\d\s().*/-]+$/.test(value) && /\d/.test(value)) return value;
  return `'${value}`;
}

function csvCell(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return guardFormula(cell);
  return String(cell);
}

/**
 * CSV as Excel opens it: UTF-8 with a byte-order mark (or umlauts break), CRLF line ends,
 * fields quoted when they hold the delimiter, a quote or a line break. `;` is the delimiter
 * German and French Excel expect (their decimal separator is the comma).
 */
export function toCsv(table: Table, options: { delimiter: ',' | ';' }): Buffer {
  const text = stringify([table.headers, ...table.rows.map((row) => row.map(csvCell))], {
    bom: true,
    delimiter: options.delimiter,
    record_delimiter: 'windows',
    quoted_match: /^\s|\s$/,
  });
  return Buffer.from(text, 'utf8');
}

/**
 * XLSX through exceljs' streaming writer: rows are committed as they are added, the header
 * row is bold and frozen with a filter. Texts are written as text cells, never as formulas.
 */
export async function toXlsx(table: Table, options: { sheetName: string }): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'Kontor';
  const sheet = workbook.addWorksheet(options.sheetName.slice(0, 31), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = table.headers.map((header, i) => ({
    key: `c${i}`,
    width: Math.min(
      50,
      Math.max(10, header.length + 2, ...table.rows.slice(0, 200).map((r) => String(r[i] ?? '').length + 2)),
    ),
  }));
  if (table.headers.length > 0) {
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.headers.length } };
  }
  const header = sheet.addRow(table.headers);
  header.font = { bold: true };
  header.commit();
  for (const row of table.rows) sheet.addRow(row.map((cell) => cell ?? undefined)).commit();
  sheet.commit();
  await workbook.commit();
  await ended;
  return Buffer.concat(chunks);
}

// ---------------------------------------------------------------------------------------------
// vCard 4.0 (RFC 6350)
// ---------------------------------------------------------------------------------------------

/** One person as a vCard shows them; a field that is absent or null is left out. */
export type VcardContact = {
  uid: string;
  salutation?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  organisation?: string | null;
  email?: string | null;
  phone?: string | null;
  mobile?: string | null;
  fax?: string | null;
  website?: string | null;
  street?: string | null;
  addressLine1?: string | null;
  addressLine2?: string | null;
  postalCode?: string | null;
  city?: string | null;
  region?: string | null;
  /** ISO 3166-1 alpha-2; written as the country's (English) name. */
  country?: string | null;
  language?: string | null;
  /** YYYY-MM-DD, or masked as YYYY-**-** (written as the year alone). */
  birthday?: string | null;
  notes?: string | null;
  categories?: readonly string[] | null;
  /** ISO-8601 time of the last change. */
  updatedAt?: string | null;
};

const CRLF = '\r\n';

/**
 * TEXT values (§3.4): backslash, comma and line breaks are escaped (`\\`, `\,`, `\n`); a
 * semicolon too inside the components of a structured value (N, ADR, ORG), where it separates
 * them (`component: true`).
 */
export function escapeText(value: string, options: { component?: boolean } = {}): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
  return options.component ? escaped.replace(/;/g, '\\;') : escaped;
}

/**
 * Line folding (§3.2): a content line longer than 75 octets is split by CRLF and one space; the
 * space counts towards the next line's 75. A multi-octet UTF-8 character is never split.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > limit) {
      parts.push(current);
      current = ' ';
      octets = 1;
      limit = 75;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(CRLF);
}

function property(name: string, value: string, params: string[] = []): string {
  return foldLine(`${[name, ...params].join(';')}:${value}`);
}

const present = (v: string | null | undefined): v is string => typeof v === 'string' && v.trim() !== '';
const isMasked = (v: string) => v.includes('*');

function countryName(code: string): string {
  return /^[A-Z]{2}$/.test(code) ? (countries.getName(code, 'en') ?? code) : code;
}

/** `2026-11-30T10:15:00.000Z` → `20261130T101500Z` (§4.3.5 timestamp). */
function timestamp(iso: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(iso);
  return m ? `${m[1]}${m[2]}${m[3]}T${m[4]}${m[5]}${m[6]}Z` : undefined;
}

/** BDAY (§6.2.5): `1984-02-29` → `19840229`; masked `1984-**-**` → the year alone, `1984`. */
function birthday(value: string): string | undefined {
  const full = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (full) return `${full[1]}${full[2]}${full[3]}`;
  const year = /^(\d{4})-\*\*-\*\*$/.exec(value);
  return year ? year[1] : undefined;
}

/**
 * TEL (§6.4.1): a full number as a `tel:` URI; a masked one (`+41 *** ** 67`) is no URI and is
 * written as free text, which the property also allows.
 */
function tel(value: string, type: string): string {
  return isMasked(value) || !/^\+\d{4,15}$/.test(value)
    ? property('TEL', escapeText(value), [`TYPE=${type}`])
    : property('TEL', `tel:${value}`, ['VALUE=uri', `TYPE=${type}`]);
}

/** One vCard 4.0: BEGIN, VERSION and FN first (FN is required), then what the contact has. */
export function toVcard(c: VcardContact): string {
  const given = present(c.firstName) ? c.firstName : '';
  const family = present(c.lastName) ? c.lastName : '';
  const formatted =
    [given, family].filter((s) => s !== '').join(' ') ||
    (present(c.organisation) ? c.organisation : '') ||
    (present(c.email) ? c.email : '') ||
    c.uid;
  const lines = ['BEGIN:VCARD', 'VERSION:4.0', property('FN', escapeText(formatted)), 'KIND:individual'];
  if (given || family || present(c.salutation)) {
    const component = (v: string | null | undefined) =>
      present(v) ? escapeText(v, { component: true }) : '';
    lines.push(
      property('N', [component(family), component(given), '', component(c.salutation), ''].join(';')),
    );
  }
  if (present(c.organisation)) lines.push(property('ORG', escapeText(c.organisation, { component: true })));
  if (present(c.email)) lines.push(property('EMAIL', escapeText(c.email)));
  if (present(c.phone)) lines.push(tel(c.phone, 'voice'));
  if (present(c.mobile)) lines.push(tel(c.mobile, 'cell'));
  if (present(c.fax)) lines.push(tel(c.fax, 'fax'));
  // URL is a URI: a masked website is none, so it is left out.
  if (present(c.website) && !isMasked(c.website) && /^https?:\/\//.test(c.website)) {
    lines.push(property('URL', c.website));
  }
  const street = [c.street, c.addressLine1, c.addressLine2].filter(present);
  if (street.length > 0 || [c.postalCode, c.city, c.region, c.country].some(present)) {
    const component = (v: string | null | undefined) =>
      present(v) ? escapeText(v, { component: true }) : '';
    // post office box; extended address (SHOULD be empty); street (a list); locality; region;
    // postal code; country name.
    const adr = [
      '',
      '',
      street.map((s) => escapeText(s, { component: true })).join(','),
      component(c.city),
      component(c.region),
      component(c.postalCode),
      present(c.country) ? escapeText(countryName(c.country), { component: true }) : '',
    ].join(';');
    lines.push(property('ADR', adr));
  }
  if (present(c.birthday)) {
    const bday = birthday(c.birthday);
    if (bday) lines.push(property('BDAY', bday));
  }
  if (present(c.language) && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(c.language)) {
    lines.push(property('LANG', c.language));
  }
  if (c.categories && c.categories.length > 0) {
    lines.push(property('CATEGORIES', c.categories.map((t) => escapeText(t)).join(',')));
  }
  if (present(c.notes)) lines.push(property('NOTE', escapeText(c.notes)));
  lines.push(property('UID', `urn:uuid:${c.uid}`));
  const rev = present(c.updatedAt) ? timestamp(c.updatedAt) : undefined;
  if (rev) lines.push(property('REV', rev));
  lines.push('PRODID:-//Kontor//Kontor CRM//EN', 'END:VCARD');
  return lines.join(CRLF) + CRLF;
}

/** A .vcf file: the vCards one after another (§3.1), UTF-8 without byte-order mark. */
export function toVcards(contacts: Iterable<VcardContact>): Buffer {
  const cards: string[] = [];
  for (const c of contacts) cards.push(toVcard(c));
  return Buffer.from(cards.join(''), 'utf8');
}
