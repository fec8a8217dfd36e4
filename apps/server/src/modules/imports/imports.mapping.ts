import { createRequire } from 'node:module';
import countries from 'i18n-iso-countries';
import type { ErrorDetail } from '../../kernel/errors.ts';
import {
  type CustomFieldDefinition,
  IMPORTABLE_CONTACT_FIELDS,
  type ImportableContactField,
} from '../contacts/index.ts';
import { importsError } from './imports.errors.ts';

/**
 * From a file's columns to contact fields: the mapping suggested for a header row (names in
 * German, English and French, and custom fields by key or label), the mapping checked, and each
 * row turned into the body `POST /api/v1/contacts` takes — after the conversions a spreadsheet
 * needs: dates as 31.12.1980, countries by name (Deutschland, Suisse), `Ja`/`Nein`, `12,50`,
 * select options by label, tags split on `,` or `;`. The contact rules themselves are the
 * contacts module's (prepareContactRow).
 */

export type ImportTarget = ImportableContactField | 'tags' | 'ignore' | `customFields.${string}`;

/** Lower case, accents off, ß → ss, letters and digits only: `E-Mail` → `email`, `Prénom` → `prenom`. */
export function foldName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]/g, '');
}

/** Header names (folded) each target is suggested for. */
const SYNONYMS: Record<ImportableContactField | 'tags', readonly string[]> = {
  salutation: ['anrede', 'briefanrede', 'salutation', 'civilite', 'titre', 'title'],
  firstName: ['vorname', 'rufname', 'firstname', 'first', 'givenname', 'forename', 'prenom'],
  lastName: [
    'nachname',
    'familienname',
    'name',
    'lastname',
    'last',
    'surname',
    'familyname',
    'nom',
    'nomdefamille',
  ],
  street: [
    'strasse',
    'str',
    'strassenr',
    'strassehausnummer',
    'strasseundhausnummer',
    'strasseundnr',
    'anschrift',
    'street',
    'streetaddress',
    'address',
    'adresse',
    'rue',
    'voie',
  ],
  addressLine1: [
    'adresszusatz',
    'zusatz',
    'addressline1',
    'address1',
    'complementdadresse',
    'complement',
    'co',
  ],
  addressLine2: ['adresszusatz2', 'zusatz2', 'addressline2', 'address2', 'complementdadresse2'],
  postalCode: ['plz', 'postleitzahl', 'zip', 'zipcode', 'postcode', 'postalcode', 'codepostal', 'cp', 'npa'],
  city: ['ort', 'stadt', 'wohnort', 'gemeinde', 'city', 'town', 'ville', 'localite', 'commune'],
  region: ['bundesland', 'kanton', 'region', 'state', 'province', 'county', 'canton', 'departement'],
  country: ['land', 'staat', 'landercode', 'country', 'countrycode', 'pays'],
  email: ['email', 'mail', 'emailadresse', 'emailaddress', 'courriel', 'adresseemail', 'adressemail', 'mel'],
  language: ['sprache', 'korrespondenzsprache', 'language', 'langue'],
  phone: [
    'telefon',
    'tel',
    'telefonnummer',
    'festnetz',
    'telefonprivat',
    'phone',
    'phonenumber',
    'telephone',
    'numerodetelephone',
    'telephonefixe',
  ],
  mobile: [
    'mobil',
    'mobile',
    'handy',
    'mobiltelefon',
    'mobilnummer',
    'natel',
    'mobilephone',
    'cell',
    'cellphone',
    'portable',
    'telephoneportable',
    'telmobile',
  ],
  fax: ['fax', 'telefax', 'faxnummer', 'telecopie'],
  website: [
    'website',
    'webseite',
    'internetseite',
    'homepage',
    'internet',
    'url',
    'web',
    'siteweb',
    'siteinternet',
  ],
  birthday: [
    'geburtstag',
    'geburtsdatum',
    'birthday',
    'birthdate',
    'dateofbirth',
    'dob',
    'datedenaissance',
    'anniversaire',
    'naissance',
  ],
  iban: ['iban', 'ibannummer'],
  bic: ['bic', 'swift', 'swiftcode', 'bicswift', 'swiftbic'],
  paymentMethod: [
    'zahlungsart',
    'zahlungsweise',
    'zahlungsmethode',
    'paymentmethod',
    'payment',
    'modedepaiement',
    'moyendepaiement',
  ],
  accountHolder: [
    'kontoinhaber',
    'kontoinhaberin',
    'accountholder',
    'accountname',
    'titulaire',
    'titulaireducompte',
  ],
  vatId: [
    'ustid',
    'ustidnr',
    'ustidnummer',
    'umsatzsteuerid',
    'umsatzsteueridentifikationsnummer',
    'uid',
    'uidnummer',
    'mwstnr',
    'vat',
    'vatid',
    'vatnumber',
    'tva',
    'numerodetva',
    'ntva',
    'tvaintracommunautaire',
  ],
  notes: [
    'notiz',
    'notizen',
    'bemerkung',
    'bemerkungen',
    'anmerkung',
    'kommentar',
    'notes',
    'note',
    'remarks',
    'comment',
    'comments',
    'remarque',
    'remarques',
    'commentaire',
  ],
  tags: [
    'tags',
    'tag',
    'gruppen',
    'gruppe',
    'kategorie',
    'kategorien',
    'schlagworte',
    'groups',
    'group',
    'labels',
    'groupes',
    'groupe',
    'etiquettes',
    'etiquette',
  ],
};

