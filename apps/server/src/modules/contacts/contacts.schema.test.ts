import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  type ContactFieldName,
  createCompanySchema,
  createContactSchema,
  createContactSchemaFor,
  listContactsQuerySchema,
  updateContactSchema,
} from './contacts.schema.ts';
import { searchTerms } from './contacts.search.ts';
import {
  checkBic,
  checkBirthday,
  checkCountry,
  checkIban,
  checkLanguage,
  checkPhone,
  checkVatId,
  checkWebsite,
} from './contacts.validation.ts';

function pathsOf(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }): string[] {
  return (result.error?.issues ?? []).map((i) => i.path.join('.')).sort();
}

function accepted(checked: { ok: true; value: string } | { ok: false; message: string }): string {
  assert.ok(checked.ok, `expected valid, got: ${checked.ok ? '' : checked.message}`);
  return checked.value;
}

test('one answer names every bad field: iban, phone, email, country, and more', () => {
  const result = createContactSchema.safeParse({
    lastName: 'Muster',
    iban: 'DE88 3704 0044 0532 0130 00',
    phone: '12',
    email: 'not-an-email',
    country: 'XX',
    bic: 'NOPE',
    vatId: 'DE123',
    language: 'not a tag!',
    birthday: '2999-01-01',
    website: 'ftp://example.com',
    paymentMethod: 'paypal',
  });
  assert.equal(result.success, false);
  assert.deepEqual(pathsOf(result), [
    'bic',
    'birthday',
    'country',
    'email',
    'iban',
    'language',
    'paymentMethod',
    'phone',
    'vatId',
    'website',
  ]);
});

test('a valid body comes out normalised', () => {
  const result = createContactSchema.parse({
    salutation: ' Frau ',
    firstName: 'Anna',
    lastName: 'Müller',
    country: 'ch',
    phone: '044 668 18 00',
    mobile: '+49 171 2345678',
    fax: '',
    email: ' anna@example.ch ',
    iban: 'ch93 0076 2011 6238 5295 7',
    bic: 'ubswchzh80a',
    vatId: 'che 123 456 789 mwst',
    language: 'de-ch',
    birthday: '1984-02-29',
    website: 'example.ch',
    paymentMethod: 'invoice',
    tags: ['VIP', 'vip', 'Newsletter'],
    customFields: { shoe_size: 42, vegan: true, note: 'x', gone: null },
  });
  assert.equal(result.salutation, 'Frau');
  assert.equal(result.country, 'CH');
  assert.equal(result.phone, '+41446681800');
  assert.equal(result.mobile, '+491712345678');
  assert.equal(result.fax, null);
  assert.equal(result.email, 'anna@example.ch');
  assert.equal(result.iban, 'CH9300762011623852957');
  assert.equal(result.bic, 'UBSWCHZH80A');
  assert.equal(result.vatId, 'CHE-123.456.789 MWST');
  assert.equal(result.language, 'de-CH');
  assert.equal(result.website, 'https://example.ch');
  assert.deepEqual(result.tags, ['VIP', 'Newsletter']);
  assert.deepEqual(result.customFields, { shoe_size: 42, vegan: true, note: 'x' });
});

test('phone numbers become E.164, read in the record’s country, else DE', () => {
  assert.equal(accepted(checkPhone('044 668 18 00', 'CH')), '+41446681800');
  assert.equal(accepted(checkPhone('+41 (0)44 668 18 00', 'DE')), '+41446681800');
  assert.equal(accepted(checkPhone('01 58858 0', 'AT')), '+431588580');
  assert.equal(accepted(checkPhone('0043 1 588580', 'DE')), '+431588580');
  assert.equal(accepted(checkPhone('01 42 68 53 00', 'FR')), '+33142685300');
  assert.equal(accepted(checkPhone('06 12 34 56 78', 'FR')), '+33612345678');
  assert.equal(accepted(checkPhone('030 1234567')), '+49301234567');
  assert.equal(checkPhone('12').ok, false);
  assert.equal(checkPhone('call me').ok, false);
  const austrian = createContactSchema.parse({ lastName: 'Huber', country: 'AT', phone: '0664 1234567' });
  assert.equal(austrian.phone, '+436641234567');
  const french = createCompanySchema.parse({ name: 'Exemple SARL', country: 'FR', phone: '01 42 68 53 00' });
  assert.equal(french.phone, '+33142685300');
});

