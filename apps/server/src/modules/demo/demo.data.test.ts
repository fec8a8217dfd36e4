import assert from 'node:assert/strict';
import { test } from 'node:test';
import { electronicFormatIBAN, extractBIC, extractIBAN, isValidIBAN } from 'ibantools';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import {
  type CustomFieldDefinition,
  createCompanySchema,
  createCustomFieldSchema,
  prepareContactRow,
} from '../contacts/index.ts';
import { allocate, COUNTRY_MIX, type DemoData, generateDemoData } from './demo.data.ts';
import {
  austrianVatCheckDigit,
  germanVatCheckDigit,
  luhnCheckDigit,
  ribKey,
  swissUidCheckDigit,
} from './demo.numbers.ts';
import { PLACES } from './demo.places.ts';

const NOW = new Date('2026-03-02T09:30:00Z');
const cache = new Map<number, DemoData>();
function demo(seed: number, contacts = 3000): DemoData {
  const key = seed * 1_000_000 + contacts;
  let data = cache.get(key);
  if (!data) {
    data = generateDemoData({ contacts, seed, now: NOW });
    cache.set(key, data);
  }
  return data;
}

/** The definitions the demo creates, as the custom-fields service would hand them out. */
function definitionsOf(data: DemoData): CustomFieldDefinition[] {
  return data.customFields.map((input, position) => ({
    ...createCustomFieldSchema.parse(input),
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    position,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
  }));
}

test('every generated person passes the rules of POST /api/v1/contacts, custom fields included', () => {
  for (const seed of [1, 2]) {
    const data = demo(seed);
    const definitions = definitionsOf(data).filter((d) => d.objectType === 'contact');
    data.contacts.forEach(({ body }, i) => {
      const prepared = prepareContactRow(i, body, definitions);
      assert.ok(
        prepared.ok,
        `seed ${seed}, contact ${i}: ${JSON.stringify(!prepared.ok && prepared.errors)}`,
      );
      // Stored as given: the generator already writes what the API would store.
      assert.equal(prepared.row.fields.phone, body.phone);
      assert.equal(prepared.row.fields.mobile, body.mobile);
      assert.equal(prepared.row.fields.iban, body.iban);
    });
  }
});

test('every generated company passes the rules of POST /api/v1/companies', () => {
  for (const seed of [1, 2]) {
    demo(seed).companies.forEach((body, i) => {
      const parsed = createCompanySchema.safeParse(body);
      assert.ok(parsed.success, `seed ${seed}, company ${i}: ${JSON.stringify(parsed.error?.issues)}`);
      assert.equal(parsed.data.vatId, body.vatId, 'VAT ids are generated in their stored form');
    });
  }
});

test('counts: one company per 8 persons, each with someone working there; one timeline entry per 15 persons', () => {
  const data = demo(1);
  assert.equal(data.contacts.length, 3000);
  assert.equal(data.companies.length, 375);
  assert.equal(data.activities.length, 200);
  const staffed = new Set(data.contacts.flatMap((c) => (c.company === null ? [] : [c.company])));
  assert.equal(staffed.size, 375);
  const employed = data.contacts.filter((c) => c.company !== null).length / 3000;
  assert.ok(employed > 0.4 && employed < 0.65, `share of persons with a company: ${employed}`);
  for (const c of data.contacts) {
    if (c.company !== null) assert.equal(c.body.country, data.companies[c.company]?.country);
  }
});

test('countries follow the product mix: 57 % DE, 26 % CH, 9 % AT, 6 % FR, the rest elsewhere', () => {
  const data = demo(1);
  const share = (rows: { country: string }[], country: string) =>
    (100 * rows.filter((r) => r.country === country).length) / rows.length;
  for (const rows of [data.contacts.map((c) => c.body), data.companies]) {
    for (const [country, expected] of [
      ['DE', 57],
      ['CH', 26],
      ['AT', 9],
      ['FR', 6],
    ] as const) {
      const actual = share(rows, country);
      assert.ok(Math.abs(actual - expected) <= 0.5, `${country}: ${actual} % instead of ${expected} %`);
    }
    const elsewhere = rows.filter((r) => !['DE', 'CH', 'AT', 'FR'].includes(r.country)).length / rows.length;
    assert.ok(elsewhere > 0.01 && elsewhere < 0.03, `elsewhere: ${elsewhere}`);
  }
  assert.deepEqual(
    [...allocate(7, COUNTRY_MIX).values()].reduce((a, b) => a + b, 0),
    7,
  );
});

