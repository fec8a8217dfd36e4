import assert from 'node:assert/strict';
import { test } from 'node:test';
import { searchTerms } from './contacts.search.ts';

test('a query that looks like a phone number searches its digits without leading zeros', () => {
  assert.deepEqual(searchTerms('044 668 18 00'), { kind: 'digits', digits: '446681800' });
  assert.deepEqual(searchTerms('+41 (44) 668-18.00'), { kind: 'digits', digits: '41446681800' });
  assert.deepEqual(searchTerms('668 18 00'), { kind: 'digits', digits: '6681800' });
  assert.deepEqual(searchTerms('007'), { kind: 'words', words: ['007'] }, 'fewer than 3 digits: a word');
});

test('anything else is words, at most 8, each with a letter or digit', () => {
  assert.deepEqual(searchTerms('  Anna   Müller '), { kind: 'words', words: ['Anna', 'Müller'] });
  assert.deepEqual(searchTerms('anna 8001'), { kind: 'words', words: ['anna', '8001'] });
  assert.deepEqual(searchTerms('claire@exemple.fr - x'), {
    kind: 'words',
    words: ['claire@exemple.fr', 'x'],
  });
  assert.equal(searchTerms('a b c d e f g h i j')?.kind, 'words');
  assert.deepEqual((searchTerms('a b c d e f g h i j') as { words: string[] }).words, [
    'a',
    'b',
    'c',
    'd',
    'e',
    'f',
    'g',
    'h',
  ]);
  assert.equal(searchTerms('  - / ! '), undefined);
  assert.equal(searchTerms(''), undefined);
});