test('IBANs of DE, CH, AT and FR are accepted and stored compact; a wrong checksum is not', () => {
  assert.equal(accepted(checkIban('DE89 3704 0044 0532 0130 00')), 'DE89370400440532013000');
  assert.equal(accepted(checkIban('CH93 0076 2011 6238 5295 7')), 'CH9300762011623852957');
  assert.equal(accepted(checkIban('at61 1904 3002 3457 3201')), 'AT611904300234573201');
  assert.equal(accepted(checkIban('FR14 2004 1010 0505 0001 3M02 606')), 'FR1420041010050500013M02606');
  assert.equal(checkIban('DE88 3704 0044 0532 0130 00').ok, false, 'checksum');
  assert.equal(checkIban('DE89 3704 0044 0532 0130').ok, false, 'length');
  assert.equal(accepted(checkBic('cobadeffxxx')), 'COBADEFFXXX');
  assert.equal(accepted(checkBic('COBADEFF')), 'COBADEFF');
  assert.equal(checkBic('COBADE').ok, false);
});

test('VAT/UID numbers: DE, AT, CH (normalised), FR, other countries', () => {
  assert.equal(accepted(checkVatId('DE123456789')), 'DE123456789');
  assert.equal(accepted(checkVatId('de 123 456 789')), 'DE123456789');
  assert.equal(checkVatId('DE12345678').ok, false);
  assert.equal(accepted(checkVatId('ATU12345678')), 'ATU12345678');
  assert.equal(checkVatId('AT12345678').ok, false);
  assert.equal(accepted(checkVatId('CHE-123.456.789')), 'CHE-123.456.789');
  assert.equal(accepted(checkVatId('che123456789 tva')), 'CHE-123.456.789 TVA');
  assert.equal(accepted(checkVatId('CHE-123.456.789 IVA')), 'CHE-123.456.789 IVA');
  assert.equal(checkVatId('CHE-123.456.78').ok, false);
  assert.equal(checkVatId('CH123456789').ok, false);
  assert.equal(accepted(checkVatId('FR40 303 265 045')), 'FR40303265045');
  assert.equal(accepted(checkVatId('FRXA123456789')), 'FRXA123456789');
  assert.equal(checkVatId('FR4030326504').ok, false);
  assert.equal(accepted(checkVatId('IT12345678901')), 'IT12345678901');
  assert.equal(checkVatId('1234').ok, false);
});

test('countries are ISO 3166-1 alpha-2, languages BCP 47, birthdays past dates', () => {
  assert.equal(accepted(checkCountry('de')), 'DE');
  assert.equal(accepted(checkCountry('LI')), 'LI');
  assert.equal(checkCountry('XX').ok, false);
  assert.equal(checkCountry('DEU').ok, false);
  assert.equal(accepted(checkLanguage('de-ch')), 'de-CH');
  assert.equal(accepted(checkLanguage('fr')), 'fr');
  assert.equal(accepted(checkLanguage('zh-hant-tw')), 'zh-Hant-TW');
  assert.equal(checkLanguage('not a tag!').ok, false);
  const today = new Date('2026-06-15T12:00:00Z');
  assert.equal(accepted(checkBirthday('1984-02-29', today)), '1984-02-29');
  assert.equal(accepted(checkBirthday('2026-06-15', today)), '2026-06-15');
  assert.equal(checkBirthday('2026-06-16', today).ok, false);
  assert.equal(checkBirthday('1985-02-29', today).ok, false);
  assert.equal(checkBirthday('17.05.1990', today).ok, false);
  assert.equal(accepted(checkWebsite('example.com/shop')), 'https://example.com/shop');
  assert.equal(accepted(checkWebsite('http://example.com')), 'http://example.com');
  assert.equal(checkWebsite('javascript:alert(1)').ok, false);
  assert.equal(checkWebsite('not a site').ok, false);
});

