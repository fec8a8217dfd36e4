import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type BuilderGroup, emptyRoot, fromJson, isComplete, newId, rootFromJson, toJson } from './filter.ts';

const typeOf = () => undefined;

test('the consent and newsletter leaves go to the server language and back', () => {
  const root: BuilderGroup = {
    ...emptyRoot(),
    children: [
      { kind: 'consent', id: newId(), question: 'email-promotions', state: 'granted', negate: false },
      { kind: 'newsletter', id: newId(), newsletterId: 'a3c1', status: 'subscribed', negate: true },
    ],
  };
  const json = toJson(root, typeOf);
  assert.deepEqual(json, {
    all: [
      { consent: 'email-promotions', state: 'granted' },
      { not: { newsletter: 'a3c1', status: 'subscribed' } },
    ],
  });
  const back = rootFromJson(json);
  assert.ok(back);
  assert.deepEqual(toJson(back, typeOf), json);
});

test('a consent leaf with a state the builder does not know is not shown as something else', () => {
  assert.equal(fromJson({ consent: 'q', state: 'maybe' }), null);
  assert.equal(fromJson({ newsletter: 'n', status: 'bounced' }), null);
});

test('a consent leaf needs a question and a newsletter leaf a newsletter before it is counted', () => {
  assert.equal(isComplete({ kind: 'consent', id: 1, question: ' ', state: 'none', negate: false }), false);
  assert.equal(isComplete({ kind: 'consent', id: 1, question: 'q', state: 'none', negate: false }), true);
  assert.equal(
    isComplete({ kind: 'newsletter', id: 2, newsletterId: '', status: 'none', negate: false }),
    false,
  );
});
