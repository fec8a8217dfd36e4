import { randomUUID } from 'node:crypto';

/** A multipart/form-data body with one file part, for app.inject(). */
export function multipartFile(
  fileName: string,
  content: Buffer | string,
  options: { field?: string; contentType?: string } = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----kontor-${randomUUID()}`;
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="${options.field ?? 'file'}"; filename="${fileName}"\r\n` +
    `Content-Type: ${options.contentType ?? 'application/octet-stream'}\r\n\r\n`;
  const payload = Buffer.concat([
    Buffer.from(head),
    typeof content === 'string' ? Buffer.from(content) : content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const FIRST = ['Anna', 'Jürgen', 'Sophie', 'Björn', 'Léa', 'François', 'Käthi', 'Noémie', 'Urs', 'Hélène'];
const LAST = [
  'Müller',
  'Meier',
  'Schröder',
  'Dubois',
  'Weiß',
  'Lefèvre',
  'Zürcher',
  'Strauß',
  'Gruber',
  'Bühler',
];
const CITIES = [
  ['8001', 'Zürich', 'CH', '044 668 18 '],
  ['10115', 'Berlin', 'DE', '030 901820'],
  ['1010', 'Wien', 'AT', '01 5134'],
  ['75001', 'Paris', 'FR', '01 42 60 38 '],
] as const;

export const CONTACT_HEADER = [
  'Anrede',
  'Vorname',
  'Nachname',
  'E-Mail',
  'Telefon',
  'Strasse',
  'PLZ',
  'Ort',
  'Land',
  'IBAN',
  'Geburtstag',
  'Gruppen',
];

/**
 * Rows of realistic contacts (German headers, umlauts, national phone numbers of the row's
 * country, dates as 31.12.1980), email `person<i>@example.<tld>`: row i of the data is the
 * file's row i + 2.
 */
export function contactRows(count: number, from = 0): string[][] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const [zip, city, country, phone] = CITIES[i % CITIES.length] as (typeof CITIES)[number];
    const two = String(10 + (i % 90));
    return [
      i % 2 === 0 ? 'Frau' : 'Herr',
      FIRST[i % FIRST.length] as string,
      LAST[(i * 7) % LAST.length] as string,
      `person${i}@example.${country.toLowerCase()}`,
      `${phone}${two}`,
      `Bahnhofstrasse ${1 + (i % 120)}`,
      zip,
      city,
      country === 'CH'
        ? 'Schweiz'
        : country === 'DE'
          ? 'Deutschland'
          : country === 'AT'
            ? 'Österreich'
            : 'France',
      i % 5 === 0 ? 'DE89 3704 0044 0532 0130 00' : '',
      `${String(1 + (i % 28)).padStart(2, '0')}.${String(1 + (i % 12)).padStart(2, '0')}.${1950 + (i % 50)}`,
      i % 3 === 0 ? 'Kunde, Newsletter' : 'Interessent',
    ];
  });
}

/** A CSV text: `;`, CRLF, quotes where needed. */
export function toCsv(rows: readonly (readonly string[])[], delimiter = ';'): string {
  const quote = (v: string) =>
    v.includes(delimiter) || v.includes('"') || v.includes('\n') || v.includes('\r')
      ? `"${v.replaceAll('"', '""')}"`
      : v;
  return rows.map((r) => r.map(quote).join(delimiter)).join('\r\n');
}
