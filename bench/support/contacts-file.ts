// A realistic contact file for the import benchmark, written twice from the same rows: as the CSV
// a person would import (German column names, `;`, UTF-8 with BOM, phone numbers and dates as
// people type them, country names) and as the COPY text of the values Kontor stores for those
// rows (E.164 phone numbers, electronic IBANs, ISO dates and country codes), so that the
// baseline loads exactly what the import ends up storing.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { composeIBAN } from 'ibantools';

type Country = 'DE' | 'CH' | 'AT' | 'FR';

// City, postal code, country, landline area code (national, without the 0), digits after it.
const CITIES: readonly (readonly [string, string, Country, string, number])[] = [
  ['Berlin', '10115', 'DE', '30', 8],
  ['Hamburg', '20095', 'DE', '40', 8],
  ['München', '80331', 'DE', '89', 8],
  ['Köln', '50667', 'DE', '221', 7],
  ['Frankfurt am Main', '60311', 'DE', '69', 8],
  ['Düsseldorf', '40213', 'DE', '211', 7],
  ['Stuttgart', '70173', 'DE', '711', 7],
  ['Leipzig', '04109', 'DE', '341', 7],
  ['Nürnberg', '90402', 'DE', '911', 7],
  ['Zürich', '8001', 'CH', '44', 7],
  ['Bern', '3011', 'CH', '31', 7],
  ['Basel', '4051', 'CH', '61', 7],
  ['Genève', '1204', 'CH', '22', 7],
  ['Lausanne', '1003', 'CH', '21', 7],
  ['Luzern', '6003', 'CH', '41', 7],
  ['St. Gallen', '9000', 'CH', '71', 7],
  ['Wien', '1010', 'AT', '1', 7],
  ['Graz', '8010', 'AT', '316', 6],
  ['Linz', '4020', 'AT', '732', 6],
  ['Salzburg', '5020', 'AT', '662', 6],
  ['Innsbruck', '6020', 'AT', '512', 6],
  ['Paris', '75001', 'FR', '1', 8],
  ['Lyon', '69001', 'FR', '4', 8],
  ['Marseille', '13001', 'FR', '4', 8],
  ['Strasbourg', '67000', 'FR', '3', 8],
  ['Bordeaux', '33000', 'FR', '5', 8],
  ['Nantes', '44000', 'FR', '2', 8],
];
const CALLING: Record<Country, string> = { DE: '49', CH: '41', AT: '43', FR: '33' };
const MOBILE: Record<Country, readonly [string, number]> = {
  DE: ['151', 8],
  CH: ['79', 7],
  AT: ['664', 7],
  FR: ['6', 8],
};
const COUNTRY_NAMES: Record<Country, readonly string[]> = {
  DE: ['Deutschland', 'DE', 'Germany'],
  CH: ['Schweiz', 'CH', 'Suisse'],
  AT: ['Österreich', 'AT', 'Austria'],
  FR: ['France', 'FR', 'Frankreich'],
};
const STREETS: Record<Country, readonly string[]> = {
  DE: [
    'Hauptstraße',
    'Bahnhofstraße',
    'Schillerstraße',
    'Gartenweg',
    'Lindenallee',
    'Mühlenweg',
    'Königstraße',
  ],
  CH: ['Bahnhofstrasse', 'Seestrasse', 'Dorfstrasse', 'Rue du Rhône', 'Kirchgasse', 'Zürcherstrasse'],
  AT: ['Mariahilfer Straße', 'Hauptplatz', 'Landstraße', 'Ringstraße', 'Schönbrunner Straße'],
  FR: [
    'Rue de la Paix',
    'Avenue des Champs-Élysées',
    'Rue Lafayette',
    'Boulevard Haussmann',
    'Place Bellecour',
  ],
};
const FIRST = [
  'Anna',
  'Jürgen',
  'Sophie',
  'Björn',
  'Léa',
  'François',
  'Käthi',
  'Noémie',
  'Urs',
  'Hélène',
  'Jörg',
  'Zoë',
  'Matthias',
  'Céline',
  'René',
  'Sören',
  'Maëlle',
  'Günter',
  'Anaïs',
  'Lukas',
  'Élodie',
  'Ruedi',
  'Inès',
  'Max',
];
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
  'Jäger',
  'Köhler',
  'Größer',
  'Dupont',
  'Kälin',
  'Lüthi',
  'Mühlegger',
  'Duchêne',
  'Schäfer',
  'Wyss',
  'Fröhlich',
  'Brunner',
];
const DOMAINS = ['example.de', 'example.ch', 'example.at', 'example.fr', 'beispiel.de', 'exemple.fr'];

