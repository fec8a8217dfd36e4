import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answerTone } from './answer.ts';

test('granted is green, refused, withdrawn and prohibited are red, no answer is grey', () => {
  assert.equal(answerTone({ answer: 'Yes', granted: true, prohibition: false }), 'granted');
  assert.equal(answerTone({ answer: 'No', granted: false, prohibition: false }), 'denied');
  assert.equal(
    answerTone({ answer: 'No', granted: false, prohibition: false, state: 'dpv:ConsentWithdrawn' }),
    'denied',
  );
  assert.equal(answerTone({ answer: 'Never contact me', granted: false, prohibition: true }), 'denied');
  assert.equal(answerTone({ answer: null, granted: false, prohibition: false }), 'none');
});