test('addresses fit their country: postal code format, state or canton, city and language', () => {
  const postal: Record<string, RegExp> = {
    DE: /^\d{5}$/,
    FR: /^\d{5}$/,
    IT: /^\d{5}$/,
    CH: /^[1-9]\d{3}$/,
    AT: /^[1-9]\d{3}$/,
    BE: /^[1-9]\d{3}$/,
    LU: /^\d{4}$/,
    LI: /^94\d{2}$/,
    NL: /^[1-9]\d{3} [A-Z]{2}$/,
  };
  const languages: Record<string, string[]> = {
    DE: ['de-DE'],
    CH: ['de-CH', 'fr-CH'],
    AT: ['de-AT'],
    FR: ['fr-FR'],
  };
  const data = demo(2);
  const swissLanguages = new Map<string, number>();
  for (const { body } of data.contacts) {
    assert.match(body.postalCode ?? '', postal[body.country] as RegExp, `${body.country} ${body.postalCode}`);
    const place = PLACES[body.country as keyof typeof PLACES].find((p) => p.city === body.city);
    assert.ok(place, `${body.city} is a place of ${body.country}`);
    assert.equal(body.region, place.region);
    if (languages[body.country]) assert.ok(languages[body.country]?.includes(body.language), body.language);
    if (body.country === 'CH') {
      assert.match(body.region ?? '', /^[A-Z]{2}$/, 'a Swiss canton code');
      swissLanguages.set(body.language, (swissLanguages.get(body.language) ?? 0) + 1);
    }
    const salutations = body.language.startsWith('fr')
      ? ['Madame', 'Monsieur']
      : body.language.startsWith('de')
        ? ['Frau', 'Herr']
        : null;
    if (salutations)
      assert.ok(salutations.includes(body.salutation ?? ''), `${body.language}: ${body.salutation}`);
  }
  const french = (swissLanguages.get('fr-CH') ?? 0) / [...swissLanguages.values()].reduce((a, b) => a + b, 0);
  assert.ok(french > 0.15 && french < 0.4, `share of French-speaking Swiss contacts: ${french}`);
  assert.ok(data.contacts.some((c) => c.body.region === 'Nordrhein-Westfalen'));
  assert.ok(data.contacts.some((c) => c.body.region === 'Île-de-France'));
});

test('names carry umlauts and accents, with the common Müllers among them', () => {
  const names = demo(1).contacts.map((c) => `${c.body.firstName} ${c.body.lastName}`);
  assert.ok(names.filter((n) => /[äöüÄÖÜ]/.test(n)).length > 100, 'umlauts');
  assert.ok(names.filter((n) => /[éèêëçàâîïôûÉÈ]/.test(n)).length > 10, 'French accents');
  assert.ok(
    demo(1).contacts.some((c) => c.body.lastName === 'Müller'),
    'a Müller',
  );
});

test('phone and mobile numbers are valid numbers of the record’s country', () => {
  const data = demo(1);
  let phones = 0;
  for (const { body } of data.contacts) {
    for (const number of [body.phone, body.mobile, body.fax]) {
      if (number === null) continue;
      const parsed = parsePhoneNumberFromString(number);
      assert.ok(parsed?.isValid(), number);
      assert.equal(parsed?.country, body.country, `${number} belongs to ${body.country}`);
      phones += 1;
    }
    if (body.mobile) {
      assert.ok(
        ['MOBILE', 'FIXED_LINE_OR_MOBILE'].includes(parsePhoneNumberFromString(body.mobile)?.getType() ?? ''),
        body.mobile,
      );
    }
  }
  assert.ok(phones > 3000, `numbers: ${phones}`);
});

test('about 30 % of persons have a valid IBAN of their country, with a plausible BIC and a payment method', () => {
  const data = demo(1);
  const main = data.contacts.filter((c) => ['DE', 'CH', 'AT', 'FR'].includes(c.body.country));
  const withIban = main.filter((c) => c.body.iban !== null);
  const share = withIban.length / main.length;
  assert.ok(share > 0.25 && share < 0.35, `share with IBAN: ${share}`);
  for (const { body } of withIban) {
    const iban = electronicFormatIBAN(body.iban ?? '') ?? '';
    assert.ok(isValidIBAN(iban), iban);
    assert.equal(extractIBAN(iban).countryCode, body.country);
    const bic = extractBIC(body.bic ?? '');
    assert.ok(bic.valid, body.bic ?? '');
    assert.equal(bic.countryCode, body.country);
    assert.equal(body.accountHolder, `${body.firstName} ${body.lastName}`);
    assert.ok(body.paymentMethod);
  }
  const fr = withIban.find((c) => c.body.country === 'FR')?.body.iban ?? '';
  assert.equal(ribKey(fr.slice(4, 9), fr.slice(9, 14), fr.slice(14, 25)), fr.slice(25, 27), 'French RIB key');
});

