import { pipeline, Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { fileTypeFromBuffer } from 'file-type';
import { importsError } from './imports.errors.ts';
import type { ImportEncoding, ImportFileKind } from './imports.tables.ts';

/**
 * Reading import files: what kind a file is, its text encoding and CSV delimiter, and its rows
 * as text cells, from CSV (csv-parse) or XLSX (exceljs, streamed). Every reader takes the bytes
 * as an async iterable, so the job reads the stored chunks one at a time and never holds the
 * whole file.
 */

export const DELIMITERS = [';', ',', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];
export const ENCODINGS = ['utf-8', 'utf-16le', 'windows-1252'] as const satisfies readonly ImportEncoding[];

/** One row of a sheet, as a spreadsheet numbers it (the first row is 1), cells as text. */
export type SheetRow = { rowNumber: number; cells: string[] };

const HEAD_BYTES = 64 * 1024;

export { HEAD_BYTES };

/** CSV or XLSX, from the first bytes of the file (never from its name alone). */
export async function sniffKind(head: Uint8Array, fileName: string): Promise<ImportFileKind> {
  // Text with a byte-order mark (FF FE also looks like an MPEG audio frame to file-type).
  if ((head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) || (head[0] === 0xff && head[1] === 0xfe)) {
    return 'csv';
  }
  const type = await fileTypeFromBuffer(head);
  if (type?.ext === 'xlsx') return 'xlsx';
  if (type?.ext === 'zip') {
    // file-type names a workbook only when its first entries are in the bytes it was given.
    const text = Buffer.from(head).toString('latin1');
    if (text.includes('xl/workbook.xml') || text.includes('xl/worksheets/')) return 'xlsx';
  }
  if (type === undefined && !looksBinary(head)) return 'csv';
  const what =
    type?.ext === 'cfb' ? 'an old Excel (.xls) or other Office file' : `a ${type?.ext ?? 'binary'} file`;
  throw importsError(
    'IMPORTS_UNSUPPORTED_FILE',
    `"${fileName}" is ${what}; import a CSV file or an Excel workbook (.xlsx). In Excel: Save as → CSV UTF-8 or Excel workbook.`,
  );
}

function looksBinary(head: Uint8Array): boolean {
  // UTF-16 text is full of NUL bytes: a byte-order mark says which it is.
  if (head[0] === 0xff && head[1] === 0xfe) return false;
  return head.subarray(0, 8192).includes(0);
}

/**
 * Decides a CSV file's encoding while it is being received: UTF-16 when it starts with the
 * UTF-16 LE byte-order mark (Excel's "Unicode text"), UTF-8 when every byte sequence is valid
 * UTF-8 (with or without a BOM), else Windows-1252, what German and French Excel write as "CSV".
 */
export class EncodingProbe {
  #decoder = new TextDecoder('utf-8', { fatal: true });
  #validUtf8 = true;
  #first: Uint8Array | undefined;

  push(chunk: Uint8Array): void {
    this.#first ??= chunk;
    if (!this.#validUtf8) return;
    try {
      this.#decoder.decode(chunk, { stream: true });
    } catch {
      this.#validUtf8 = false;
    }
  }

  result(): ImportEncoding {
    const first = this.#first;
    if (first && first[0] === 0xff && first[1] === 0xfe) return 'utf-16le';
    if (first && first[0] === 0xfe && first[1] === 0xff) {
      throw importsError(
        'IMPORTS_UNSUPPORTED_FILE',
        'The file is UTF-16 big-endian text; save it as CSV UTF-8 (or UTF-16 little-endian).',
      );
    }
    if (this.#validUtf8) {
      try {
        this.#decoder.decode();
      } catch {
        return 'windows-1252';
      }
      return 'utf-8';
    }
    return 'windows-1252';
  }
}

/**
 * Windows-1252 differs from ISO-8859-1 only in 0x80–0x9F (€, „, “, ”, ‚, ‘, ’, –, —, …, Š, Ž, Œ …).
 * Node 20's TextDecoder reads "windows-1252" as ISO-8859-1, so those 27 bytes are mapped here
 * (the five bytes Windows-1252 leaves undefined stay as they are, as the WHATWG decoder does).
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
];
const C1 = /[\u0080-\u009f]/g;

function decodeWindows1252(chunk: Uint8Array): string {
  const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
  return text.replace(C1, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? c.charCodeAt(0)));
}

/** The bytes as text, chunk by chunk (a character split between chunks is put back together). */
export async function* decodeText(
  bytes: AsyncIterable<Uint8Array>,
  encoding: ImportEncoding,
): AsyncGenerator<string> {
  if (encoding === 'windows-1252') {
    for await (const chunk of bytes) yield decodeWindows1252(chunk);
    return;
  }
  // The byte-order mark is dropped (ignoreBOM: false).
  const decoder = new TextDecoder(encoding);
  for await (const chunk of bytes) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * The delimiter of a CSV text, from its first lines: of `;`, `,`, tab and `|` (outside quotes),
 * the one that occurs in the header line and as often in most of the lines after it. A file
 * with one column has none of them: `,` then.
 */
export function detectDelimiter(head: string): Delimiter {
  const lines = splitLines(head).slice(0, 30);
  const [header, ...rest] = lines.filter((l) => l.trim() !== '');
  if (header === undefined) return ',';
  let best: { delimiter: Delimiter; score: number } = { delimiter: ',', score: -1 };
  for (const delimiter of DELIMITERS) {
    const columns = countOutsideQuotes(header, delimiter);
    if (columns === 0) continue;
    const agreeing = rest.filter((l) => countOutsideQuotes(l, delimiter) === columns).length;
    // Lines agreeing first, then more columns: "Name, Vorname;Ort" is two columns split by ';'.
    const score = agreeing * 1000 + columns;
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

/** Lines of a text, not split inside quotes (the head may end in the middle of a line: dropped). */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) {
      lines.push(text.slice(start, i));
      if (c === '\r' && text[i + 1] === '\n') i++;
      start = i + 1;
    }
  }
  return lines;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let quoted = false;
  let n = 0;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === delimiter) n++;
  }
  return n;
}

