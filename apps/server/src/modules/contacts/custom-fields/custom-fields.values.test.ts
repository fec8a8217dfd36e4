import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CustomFieldDefinition, CustomFieldType } from './custom-fields.schema.ts';
import { checkCustomFields, checkCustomValue, checkDecimal } from './custom-fields.values.ts';

function field(
  key: string,
  type: CustomFieldType,
  extra: Partial<CustomFieldDefinition> = {},
): CustomFieldDefinition {
  return {
    id: '00000000-0000-4000-8000-000000000000',
    objectType: 'contact',
    key,
    label: key,
    labels: {},
    type,
    options: [],
    required: false,
    unique: false,
    dataCategory: 'custom',
    position: 0,
    createdAt: '2026-11-30T00:00:00.000Z',
    updatedAt: '2026-11-30T00:00:00.000Z',
    ...extra,
  };
}

const tier = field('tier', 'single_select', {
  options: [
    { value: 'gold', label: 'Gold', labels: {} },
    { value: 'silver', label: 'Silver', labels: {} },
  ],
});
const langs = field('langs', 'multi_select', {
  options: ['de', 'fr', 'it'].map((value) => ({ value, label: value, labels: {} })),
});

test('each type accepts its values and normalises them as stored', () => {
  const ok = (def: CustomFieldDefinition, raw: unknown) => {
    const checked = checkCustomValue(def, raw);
    assert.ok(checked.ok, `${def.type} ${JSON.stringify(raw)}: ${checked.ok ? '' : checked.message}`);
    return checked.value;
  };
  assert.equal(ok(field('a', 'text'), '  FC Zürich '), 'FC Zürich');
  assert.equal(ok(field('a', 'text'), 12345), '12345', 'a number typed into a text field is its text');
  assert.equal(ok(field('a', 'text'), ''), null, "'' is no value");
  assert.equal(String(ok(field('a', 'long_text'), 'x'.repeat(10_000))).length, 10_000);
  assert.equal(ok(field('a', 'number'), 42), 42);
  assert.equal(ok(field('a', 'number'), ' -7 '), -7, 'a string of digits (forms, files)');
  assert.equal(ok(field('a', 'decimal'), 12.5), '12.5');
  assert.equal(ok(field('a', 'decimal'), '0012.50'), '12.50', 'exact: the scale stays');
  assert.equal(ok(field('a', 'decimal'), '-0.00'), '0.00', 'no sign for zero');
  assert.equal(ok(field('a', 'date'), '2024-02-29'), '2024-02-29');
  assert.equal(ok(field('a', 'boolean'), false), false);
  assert.equal(ok(tier, 'gold'), 'gold');
  assert.deepEqual(ok(langs, ['it', 'de', 'it']), ['de', 'it'], 'option order, no repeats');
  assert.equal(ok(langs, []), null, '[] is no value');
  assert.equal(ok(field('a', 'url'), 'example.ch/kontakt'), 'https://example.ch/kontakt');
  assert.equal(ok(field('a', 'email'), ' anna@example.ch '), 'anna@example.ch');
});

test('each type refuses what it cannot store, saying why', () => {
  const message = (def: CustomFieldDefinition, raw: unknown) => {
    const checked = checkCustomValue(def, raw);
    assert.ok(!checked.ok, `${def.type} ${JSON.stringify(raw)} should be refused`);
    return checked.message;
  };
  assert.equal(message(field('a', 'text'), 'x'.repeat(501)), 'must be at most 500 characters');
  assert.equal(message(field('a', 'text'), true), 'must be text');
  assert.equal(message(field('a', 'number'), 4.5), 'must be a whole number');
  assert.equal(message(field('a', 'number'), '12abc'), 'must be a whole number');
  assert.match(message(field('a', 'number'), 2 ** 53), /between/);
  assert.equal(
    message(field('a', 'decimal'), '1,5'),
    'must be a number such as 1234.50 (a dot, no thousands separators)',
  );
  assert.equal(message(field('a', 'decimal'), '1234567890.123456'), 'must have at most 15 digits');
  assert.equal(message(field('a', 'decimal'), 1e21), 'must have at most 15 digits');
  assert.equal(message(field('a', 'date'), '2023-02-29'), 'is not a calendar date');
  assert.equal(message(field('a', 'date'), '29.02.2024'), 'must be a date YYYY-MM-DD');
  assert.equal(message(field('a', 'boolean'), 'yes'), 'must be true or false');
  assert.equal(message(tier, 'bronze'), 'must be one of: gold, silver');
  assert.equal(message(langs, 'de'), 'must be a list of: de, fr, it');
  assert.equal(message(langs, ['de', 'es']), 'must be a list of: de, fr, it');
  assert.match(message(field('a', 'url'), 'javascript:alert(1)'), /http/);
  assert.equal(message(field('a', 'email'), 'anna@'), 'must be an email address');
});

test('a decimal of 15 digits compares exactly as a double: the value index keeps its order', () => {
  const a = checkDecimal('123456789012.345');
  const b = checkDecimal('123456789012.346');
  assert.ok(a.ok && b.ok);
  assert.ok(Number(a.value) < Number(b.value));
  assert.equal(String(Number(a.value)), '123456789012.345');
});

test('a body: unknown keys, bad values and missing required fields, each named once', () => {
  const defs = [field('size', 'number'), field('vip', 'boolean', { required: true }), tier];
  const checked = checkCustomFields(defs, 'contact', { size: 'big', shoe: 42, tier: 'gold' }, 'create');
  assert.deepEqual(checked.errors, [
    { path: 'customFields.size', message: 'must be a whole number' },
    { path: 'customFields.shoe', message: 'there is no custom field "shoe" for contacts' },
    { path: 'customFields.vip', message: 'is required' },
  ]);
  const valid = checkCustomFields(defs, 'contact', { size: '38', vip: true, tier: null }, 'create');
  assert.deepEqual(valid, { values: { size: 38, vip: true }, errors: [] }, 'create: nulls are left out');
});

test('an update may leave a required field alone but never clear it', () => {
  const defs = [field('vip', 'boolean', { required: true }), field('club', 'text')];
  assert.deepEqual(checkCustomFields(defs, 'contact', { club: 'YB' }, 'update'), {
    values: { club: 'YB' },
    errors: [],
  });
  assert.deepEqual(checkCustomFields(defs, 'contact', { vip: null, club: null }, 'update').errors, [
    { path: 'customFields.vip', message: 'is required and cannot be cleared' },
  ]);
  assert.deepEqual(checkCustomFields(defs, 'contact', null, 'update').errors, [
    { path: 'customFields.vip', message: 'is required and cannot be cleared' },
  ]);
  assert.deepEqual(checkCustomFields(defs, 'contact', undefined, 'update'), {
    values: undefined,
    errors: [],
  });
});
