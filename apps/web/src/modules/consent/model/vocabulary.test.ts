import assert from 'node:assert/strict';
import { test } from 'node:test';
import { consentStateKey, legalBasisKey, pickText, purposeKey } from './vocabulary.ts';

test('known identifiers map to their translation keys, unknown ones to undefined', () => {
  assert.equal(purposeKey('dpv:DirectMarketing'), 'DirectMarketing');
  assert.equal(purposeKey('x-crm:ErasureRequest'), 'ErasureRequest');
  assert.equal(purposeKey('dpv:Unheard'), undefined);
  assert.equal(legalBasisKey('eu-gdpr:A6-1-a'), 'A6-1-a');
  assert.equal(legalBasisKey('x-ch:A31'), 'A31');
  assert.equal(consentStateKey('dpv:Prohibition'), 'Prohibition');
  assert.equal(consentStateKey('dpv:ConsentExpired'), undefined);
});

test('a text falls back to the first language that has one', () => {
  assert.equal(pickText({ de: 'Ja', en: 'Yes' }, 'en-GB'), 'Yes');
  assert.equal(pickText({ fr: 'Oui' }, 'de'), 'Oui');
  assert.equal(pickText({}, 'de'), '');
});
