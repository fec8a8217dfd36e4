import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inLanguage, nextState, textHashOf } from './consent.rules.ts';
import type { QuestionOption } from './consent.schema.ts';

test('a grant gives consent, a prohibition beats it, a neutral answer withdraws a grant or refuses', () => {
  assert.equal(nextState(undefined, 'grant'), 'dpv:ConsentGiven');
  assert.equal(nextState(undefined, 'neutral'), 'dpv:ConsentRefused');
  assert.equal(nextState(undefined, 'prohibition'), 'dpv:Prohibition');
  assert.equal(nextState('dpv:ConsentGiven', 'neutral'), 'dpv:ConsentWithdrawn');
  assert.equal(nextState('dpv:ConsentWithdrawn', 'neutral'), 'dpv:ConsentWithdrawn');
  assert.equal(nextState('dpv:ConsentGiven', 'prohibition'), 'dpv:Prohibition');
  assert.equal(nextState('dpv:Prohibition', 'neutral'), 'dpv:ConsentRefused');
  assert.equal(nextState('dpv:Prohibition', 'grant'), 'dpv:ConsentGiven');
  assert.equal(nextState('dpv:ConsentRefused', 'neutral'), 'dpv:ConsentRefused');
});

test('the text hash names the wording, whatever the key order, and changes with any word', () => {
  const options: QuestionOption[] = [{ key: 'yes', label: { de: 'Ja', en: 'Yes' }, polarity: 'grant' }];
  const a = textHashOf({ de: { label: 'Frage' }, en: { label: 'Question' } }, options);
  const b = textHashOf({ en: { label: 'Question' }, de: { label: 'Frage' } }, [
    { polarity: 'grant', label: { en: 'Yes', de: 'Ja' }, key: 'yes' },
  ]);
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.equal(a, b);
  assert.notEqual(a, textHashOf({ de: { label: 'Frage?' }, en: { label: 'Question' } }, options));
  assert.notEqual(
    a,
    textHashOf({ de: { label: 'Frage' }, en: { label: 'Question' } }, [
      { ...options[0]!, polarity: 'neutral' },
    ]),
  );
});

test('a text in the asked language, else the nearest one the question has', () => {
  assert.equal(inLanguage({ de: 'Ja', en: 'Yes' }, 'fr'), 'Yes');
  assert.equal(inLanguage({ de: 'Ja', fr: 'Oui' }, 'en'), 'Ja');
  assert.equal(inLanguage({ fr: 'Oui' }, 'de'), 'Oui');
  assert.equal(inLanguage({}, 'de'), undefined);
});
