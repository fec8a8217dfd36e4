import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  combineFieldAccess,
  FULL_ACCESS,
  fieldAccessOf,
  maskIban,
  maskValue,
  presentFields,
} from './privacy.fields.ts';

test('an IBAN is masked to country, check digits and the last four', () => {
  assert.equal(maskIban('DE89 3704 0044 0532 0130 00'), 'DE89 **** **** 3000');
  assert.equal(maskIban('CH9300762011623852957'), 'CH93 **** **** 2957');
});

test('masked values keep enough to recognise, never enough to use', () => {
  assert.equal(maskValue('email', 'anna.muster@example.ch'), 'a***@example.ch');
  assert.equal(maskValue('phone', '+41441234567'), '+41 *** ** 67');
  assert.equal(maskValue('birthday', '1985-04-12'), '1985-**-**');
  assert.equal(maskValue('lastName', 'Müller'), 'M*****');
  assert.equal(maskValue('iban', null), null);
});

test('presentFields hides, masks or passes each field by its category', () => {
  const record = { id: 'x', firstName: 'Anna', iban: 'DE89370400440532013000', notes: 'VIP', city: 'Bern' };
  const categories = { firstName: 'identity', iban: 'billing', notes: 'notes', city: 'address' } as const;
  const shaped = presentFields(record, categories, { ...FULL_ACCESS, billing: 'masked', notes: 'none' });
  assert.deepEqual(shaped, {
    id: 'x',
    firstName: 'Anna',
    iban: 'DE89 **** **** 3000',
    notes: null,
    city: 'Bern',
  });
});

test('several roles give each category at the most open level; stored settings default to full', () => {
  const sales = fieldAccessOf({ billing: 'masked', notes: 'none', bogus: 'full', birthday: 'sideways' });
  assert.equal(sales.billing, 'masked');
  assert.equal(sales.birthday, 'full');
  const combined = combineFieldAccess([sales, fieldAccessOf({ billing: 'full', notes: 'masked' })]);
  assert.equal(combined.billing, 'full');
  assert.equal(combined.notes, 'masked');
  assert.equal(combineFieldAccess([]).identity, 'none');
});

test('presentFields shows, masks or leaves out each key of an object field by its own category', () => {
  const record = { id: 'x', customFields: { limit: '5000.00', shoe: 42, langs: ['de'], legacy: 'old' } };
  const shaped = presentFields(
    record,
    { customFields: 'custom' },
    { ...FULL_ACCESS, billing: 'masked', identity: 'none', custom: 'full' },
    { customFields: { limit: 'billing', langs: 'billing', shoe: 'identity' } },
  );
  assert.deepEqual(shaped, { id: 'x', customFields: { limit: '5******', langs: '***', legacy: 'old' } });
  const hidden = presentFields(
    record,
    { customFields: 'custom' },
    { ...FULL_ACCESS, custom: 'none' },
    {
      customFields: { limit: 'billing' },
    },
  );
  assert.deepEqual(
    hidden.customFields,
    { limit: '5000.00' },
    'keys without a category of their own: the field’s',
  );
});