const BY_SYNONYM = new Map<string, ImportableContactField | 'tags'>(
  Object.entries(SYNONYMS).flatMap(([target, names]) =>
    names.map((n) => [n, target as ImportableContactField | 'tags'] as const),
  ),
);

/**
 * The suggested target of each column that matches one: a field by its German, English or
 * French name, a custom field by key or label. Each field is suggested for its first column
 * only; tags for every column that looks like one.
 */
export function suggestMapping(
  columns: readonly string[],
  definitions: readonly CustomFieldDefinition[],
): Record<string, ImportTarget> {
  const custom = new Map<string, string>();
  for (const d of definitions) {
    for (const name of [d.key, d.label, ...Object.values(d.labels)]) {
      const folded = foldName(name ?? '');
      if (folded && !custom.has(folded)) custom.set(folded, d.key);
    }
  }
  const taken = new Set<string>();
  const suggestion: Record<string, ImportTarget> = {};
  for (const column of columns) {
    const folded = foldName(column.replace(/\s*\(\d+\)$/, ''));
    const customKey = custom.get(folded);
    const target: ImportTarget | undefined =
      BY_SYNONYM.get(folded) ?? (customKey ? `customFields.${customKey}` : undefined);
    if (!target || (target !== 'tags' && taken.has(target))) continue;
    taken.add(target);
    suggestion[column] = target;
  }
  return suggestion;
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

const require = createRequire(import.meta.url);
const LANGUAGES = ['de', 'en', 'fr'] as const;
for (const lang of LANGUAGES) countries.registerLocale(require(`i18n-iso-countries/langs/${lang}.json`));

/** Countries by code (alpha-2, alpha-3) and by every German, English and French name, folded. */
const COUNTRY_BY_NAME = (() => {
  const map = new Map<string, string>();
  for (const [alpha2, alpha3] of Object.entries(countries.getAlpha2Codes()).map(
    ([a2]) => [a2, countries.alpha2ToAlpha3(a2)] as const,
  )) {
    map.set(alpha2.toLowerCase(), alpha2);
    if (alpha3) map.set(alpha3.toLowerCase(), alpha2);
  }
  for (const lang of LANGUAGES) {
    for (const [alpha2, names] of Object.entries(countries.getNames(lang, { select: 'all' }))) {
      for (const name of names) {
        const folded = foldName(name);
        if (folded && !map.has(folded)) map.set(folded, alpha2);
      }
    }
  }
  // Short forms people write that the lists spell out.
  for (const [name, code] of [
    ['usa', 'US'],
    ['uk', 'GB'],
    ['england', 'GB'],
    ['grossbritannien', 'GB'],
    ['holland', 'NL'],
    ['tschechien', 'CZ'],
    ['fl', 'LI'],
    ['furstentumliechtenstein', 'LI'],
  ] as const) {
    map.set(name, code);
  }
  return map;
})();

export function countryCode(text: string): string | undefined {
  return COUNTRY_BY_NAME.get(foldName(text));
}

const LANGUAGE_NAMES = new Map<string, string>([
  ...['deutsch', 'german', 'allemand', 'ger', 'deu'].map((n) => [n, 'de'] as [string, string]),
  ...['englisch', 'english', 'anglais', 'eng'].map((n) => [n, 'en'] as [string, string]),
  ...['franzosisch', 'french', 'francais', 'fra', 'fre'].map((n) => [n, 'fr'] as [string, string]),
  ...['italienisch', 'italian', 'italien', 'italiano', 'ita'].map((n) => [n, 'it'] as [string, string]),
  ...['spanisch', 'spanish', 'espagnol', 'espanol', 'spa'].map((n) => [n, 'es'] as [string, string]),
  ...['ratoromanisch', 'romansh', 'romanche', 'rumantsch', 'roh'].map((n) => [n, 'rm'] as [string, string]),
]);

const PAYMENT_NAMES = new Map<string, string>([
  ...['invoice', 'rechnung', 'aufrechnung', 'facture'].map((n) => [n, 'invoice'] as [string, string]),
  ...[
    'sepadirectdebit',
    'lastschrift',
    'sepalastschrift',
    'sepa',
    'directdebit',
    'prelevement',
    'prelevementsepa',
  ].map((n) => [n, 'sepa_direct_debit'] as [string, string]),
  ...['card', 'karte', 'kreditkarte', 'creditcard', 'carte', 'cartebancaire', 'cartedecredit'].map(
    (n) => [n, 'card'] as [string, string],
  ),
  ...['cash', 'bar', 'barzahlung', 'especes'].map((n) => [n, 'cash'] as [string, string]),
  ...['banktransfer', 'uberweisung', 'ueberweisung', 'transfer', 'virement', 'vorkasse'].map(
    (n) => [n, 'bank_transfer'] as [string, string],
  ),
  ...['other', 'sonstige', 'andere', 'autre'].map((n) => [n, 'other'] as [string, string]),
]);

const TRUE_WORDS = new Set(['ja', 'j', 'yes', 'y', 'oui', 'o', 'true', 'wahr', 'vrai', '1', 'x']);
const FALSE_WORDS = new Set(['nein', 'n', 'no', 'non', 'false', 'falsch', 'faux', '0']);

const DATE_MESSAGE = 'must be a date such as 31.12.1980 or 1980-12-31';

/**
 * A date as people type it, as YYYY-MM-DD: 31.12.1980, 31/12/1980 (day first, as in German and
 * French), 31-12-1980, 1980-12-31 (also with a midnight time, as some exports write dates).
 * Whether the day exists is the caller's rule. Two-digit years are refused (1920 or 2020?).
 */
export function isoDate(text: string): string | undefined {
  const t = text.trim();
  let y: string | undefined;
  let m: string | undefined;
  let d: string | undefined;
  let match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?Z?)?$/.exec(t);
  if (match) [, y, m, d] = match;
  else {
    match = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(t);
    if (match) [, d, m, y] = match;
  }
  if (!y || !m || !d) return undefined;
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

/** `1'234,50`, `1.234,50`, `1,234.50`, `12,5` → `1234.50` … (decimal comma or point, thousands marks). */
function decimalText(text: string): string {
  const t = text.trim().replace(/[\s'’]/g, '');
  if (/^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) return t.replace(/\./g, '').replace(',', '.');
  if (/^[+-]?\d+,\d+$/.test(t)) return t.replace(',', '.');
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) return t.replace(/,/g, '');
  return t;
}

function splitList(text: string): string[] {
  return text
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function optionValue(def: CustomFieldDefinition, text: string): string {
  const exact = def.options.find((o) => o.value === text);
  if (exact) return exact.value;
  const folded = foldName(text);
  const match = def.options.find(
    (o) =>
      foldName(o.value) === folded ||
      [o.label, ...Object.values(o.labels)].some((l) => l && foldName(l) === folded),
  );
  return match ? match.value : text;
}

function customValue(def: CustomFieldDefinition, text: string): unknown {
  switch (def.type) {
    case 'boolean': {
      const word = foldName(text);
      return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : text;
    }
    case 'number':
      return text.replace(/[\s'’]/g, '');
    case 'decimal':
      return decimalText(text);
    case 'date':
      return isoDate(text) ?? text;
    case 'single_select':
      return optionValue(def, text);
    case 'multi_select':
      return splitList(text).map((item) => optionValue(def, item));
    default:
      return text;
  }
}

// ---------------------------------------------------------------------------------------------
// The plan: a checked mapping, applied to each row
// ---------------------------------------------------------------------------------------------

export type ImportSettings = {
  mapping: Record<string, ImportTarget>;
  /** Tag names every imported contact gets (besides those of a tags column). */
  tags: readonly string[];
  /** For rows without a country: stored as their country, and the region their phone numbers are read in. */
  defaultCountry: string | null;
};

type Mapped = { index: number; column: string; target: Exclude<ImportTarget, 'ignore'> };

export type RowPlan = {
  readonly mapped: readonly Mapped[];
  readonly settings: ImportSettings;
  readonly definitions: ReadonlyMap<string, CustomFieldDefinition>;
  /** The column a field's error is reported under. */
  readonly columnOf: ReadonlyMap<string, string>;
};

const FIELDS = new Set<string>(IMPORTABLE_CONTACT_FIELDS);

/**
 * Checks a mapping against the file's columns and the tenant's custom fields: every column
 * named must exist, every target be a contact field, `tags`, `ignore` or a defined custom
 * field, and no field but tags take two columns. Every problem is named under `mapping.<column>`.
 */
export function planRows(
  columns: readonly string[],
  settings: ImportSettings,
  definitions: readonly CustomFieldDefinition[],
): RowPlan {
  const errors: ErrorDetail[] = [];
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const index = new Map(columns.map((c, i) => [c, i]));
  const mapped: Mapped[] = [];
  const firstColumn = new Map<string, string>();
  for (const [column, target] of Object.entries(settings.mapping)) {
    const path = `mapping.${column}`;
    const at = index.get(column);
    if (at === undefined) {
      errors.push({ path, message: 'the file has no such column' });
      continue;
    }
    if (target === 'ignore') continue;
    if (target.startsWith('customFields.')) {
      if (!byKey.has(target.slice('customFields.'.length))) {
        errors.push({ path, message: `there is no custom field "${target.slice(13)}" for contacts` });
        continue;
      }
    } else if (target !== 'tags' && !FIELDS.has(target)) {
      errors.push({ path, message: `is not a contact field, tags, a custom field or ignore` });
      continue;
    }
    const earlier = firstColumn.get(target);
    if (earlier !== undefined && target !== 'tags') {
      errors.push({ path, message: `${target} is already filled from the column "${earlier}"` });
      continue;
    }
    if (earlier === undefined) firstColumn.set(target, column);
    mapped.push({ index: at, column, target });
  }
  if (mapped.length === 0 && errors.length === 0) {
    errors.push({ path: 'mapping', message: 'map at least one column to a contact field' });
  }
  if (errors.length > 0) {
    throw importsError('IMPORTS_INVALID_MAPPING', 'The mapping does not fit the file; see errors.', errors);
  }
  return { mapped, settings, definitions: byKey, columnOf: firstColumn };
}

export type RowBody = {
  /** What POST /api/v1/contacts would take for this row. */
  body: Record<string, unknown>;
  /** Values no conversion could make sense of (reported with the contact rules' errors). */
  errors: ErrorDetail[];
};

/** One row's cells (fitted to the columns) as a contact body. */
export function rowBody(plan: RowPlan, cells: readonly string[]): RowBody {
  const body: Record<string, unknown> = {};
  const errors: ErrorDetail[] = [];
  const tags: string[] = [];
  let custom: Record<string, unknown> | undefined;
  for (const { index, target } of plan.mapped) {
    const text = (cells[index] ?? '').trim();
    if (text === '') continue;
    if (target === 'tags') {
      tags.push(...splitList(text));
      continue;
    }
    if (target.startsWith('customFields.')) {
      const key = target.slice('customFields.'.length);
      const def = plan.definitions.get(key) as CustomFieldDefinition;
      const value = customValue(def, text);
      if (def.type === 'date' && isoDate(text) === undefined) {
        errors.push({ path: target, message: DATE_MESSAGE });
        continue;
      }
      custom ??= {};
      custom[key] = value;
      continue;
    }
    switch (target) {
      case 'birthday': {
        const date = isoDate(text);
        if (date) body.birthday = date;
        else errors.push({ path: 'birthday', message: DATE_MESSAGE });
        break;
      }
      case 'country': {
        const code = countryCode(text);
        if (code) body.country = code;
        else
          errors.push({
            path: 'country',
            message:
              'is not a country: give an ISO code such as DE or a name such as Deutschland, Suisse or Austria',
          });
        break;
      }
      case 'language':
        body.language = LANGUAGE_NAMES.get(foldName(text)) ?? text;
        break;
      case 'paymentMethod':
        body.paymentMethod = PAYMENT_NAMES.get(foldName(text)) ?? text;
        break;
      default:
        body[target] = text;
    }
  }
  if (
    body.country === undefined &&
    plan.settings.defaultCountry &&
    !errors.some((e) => e.path === 'country')
  ) {
    body.country = plan.settings.defaultCountry;
  }
  const allTags = [...tags, ...plan.settings.tags];
  if (allTags.length > 0) body.tags = allTags;
  if (custom) body.customFields = custom;
  return { body, errors };
}

/** The column an error of a field is reported under (`tags.3` → the tags column). */
export function columnOfError(plan: RowPlan, path: string): string | undefined {
  const field = path.startsWith('customFields.') ? path.split('.').slice(0, 2).join('.') : path.split('.')[0];
  return field === undefined ? undefined : plan.columnOf.get(field);
}