/** Every row of a CSV text, blank ones included (the caller skips them). */
export async function* csvRows(
  bytes: AsyncIterable<Uint8Array>,
  format: { encoding: ImportEncoding; delimiter: Delimiter },
): AsyncGenerator<SheetRow> {
  const parser = parse({
    delimiter: format.delimiter,
    relax_column_count: true,
    // `Müller "Hansi" AG` in an unquoted cell is a value, not broken quoting.
    relax_quotes: true,
    skip_empty_lines: false,
  });
  // A failure of the source (a chunk that cannot be read) reaches the loop below through the parser.
  pipeline(Readable.from(decodeText(bytes, format.encoding), { objectMode: true }), parser, () => undefined);
  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNumber += 1;
      yield { rowNumber, cells: record };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      throw importsError(
        'IMPORTS_UNREADABLE_FILE',
        `The CSV file cannot be read after row ${rowNumber}: ${error.message.replace(/^Invalid [^:]*: /, '')}`,
      );
    }
    throw error;
  } finally {
    parser.destroy();
  }
}

type CellValue = ExcelJS.CellValue | undefined;

/** A cell as text: dates as YYYY-MM-DD (with the time when it has one), formulas by their result. */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
  }
  if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value)
    return cellText((value as { result?: CellValue }).result);
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('error' in value) return String(value.error);
  return '';
}

export type XlsxReading = {
  rows: AsyncGenerator<SheetRow>;
  /** Every sheet's name, in order; complete once `rows` has run to its end. */
  sheets: string[];
};

/**
 * The rows of one sheet of a workbook (by name, else the first), read as a stream. The other
 * sheets are skipped over, but their names are collected.
 */
export function xlsxRows(bytes: AsyncIterable<Uint8Array>, sheet: string | undefined): XlsxReading {
  const sheets: string[] = [];
  let sourceError: unknown;
  async function* guarded(): AsyncGenerator<Uint8Array> {
    try {
      yield* bytes;
    } catch (error) {
      // Not the workbook's fault: handed on as it is (below), so the job retries.
      sourceError = error;
      throw error;
    }
  }
  async function* rows(): AsyncGenerator<SheetRow> {
    const input = Readable.from(guarded());
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'cache',
      worksheets: 'emit',
      entries: 'emit',
    });
    let found = false;
    try {
      for await (const worksheet of reader) {
        const name = (worksheet as unknown as { name?: string }).name ?? `Sheet${sheets.length + 1}`;
        sheets.push(name);
        const chosen = !found && (sheet === undefined || sheet === name);
        for await (const row of worksheet) {
          if (!chosen) continue;
          const values = (row as ExcelJS.Row).values as CellValue[];
          yield { rowNumber: (row as ExcelJS.Row).number, cells: values.slice(1).map(cellText) };
        }
        if (chosen) found = true;
      }
    } catch (error) {
      if (sourceError !== undefined) throw sourceError;
      if (error instanceof Error && !(error as { code?: string }).code?.startsWith('IMPORTS_')) {
        throw importsError(
          'IMPORTS_UNREADABLE_FILE',
          'The workbook cannot be read: it is damaged or not an .xlsx file.',
        );
      }
      throw error;
    } finally {
      input.destroy();
    }
    if (sourceError !== undefined) throw sourceError;
    if (!found) {
      throw importsError(
        'IMPORTS_SHEET_NOT_FOUND',
        sheet === undefined
          ? 'The workbook has no sheet.'
          : `The workbook has no sheet "${sheet}"; it has ${sheets.map((s) => `"${s}"`).join(', ')}.`,
        [{ path: 'sheet', message: `must be one of: ${sheets.join(', ')}` }],
      );
    }
  }
  return { rows: rows(), sheets };
}

