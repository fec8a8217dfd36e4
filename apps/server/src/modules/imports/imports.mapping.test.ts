import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CustomFieldDefinition } from '../contacts/index.ts';
import { countryCode, foldName, isoDate, planRows, rowBody, suggestMapping } from './imports.mapping.ts';

function field(
  overrides: Partial<CustomFieldDefinition> & Pick<CustomFieldDefinition, 'key' | 'type'>,
): CustomFieldDefinition {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    objectType: 'contact',
    label: overrides.key,
    labels: {},
    options: [],
    required: false,
    unique: false,
    dataCategory: 'custom',
    position: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

test('column names in German, English and French suggest their fields; each field once, tags for every tags column', () => {
  const columns = [
    'Anrede',
    'Vorname',
    'Nachname',
    'E-Mail',
    'Telefon',
    'Handy',
    'Straße',
    'PLZ',
    'Ort',
    'Land',
    'Geburtsdatum',
    'IBAN',
    'BIC',
    'USt-IdNr.',
    'Zahlungsart',
    'Kontoinhaber',
    'Sprache',
    'Webseite',
    'Bemerkung',
    'Gruppen',
    'Prénom',
    'Code postal',
    'Ville',
    'Kategorie',
    'Kundennummer',
  ];
  assert.deepEqual(suggestMapping(columns, []), {
    Anrede: 'salutation',
    Vorname: 'firstName',
    Nachname: 'lastName',
    'E-Mail': 'email',
    Telefon: 'phone',
    Handy: 'mobile',
    Straße: 'street',
    PLZ: 'postalCode',
    Ort: 'city',
    Land: 'country',
    Geburtsdatum: 'birthday',
    IBAN: 'iban',
    BIC: 'bic',
    'USt-IdNr.': 'vatId',
    Zahlungsart: 'paymentMethod',
    Kontoinhaber: 'accountHolder',
    Sprache: 'language',
    Webseite: 'website',
    Bemerkung: 'notes',
    Gruppen: 'tags',
    Kategorie: 'tags',
  });
  assert.deepEqual(
    suggestMapping(
      ['Prénom', 'Nom', 'Courriel', 'Adresse', 'Code postal', 'Ville', 'Pays', 'Date de naissance', 'N° TVA'],
      [],
    ),
    {
      Prénom: 'firstName',
      Nom: 'lastName',
      Courriel: 'email',
      Adresse: 'street',
      'Code postal': 'postalCode',
      Ville: 'city',
      Pays: 'country',
      'Date de naissance': 'birthday',
      'N° TVA': 'vatId',
    },
  );
  assert.deepEqual(
    suggestMapping(
      ['First name', 'Last name', 'Email address', 'ZIP code', 'City', 'Mobile phone', 'Date of birth'],
      [],
    ),
    {
      'First name': 'firstName',
      'Last name': 'lastName',
      'Email address': 'email',
      'ZIP code': 'postalCode',
      City: 'city',
      'Mobile phone': 'mobile',
      'Date of birth': 'birthday',
    },
  );
  // Custom fields by key or by a label in any language.
  const defs = [
    field({ key: 'member_no', type: 'text', label: 'Mitgliedsnummer', labels: { fr: 'Numéro de membre' } }),
  ];
  assert.deepEqual(suggestMapping(['member_no'], defs), { member_no: 'customFields.member_no' });
  assert.deepEqual(suggestMapping(['Numéro de membre'], defs), {
    'Numéro de membre': 'customFields.member_no',
  });
});

test('folding: case, accents, ß and punctuation do not matter', () => {
  assert.equal(foldName(' E-Mail-Adresse '), 'emailadresse');
  assert.equal(foldName('Straße'), 'strasse');
  assert.equal(foldName('Téléphone'), 'telephone');
});

test('dates as people type them become YYYY-MM-DD; two-digit years and other forms do not', () => {
  assert.equal(isoDate('31.12.1980'), '1980-12-31');
  assert.equal(isoDate('1.2.1980'), '1980-02-01');
  assert.equal(isoDate('31/12/1980'), '1980-12-31');
  assert.equal(isoDate('1980-12-31'), '1980-12-31');
  assert.equal(isoDate('1980-12-31 00:00:00'), '1980-12-31');
  assert.equal(isoDate('31.12.80'), undefined);
  assert.equal(isoDate('Dec 31, 1980'), undefined);
  assert.equal(isoDate('1980-12-31 13:00'), undefined);
});

test('countries by code, alpha-3 or name in German, English or French', () => {
  for (const [text, code] of [
    ['DE', 'DE'],
    ['de', 'DE'],
    ['DEU', 'DE'],
    ['Deutschland', 'DE'],
    ['Germany', 'DE'],
    ['Allemagne', 'DE'],
    ['Schweiz', 'CH'],
    ['Suisse', 'CH'],
    ['Switzerland', 'CH'],
    ['Österreich', 'AT'],
    ['Autriche', 'AT'],
    ['Frankreich', 'FR'],
    ['France', 'FR'],
    ['Liechtenstein', 'LI'],
    ['USA', 'US'],
  ] as const) {
    assert.equal(countryCode(text), code, text);
  }
  assert.equal(countryCode('Atlantis'), undefined);
});

test('a mapping is checked against the columns and the custom fields, every problem under mapping.<column>', () => {
  const defs = [field({ key: 'member_no', type: 'text' })];
  assert.throws(
    () =>
      planRows(
        ['A', 'B', 'C'],
        {
          mapping: { A: 'lastName', B: 'lastName', C: 'customFields.nope', D: 'city' },
          tags: [],
          defaultCountry: null,
        },
        defs,
      ),
    (error: { code?: string; details?: { path: string }[] }) =>
      error.code === 'IMPORTS_INVALID_MAPPING' &&
      JSON.stringify(error.details?.map((d) => d.path).sort()) ===
        JSON.stringify(['mapping.B', 'mapping.C', 'mapping.D']),
  );
  assert.throws(() => planRows(['A'], { mapping: { A: 'ignore' }, tags: [], defaultCountry: null }, []), {
    code: 'IMPORTS_INVALID_MAPPING',
  });
  const plan = planRows(
    ['A', 'B', 'C'],
    { mapping: { A: 'tags', B: 'tags', C: 'ignore' }, tags: [], defaultCountry: null },
    [],
  );
  assert.equal(plan.mapped.length, 2);
});

test('a row becomes the body POST /api/v1/contacts takes: tags split and added, the default country filled in', () => {
  const plan = planRows(
    ['Name', 'Land', 'Geburtstag', 'Gruppen', 'Mehr', 'Sprache', 'Zahlung'],
    {
      mapping: {
        Name: 'lastName',
        Land: 'country',
        Geburtstag: 'birthday',
        Gruppen: 'tags',
        Mehr: 'tags',
        Sprache: 'language',
        Zahlung: 'paymentMethod',
      },
      tags: ['Import 2026'],
      defaultCountry: 'CH',
    },
    [],
  );
  assert.deepEqual(
    rowBody(plan, [' Müller ', 'Deutschland', '31.12.1980', 'Kunde, VIP;', 'Messe', 'Deutsch', 'Rechnung']),
    {
      body: {
        lastName: 'Müller',
        country: 'DE',
        birthday: '1980-12-31',
        tags: ['Kunde', 'VIP', 'Messe', 'Import 2026'],
        language: 'de',
        paymentMethod: 'invoice',
      },
      errors: [],
    },
  );
  assert.deepEqual(rowBody(plan, ['Meier', '', '', '', '', '', '']).body, {
    lastName: 'Meier',
    country: 'CH',
    tags: ['Import 2026'],
  });
  assert.deepEqual(
    rowBody(plan, ['Meier', 'Atlantis', '12/1980', '', '', '', '']).errors.map((e) => e.path),
    ['country', 'birthday'],
  );
});

test('custom values as spreadsheets hold them: Ja/Nein, 1.234,50, dates, option labels, lists', () => {
  const defs = [
    field({ key: 'ok', type: 'boolean' }),
    field({ key: 'fee', type: 'decimal' }),
    field({ key: 'count', type: 'number' }),
    field({ key: 'since', type: 'date' }),
    field({
      key: 'level',
      type: 'single_select',
      options: [{ value: 'gold', label: 'Gold', labels: { fr: 'Or' } }],
    }),
    field({
      key: 'topics',
      type: 'multi_select',
      options: [
        { value: 'wine', label: 'Wein', labels: {} },
        { value: 'cheese', label: 'Käse', labels: {} },
      ],
    }),
  ];
  const plan = planRows(
    ['ok', 'fee', 'count', 'since', 'level', 'topics'],
    {
      mapping: Object.fromEntries(defs.map((d) => [d.key, `customFields.${d.key}` as const])),
      tags: [],
      defaultCountry: null,
    },
    defs,
  );
  assert.deepEqual(
    rowBody(plan, ['Ja', '1.234,50', "1'200", '01.02.2020', 'or', 'Käse; Wein']).body.customFields,
    {
      ok: true,
      fee: '1234.50',
      count: '1200',
      since: '2020-02-01',
      level: 'gold',
      topics: ['cheese', 'wine'],
    },
  );
  assert.deepEqual(rowBody(plan, ['non', '12,5', '', '', '', '']).body.customFields, {
    ok: false,
    fee: '12.5',
  });
  assert.deepEqual(rowBody(plan, ['', '', '', '2020-13', '', '']).errors, [
    { path: 'customFields.since', message: 'must be a date such as 31.12.1980 or 1980-12-31' },
  ]);
});
