import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkQuestion,
  draftOfQuestion,
  emptyQuestionDraft,
  questionInput,
  slugOf,
  wordingChanged,
} from './question.ts';

const saved = {
  key: 'email-promotions',
  purpose: 'dpv:DirectMarketing',
  channel: 'email',
  legalBasis: 'eu-gdpr:A6-1-a',
  texts: {
    de: { label: 'Werbung per E-Mail' },
    en: { label: 'Promotions by email', help: 'At most monthly' },
  },
  options: [
    { key: 'yes', label: { de: 'Ja', en: 'Yes' }, polarity: 'grant' as const },
    { key: 'no', label: { de: 'Nein', en: 'No' }, polarity: 'neutral' as const },
  ],
};

test('a saved question round-trips through the draft unchanged', () => {
  const input = questionInput(draftOfQuestion(saved));
  assert.deepEqual(input, saved);
  assert.equal(wordingChanged(saved, input), false);
});

test('changing a label, a help text, an option label or a polarity changes the wording', () => {
  const draft = draftOfQuestion(saved);
  draft.texts.en.label = 'Promotional emails';
  assert.equal(wordingChanged(saved, questionInput(draft)), true);

  const help = draftOfQuestion(saved);
  help.texts.de.help = 'Höchstens monatlich';
  assert.equal(wordingChanged(saved, questionInput(help)), true);

  const option = draftOfQuestion(saved);
  option.options[1]!.label.en = 'No, thanks';
  assert.equal(wordingChanged(saved, questionInput(option)), true);

  const polarity = draftOfQuestion(saved);
  polarity.options[1]!.polarity = 'prohibition';
  assert.equal(wordingChanged(saved, questionInput(polarity)), true);
});

test('metadata and whitespace are not wording', () => {
  const draft = draftOfQuestion(saved);
  draft.channel = 'any';
  draft.texts.de.label = '  Werbung per E-Mail ';
  assert.equal(wordingChanged(saved, questionInput(draft)), false);
});

test('empty languages are dropped and option labels kept for the languages given', () => {
  const draft = emptyQuestionDraft();
  draft.key = 'brochures';
  draft.texts.fr.label = 'Brochures par la poste';
  draft.options[0]!.label.fr = 'Oui';
  draft.options[1]!.label.fr = 'Non';
  const input = questionInput(draft);
  assert.deepEqual(input.texts, { fr: { label: 'Brochures par la poste' } });
  assert.deepEqual(
    input.options.map((o) => o.label),
    [{ fr: 'Oui' }, { fr: 'Non' }],
  );
  assert.deepEqual(checkQuestion(draft), {});
});

test('the checks name the inputs by the server paths', () => {
  const draft = emptyQuestionDraft();
  draft.key = 'Not a slug';
  draft.texts.de.label = 'Telefonanrufe';
  draft.options[1]!.key = 'yes';
  assert.deepEqual(checkQuestion(draft), {
    key: 'key',
    'options.0.label.de': 'optionLabel',
    'options.1.key': 'duplicateKey',
    'options.1.label.de': 'optionLabel',
  });
  const empty = emptyQuestionDraft();
  empty.options = [];
  assert.deepEqual(checkQuestion(empty), { key: 'required', texts: 'label', options: 'options' });
});

test('a key is suggested from a label', () => {
  assert.equal(slugOf('E-Mail-Werbung für Straßenfeste'), 'e-mail-werbung-fur-strassenfeste');
  assert.equal(slugOf('  1. Prospectus par la poste!  '), 'prospectus-par-la-poste');
});