/** Whether a row holds nothing but blanks. */
export function isBlank(cells: readonly string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

/**
 * Column names from the header row: trimmed; an empty one is `Column <n>`; a repeated one gets
 * ` (2)`, ` (3)` …, so that a mapping can name each column.
 */
export function columnNames(header: readonly string[]): string[] {
  let last = header.length;
  while (last > 0 && (header[last - 1] ?? '').trim() === '') last--;
  const used = new Set<string>();
  return header.slice(0, last).map((raw, i) => {
    const base = raw.trim().slice(0, 200) || `Column ${i + 1}`;
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base} (${n})`;
    used.add(name.toLowerCase());
    return name;
  });
}

/** What a file holds: its columns, its first data rows, and how many data rows there are. */
export type Layout = { columns: string[]; preview: SheetRow[]; totalRows: number };

/**
 * Columns and preview from the rows; the row count too when `count` is given none (it reads to
 * the end then), else the count given (the CSV record count of countCsvRecords, header included).
 */
export async function readLayout(
  rows: AsyncIterable<SheetRow>,
  previewRows: number,
  count?: () => Promise<number>,
): Promise<Layout> {
  let columns: string[] | undefined;
  const preview: SheetRow[] = [];
  let totalRows = 0;
  for await (const row of rows) {
    if (isBlank(row.cells)) continue;
    if (columns === undefined) {
      columns = columnNames(row.cells);
      continue;
    }
    totalRows += 1;
    if (preview.length < previewRows)
      preview.push({ rowNumber: row.rowNumber, cells: fit(row.cells, columns.length) });
    else if (count) break;
  }
  if (count && columns !== undefined && preview.length >= previewRows) totalRows = (await count()) - 1;
  if (columns === undefined || columns.length === 0) {
    throw importsError(
      'IMPORTS_UNREADABLE_FILE',
      'The file is empty: it has no header row with column names.',
    );
  }
  if (totalRows === 0) {
    throw importsError('IMPORTS_UNREADABLE_FILE', 'The file has a header row but no rows of data below it.');
  }
  return { columns, preview, totalRows };
}

/**
 * The data rows in file order (the header and blank rows left out), each with its cells fitted
 * to the columns and what lies beyond the last column, if anything (a sign the row is shifted).
 */
export async function* dataRows(
  rows: AsyncIterable<SheetRow>,
  width: number,
): AsyncGenerator<SheetRow & { overflow: boolean }> {
  let header = true;
  for await (const row of rows) {
    if (isBlank(row.cells)) continue;
    if (header) {
      header = false;
      continue;
    }
    const overflow = row.cells.slice(width).some((c) => c.trim() !== '');
    yield { rowNumber: row.rowNumber, cells: fit(row.cells, width), overflow };
  }
}

function fit(cells: readonly string[], width: number): string[] {
  const out = cells.slice(0, width);
  while (out.length < width) out.push('');
  return out;
}

/**
 * How many non-blank records a CSV text holds, without parsing it into cells: a scan of its
 * characters (quotes, delimiters, line ends) that is about twenty times faster than csv-parse, so
 * that an upload of a million rows is counted in a second. It reads quotes as csv-parse does here
 * (a quote opens a quoted value only at the start of a value; `""` inside one is a quote) and
 * takes CR, LF and CRLF as line ends. Throws, as csv-parse would, when a quote is never closed or
 * a closing quote is followed by more than a delimiter or a line end.
 */
export async function countCsvRecords(texts: AsyncIterable<string>, delimiter: Delimiter): Promise<number> {
  const DELIMITER = delimiter.charCodeAt(0);
  const QUOTE = 34;
  const CR = 13;
  const LF = 10;
  let records = 0;
  let quoted = false;
  let quoteSeen = false; // a quote inside a quoted value: the end of it, or the first of ""
  let fieldStart = true;
  let content = false;
  let lastWasCr = false;
  for await (const text of texts) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (quoted) {
        if (quoteSeen) {
          quoteSeen = false;
          if (c === QUOTE) {
            content = true;
            continue;
          }
          quoted = false; // and c is read below as the character after a closed quote
          if (c !== DELIMITER && c !== CR && c !== LF) {
            throw importsError(
              'IMPORTS_UNREADABLE_FILE',
              `The CSV file cannot be read at row ${records + 1}: a quoted value is followed by more text before the next delimiter.`,
            );
          }
        } else {
          if (c === QUOTE) quoteSeen = true;
          else if (c > 32) content = true;
          continue;
        }
      }
      if (c === LF || c === CR) {
        if (!(c === LF && lastWasCr)) {
          if (content) records += 1;
          content = false;
          fieldStart = true;
        }
        lastWasCr = c === CR;
        continue;
      }
      lastWasCr = false;
      if (c === DELIMITER) {
        fieldStart = true;
        continue;
      }
      if (c === QUOTE && fieldStart) {
        quoted = true;
        fieldStart = false;
        continue;
      }
      fieldStart = false;
      if (c > 32 && c !== 0xfeff) content = true;
    }
  }
  if (quoted && !quoteSeen) {
    throw importsError(
      'IMPORTS_UNREADABLE_FILE',
      'The CSV file cannot be read: a quoted value is never closed.',
    );
  }
  if (content) records += 1;
  return records;
}
