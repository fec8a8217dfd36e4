import assert from 'node:assert/strict';
import { test } from 'node:test';
import { niceScale, stacksOf, totalsOf } from './chart.ts';

const rows = [
  { bucket: '2026-12-02', questionId: 'q1', optionKey: 'no', count: 1 },
  { bucket: '2026-12-01', questionId: 'q1', optionKey: 'yes', count: 4 },
  { bucket: '2026-12-02', questionId: 'q1', optionKey: 'yes', count: 2 },
  { bucket: '2026-12-01', questionId: 'q2', optionKey: 'yes', count: 9 },
];

test('the rows of one question become stacks per bucket, oldest first, in the options order', () => {
  const stacks = stacksOf(rows, 'q1', ['yes', 'no', 'later']);
  assert.deepEqual(stacks.buckets, ['2026-12-01', '2026-12-02']);
  assert.deepEqual(stacks.series, [
    { key: 'yes', values: [4, 2] },
    { key: 'no', values: [0, 1] },
  ]);
  assert.equal(stacks.max, 4);
  assert.deepEqual(totalsOf(stacks), [
    { key: 'yes', total: 6 },
    { key: 'no', total: 1 },
  ]);
});

test('an answer the options do not list is still shown, after the listed ones', () => {
  const stacks = stacksOf(rows, 'q1', ['no']);
  assert.deepEqual(
    stacks.series.map((s) => s.key),
    ['no', 'yes'],
  );
  assert.deepEqual(stacksOf(rows, 'unknown'), { buckets: [], series: [], max: 0 });
});

test('the y axis has round steps that reach the tallest stack', () => {
  assert.deepEqual(niceScale(0), { top: 1, ticks: [0, 1] });
  assert.deepEqual(niceScale(3), { top: 3, ticks: [0, 1, 2, 3] });
  assert.deepEqual(niceScale(17), { top: 20, ticks: [0, 5, 10, 15, 20] });
  assert.deepEqual(niceScale(230), { top: 300, ticks: [0, 100, 200, 300] });
});