/** A small, fast, seeded generator (mulberry32): the same file for the same seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function ascii(text: string): string {
  return text
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

function digits(next: () => number, n: number): string {
  // The first digit is 2–8: no subscriber number starts with 0 or 1, and French 09 numbers are not mobile.
  let out = String(2 + Math.floor(next() * 7));
  for (let i = 1; i < n; i++) out += String(Math.floor(next() * 10));
  return out;
}

/** A national number as people write it in that country, and its E.164 form. */
function phoneOf(next: () => number, country: Country, area: string, length: number) {
  let subscriber = digits(next, length);
  // French numbers of the overseas departments (0262, 0590, 0639 …) are not mainland France's.
  if (country === 'FR' && /^(26|59|63|69)/.test(`${area}${subscriber}`))
    subscriber = `4${subscriber.slice(1)}`;
  const e164 = `+${CALLING[country]}${area}${subscriber}`;
  const style = next();
  if (style < 0.25) return { typed: `+${CALLING[country]} ${area} ${subscriber}`, e164 };
  if (country === 'CH' && subscriber.length === 7) {
    return {
      typed: `0${area} ${subscriber.slice(0, 3)} ${subscriber.slice(3, 5)} ${subscriber.slice(5)}`,
      e164,
    };
  }
  if (country === 'FR') {
    const national = `0${area}${subscriber}`;
    return { typed: national.replace(/(\d\d)(?=\d)/g, '$1 '), e164 };
  }
  return { typed: style < 0.6 ? `0${area} ${subscriber}` : `0${area}/${subscriber}`, e164 };
}

function ibanOf(next: () => number, country: Country): string {
  // French account numbers carry a national check key besides the IBAN's: French rows bank in Germany.
  const bank = country === 'FR' ? 'DE' : country;
  let bban = '';
  for (let i = 0; i < (bank === 'DE' ? 18 : bank === 'AT' ? 16 : 17); i++)
    bban += String(Math.floor(next() * 10));
  const iban = composeIBAN({ countryCode: bank, bban });
  if (!iban) throw new Error('could not compose an IBAN');
  return iban;
}

export const IMPORT_HEADER = [
  'Anrede',
  'Vorname',
  'Nachname',
  'E-Mail',
  'Telefon',
  'Mobil',
  'Strasse',
  'PLZ',
  'Ort',
  'Land',
  'IBAN',
  'Geburtstag',
];

/** The contact columns the COPY text fills, in its order (tenant_id first). */
export const COPY_COLUMNS = [
  'tenant_id',
  'salutation',
  'first_name',
  'last_name',
  'email',
  'phone',
  'mobile',
  'street',
  'postal_code',
  'city',
  'country',
  'iban',
  'birthday',
];

const quoteCsv = (v: string) => (/[;"\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const copyText = (v: string | null) =>
  v === null
    ? '\\N'
    : v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

/**
 * Writes `rows` contacts to `csvPath` (what is imported) and `copyPath` (what COPY loads for
 * `tenantId`). Returns the CSV's size in bytes.
 */
export async function writeContactFiles(options: {
  rows: number;
  csvPath: string;
  copyPath: string;
  tenantId: string;
  seed?: number;
}): Promise<number> {
  const next = random(options.seed ?? 42);
  const csv = createWriteStream(options.csvPath);
  const copy = createWriteStream(options.copyPath);
  let bytes = 0;
  const write = async (stream: typeof csv, text: string) => {
    if (stream === csv) bytes += Buffer.byteLength(text);
    if (!stream.write(text)) await once(stream, 'drain');
  };
  await write(csv, `\ufeff${IMPORT_HEADER.join(';')}\r\n`);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  for (let i = 0; i < options.rows; i++) {
    const [city, zip, country, area, length] = pick(CITIES);
    const female = next() < 0.5;
    const first = pick(FIRST);
    const last = next() < 0.15 ? `${pick(LAST)}-${pick(LAST)}` : pick(LAST);
    const salutation = country === 'FR' ? (female ? 'Madame' : 'Monsieur') : female ? 'Frau' : 'Herr';
    const email = `${ascii(first)}.${ascii(last)}.${i}@${pick(DOMAINS)}`;
    const phone = phoneOf(next, country, area, length);
    const mobile = next() < 0.6 ? phoneOf(next, country, ...MOBILE[country]) : null;
    const street = `${pick(STREETS[country])} ${1 + Math.floor(next() * 180)}`;
    const iban = next() < 0.3 ? ibanOf(next, country) : null;
    let birthday: { typed: string; iso: string } | null = null;
    if (next() < 0.4) {
      const y = 1940 + Math.floor(next() * 65);
      const m = 1 + Math.floor(next() * 12);
      const d = 1 + Math.floor(next() * 28);
      const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      birthday = {
        typed: next() < 0.7 ? `${String(d).padStart(2, '0')}.${String(m).padStart(2, '0')}.${y}` : iso,
        iso,
      };
    }
    const typedIban = iban ? iban.replace(/(.{4})(?=.)/g, '$1 ') : '';
    await write(
      csv,
      `${[
        salutation,
        first,
        last,
        email,
        phone.typed,
        mobile?.typed ?? '',
        street,
        zip,
        city,
        pick(COUNTRY_NAMES[country]),
        typedIban,
        birthday?.typed ?? '',
      ]
        .map(quoteCsv)
        .join(';')}\r\n`,
    );
    await write(
      copy,
      `${[
        options.tenantId,
        salutation,
        first,
        last,
        email,
        phone.e164,
        mobile?.e164 ?? null,
        street,
        zip,
        city,
        country,
        iban,
        birthday?.iso ?? null,
      ]
        .map(copyText)
        .join('\t')}\n`,
    );
  }
  csv.end();
  copy.end();
  await Promise.all([once(csv, 'close'), once(copy, 'close')]);
  return bytes;
}