test('VAT numbers carry the check digits of their scheme (checked against published numbers too)', () => {
  // Published, valid numbers: the functions compute their check digits.
  assert.equal(germanVatCheckDigit('13669597'), 6); // DE136695976
  assert.equal(austrianVatCheckDigit('1358562'), 7); // ATU13585627
  assert.equal(swissUidCheckDigit('11628171'), 0); // CHE-116.281.710
  assert.equal(luhnCheckDigit('30326504'), 5); // SIREN 303265045 (FR40303265045)
  let seen = 0;
  for (const { vatId, country } of demo(2).companies) {
    if (vatId === null) continue;
    seen += 1;
    if (country === 'DE') {
      assert.match(vatId, /^DE\d{9}$/);
      assert.equal(germanVatCheckDigit(vatId.slice(2, 10)), Number(vatId[10]), vatId);
    } else if (country === 'AT') {
      assert.match(vatId, /^ATU\d{8}$/);
      assert.equal(austrianVatCheckDigit(vatId.slice(3, 10)), Number(vatId[10]), vatId);
    } else if (country === 'CH') {
      assert.match(vatId, /^CHE-\d{3}\.\d{3}\.\d{3} (MWST|TVA)$/);
      const digits = vatId.replace(/\D/g, '');
      assert.equal(swissUidCheckDigit(digits.slice(0, 8)), Number(digits[8]), vatId);
    } else if (country === 'FR') {
      assert.match(vatId, /^FR\d{11}$/);
      const siren = vatId.slice(4);
      assert.equal(luhnCheckDigit(siren.slice(0, 8)), Number(siren[8]), vatId);
      assert.equal(Number(vatId.slice(2, 4)), (12 + 3 * (Number(siren) % 97)) % 97, vatId);
    } else assert.fail(`no VAT id expected for ${country}`);
  }
  assert.ok(seen > 300);
});

test('companies carry legal forms of their country, and everyone’s email is on a reserved domain', () => {
  const data = demo(1);
  const forms: Record<string, RegExp> = {
    DE: /(GmbH|AG|KG|OHG|e\.K\.|UG \(haftungsbeschränkt\))$/,
    AT: /(GmbH|AG|KG|OG|e\.U\.)$/,
    CH: /(AG|GmbH|Genossenschaft|SA|Sàrl)$/,
    FR: /(SARL|SAS|SA|EURL|SASU)$/,
  };
  for (const c of data.companies) if (forms[c.country]) assert.match(c.name, forms[c.country] as RegExp);
  const reserved = /@([a-z0-9-]+\.example|example\.(com|net|org))$/;
  const emails = [...data.companies.map((c) => c.email), ...data.contacts.map((c) => c.body.email)].filter(
    (e): e is string => e !== null,
  );
  for (const email of emails) assert.match(email, reserved);
  assert.equal(new Set(emails.map((e) => e.toLowerCase())).size, emails.length, 'addresses do not repeat');
});

test('tags and custom fields come in a realistic mix', () => {
  const data = demo(1);
  const count = (tag: string) => data.contacts.filter((c) => c.body.tags.includes(tag)).length / 3000;
  assert.ok(count('Kunde') > 0.35 && count('Kunde') < 0.5);
  assert.ok(count('Interessent') > 0.22 && count('Interessent') < 0.38);
  assert.ok(count('VIP') > 0.02 && count('VIP') < 0.09);
  assert.ok(count('Newsletter') > 0.25 && count('Newsletter') < 0.45);
  assert.ok(count('Messe 2026') > 0.05 && count('Messe 2026') < 0.12);
  assert.ok(
    data.contacts.every((c) => !(c.body.tags.includes('Kunde') && c.body.tags.includes('Interessent'))),
  );
  const withCar = data.contacts.filter((c) => c.body.customFields.marke !== undefined);
  assert.ok(withCar.length > 1000);
  for (const c of withCar) {
    assert.equal(typeof c.body.customFields.modell, 'string');
    if (['tesla'].includes(String(c.body.customFields.marke)))
      assert.equal(c.body.customFields.kraftstoff, 'elektro');
    const service = c.body.customFields.letzter_service;
    if (service !== undefined) assert.ok(String(service) < NOW.toISOString().slice(0, 10));
  }
  assert.ok(data.companies.every((c) => typeof c.customFields.kundennummer === 'string'));
  assert.equal(new Set(data.companies.map((c) => c.customFields.kundennummer)).size, data.companies.length);
});

test('the same seed gives the same data; another seed other data', () => {
  const a = generateDemoData({ contacts: 400, seed: 99, now: NOW });
  const b = generateDemoData({ contacts: 400, seed: 99, now: NOW });
  assert.deepEqual(a, b);
  const c = generateDemoData({ contacts: 400, seed: 100, now: NOW });
  assert.notDeepEqual(
    a.contacts.map((x) => x.body.email),
    c.contacts.map((x) => x.body.email),
  );
});

test('timeline entries lie in the past and follow the timeline’s rules', () => {
  for (const a of demo(1).activities) {
    assert.ok(a.occurredAt < NOW.toISOString());
    if (a.kind === 'note') assert.ok(a.body && !a.body.includes('{model}'));
    if (a.kind !== 'call') assert.equal(a.direction, null);
    if (a.kind === 'note') assert.equal(a.durationMinutes, null);
  }
});
