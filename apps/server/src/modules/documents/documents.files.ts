import { fileTypeFromBuffer } from 'file-type';

/**
 * What a document may be, judged from its bytes (never from the declared Content-Type), and
 * how its name is cleaned, shown masked and sent in Content-Disposition. Pure functions.
 */

/** Allowed content types and the extension each is known by. */
export const ALLOWED_TYPES: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'text/plain': 'txt',
  'text/csv': 'csv',
};

/** Text has no signature: these are allowed by extension, when the bytes look like text. */
const TEXT_BY_EXTENSION: Readonly<Record<string, string>> = { txt: 'text/plain', csv: 'text/csv' };

/**
 * How many leading bytes are sniffed. file-type needs ~4 KB for most formats; office files are
 * zip archives whose telling entry ([Content_Types].xml, mimetype) may come a little later.
 */
export const SNIFF_BYTES = 64 * 1024;

export type Sniffed =
  | { ok: true; contentType: string }
  /** `detected`: what the bytes are, when file-type knows (`application/x-msdownload`). */
  | { ok: false; detected: string | undefined };

/**
 * The content type of a file from its first bytes (up to SNIFF_BYTES) and its (cleaned) name:
 * a recognised format must be on the allow-list. Text has no signature, so a file named .txt or
 * .csv whose bytes look like text is text/plain or text/csv — also when a signature check
 * matched by accident (UTF-16 text starts with bytes that pass for an MP3 frame); binary
 * formats contain NUL bytes and never look like text.
 */
export async function sniffContentType(head: Uint8Array, fileName: string): Promise<Sniffed> {
  const found = await fileTypeFromBuffer(head);
  if (found && ALLOWED_TYPES[found.mime]) return { ok: true, contentType: found.mime };
  const text = TEXT_BY_EXTENSION[extensionOf(fileName) ?? ''];
  if (text && looksLikeText(head)) return { ok: true, contentType: text };
  return { ok: false, detected: found?.mime };
}

/**
 * Text in any 8-bit encoding (UTF-8, Windows-1252, …) or UTF-16 with a byte-order mark: no NUL
 * and hardly any control characters other than tab, line and page breaks.
 */
export function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  let units: ArrayLike<number> = head;
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    const littleEndian = head[0] === 0xff;
    const codes: number[] = [];
    for (let i = 2; i + 1 < head.length; i += 2) {
      codes.push(
        littleEndian
          ? (head[i] ?? 0) | ((head[i + 1] ?? 0) << 8)
          : ((head[i] ?? 0) << 8) | (head[i + 1] ?? 0),
      );
    }
    units = codes;
  }
  let control = 0;
  for (let i = 0; i < units.length; i++) {
    const c = units[i] ?? 0;
    if (c === 0) return false;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d && c !== 0x1b) || c === 0x7f)
      control++;
  }
  return control <= units.length / 100;
}

/** The extension of a name, lower case, without the dot; undefined when there is none. */
export function extensionOf(fileName: string): string | undefined {
  const match = /\.([A-Za-z0-9]{1,10})$/.exec(fileName);
  return match?.[1]?.toLowerCase();
}

const MAX_NAME = 255;

/**
 * A file name fit to show and to send back: the last path segment only, NFC, without control,
 * zero-width or bidirectional-override characters (which can disguise `exe.pdf` as
 * `fdp.exe`), without characters Windows refuses, no leading dots, at most 255 characters with
 * the extension kept. Nothing left: `document.<ext>`.
 */
export function sanitiseFileName(raw: string | undefined, contentType: string): string {
  let name = (raw ?? '').normalize('NFC');
  name = name.split(/[\\/]/).pop() ?? '';
  name = name
    // Control (Cc) and format (Cf) characters: zero-width, bidi overrides, byte-order marks.
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+/, '')
    .replace(/[\s.]+$/, '');
  if (name === '') return `document.${ALLOWED_TYPES[contentType] ?? 'bin'}`;
  const chars = [...name];
  if (chars.length <= MAX_NAME) return name;
  const ext = extensionOf(name);
  const tail = ext ? [...`.${ext}`] : [];
  return (
    chars
      .slice(0, MAX_NAME - tail.length)
      .join('')
      .trimEnd() + tail.join('')
  );
}

/** `Vertrag Müller.pdf` → `V***.pdf`: enough to tell documents apart, not to read the name. */
export function maskFileName(fileName: string): string {
  const ext = extensionOf(fileName);
  const first = [...fileName][0] ?? '*';
  return `${first}***${ext ? `.${ext}` : ''}`;
}

/**
 * `Content-Disposition: attachment` with the name twice (RFC 6266): `filename` as a quoted
 * ASCII fallback (accents dropped, anything else `_`) for old clients, and `filename*` as
 * UTF-8, percent-encoded per RFC 5987 (RFC 8187), which every current browser prefers.
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
