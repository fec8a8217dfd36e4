import assert from 'node:assert/strict';
import { test } from 'node:test';
import { between, durationOf, formatDuration, urgencyOf } from './duration.ts';

const HOUR = 3_600_000;

test('a duration takes the largest unit that fits, rounded down', () => {
  assert.deepEqual(durationOf(59_999), { value: 0, unit: 'minute' });
  assert.deepEqual(durationOf(45 * 60_000), { value: 45, unit: 'minute' });
  assert.deepEqual(durationOf(5 * HOUR + 1), { value: 5, unit: 'hour' });
  assert.deepEqual(durationOf(49 * HOUR), { value: 2, unit: 'day' });
  assert.deepEqual(durationOf(-5), { value: 0, unit: 'minute' });
});

test('durations are written in the UI language', () => {
  assert.equal(formatDuration(3 * 24 * HOUR, 'en'), '3 days');
  assert.equal(formatDuration(3 * 24 * HOUR, 'de'), '3 Tage');
  assert.equal(formatDuration(2 * HOUR, 'fr').replace(/\s/u, ' '), '2 heures');
});

test('the time between two instants', () => {
  assert.equal(between('2026-12-01T10:00:00Z', '2026-12-01T12:30:00Z'), 2.5 * HOUR);
  assert.equal(between('2026-12-01T10:00:00Z', new Date('2026-12-01T09:00:00Z')), 0);
  assert.equal(between('not a date', '2026-12-01T09:00:00Z'), 0);
});

test('an open change is due after 3 days and overdue after 6', () => {
  assert.equal(urgencyOf(2 * 24 * HOUR), 'fresh');
  assert.equal(urgencyOf(3 * 24 * HOUR), 'due');
  assert.equal(urgencyOf(6 * 24 * HOUR), 'overdue');
});