test('a PATCH without a country leaves a national phone number for the service; an international one is normalised', () => {
  const patch = updateContactSchema.parse({ phone: '044 668 18 00', mobile: '0041 79 123 45 67' });
  assert.equal(patch.phone, '044 668 18 00');
  assert.equal(patch.mobile, '+41791234567');
  assert.equal(patch.lastName, undefined, 'fields not given stay undefined');
  assert.equal(updateContactSchema.parse({ lastName: null }).lastName, null, 'null clears');
  assert.equal(updateContactSchema.parse({ country: 'CH', phone: '044 668 18 00' }).phone, '+41446681800');
  assert.deepEqual(pathsOf(updateContactSchema.safeParse({ phone: 'ring ring' })), ['phone']);
});

test('custom fields: scalar values, lower-case keys, at most 50', () => {
  assert.deepEqual(
    pathsOf(createContactSchema.safeParse({ lastName: 'X', customFields: { 'Bad-Key': 1 } })),
    ['customFields.Bad-Key'],
  );
  assert.equal(
    createContactSchema.safeParse({ lastName: 'X', customFields: { nested: { a: 1 } } }).success,
    false,
  );
  const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, i]));
  assert.equal(createContactSchema.safeParse({ lastName: 'X', customFields: many }).success, false);
});

test('a contact needs something that says who it is', () => {
  assert.deepEqual(pathsOf(createContactSchema.safeParse({ city: 'Bern' })), ['lastName']);
  assert.equal(createContactSchema.safeParse({ email: 'a@example.com' }).success, true);
});

test('search queries: words, or the digits of a phone number without leading zeros', () => {
  assert.deepEqual(searchTerms('Anna  Müller'), { kind: 'words', words: ['Anna', 'Müller'] });
  assert.deepEqual(searchTerms('044 668 18 00'), { kind: 'digits', digits: '446681800' });
  assert.deepEqual(searchTerms('+41 44 668'), { kind: 'digits', digits: '4144668' });
  assert.equal(searchTerms('-- /'), undefined);
  const query = listContactsQuerySchema.parse({ q: '  ', tag: 'VIP' });
  assert.equal(query.q, undefined);
  assert.deepEqual(query.tag, ['VIP']);
});

test('the schema for some fields answers exactly as the full schema on bodies of those fields', () => {
  const fields: ContactFieldName[] = ['firstName', 'lastName', 'email', 'phone', 'country', 'website'];
  const value = fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      'Anna',
      'anna@example.com',
      'anna@',
      '030 1234567',
      '+41 44 668 18 00',
      'DE',
      'XX',
    ),
    fc.constantFrom('ch', 'example.com', 'ftp://x', '12', 'x'.repeat(201)),
    fc.string({ maxLength: 30 }),
  );
  fc.assert(
    fc.property(
      fc.subarray(fields, { minLength: 1 }),
      fc.dictionary(fc.constantFrom(...fields), value),
      fc.constantFrom('de', 'fr', 'xx-123456789'),
      (picked, body, language) => {
        const input = {
          ...Object.fromEntries(Object.entries(body).filter(([k]) => picked.includes(k as ContactFieldName))),
          tags: ['Website'],
          customFields: {},
          language,
        };
        const full = createContactSchema.safeParse(input);
        const some = createContactSchemaFor(picked).safeParse(input);
        assert.equal(some.success, full.success);
        if (full.success && some.success) {
          const defined = Object.fromEntries(Object.entries(full.data).filter(([, v]) => v !== undefined));
          assert.deepEqual(some.data, defined);
        } else {
          assert.deepEqual(some.error?.issues, full.error?.issues);
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('the schema for some fields drops the others', () => {
  const parsed = createContactSchemaFor(['email']).safeParse({ email: 'a@example.com', iban: 'not an iban' });
  assert.ok(parsed.success);
  assert.deepEqual(parsed.data, { email: 'a@example.com' });
});
