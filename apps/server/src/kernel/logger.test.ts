import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capturingLogger } from '../../test/support/logger.ts';

test('personal data never reaches a log line, however deep or wherever it is', () => {
  const { logger, lines } = capturingLogger();
  logger.info(
    {
      contact: {
        email: 'anna.muster@example.ch',
        firstName: 'Anna',
        phone: '+41 44 123 45 67',
        iban: 'CH93 0076 2011 6238 5295 7',
      },
      headers: { authorization: 'Bearer ktr_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' },
      note: 'mail from jean.dupont@example.fr about DE89 3704 0044 0532 0130 00',
    },
    'processed anna.muster@example.ch with token ktr_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  );
  const out = lines().join('\n');
  for (const leak of ['anna.muster', 'Anna', '123 45 67', 'CH93', 'jean.dupont', 'DE89 3704', 'ktr_abcdef']) {
    assert.ok(!out.includes(leak), `leaked ${leak}: ${out}`);
  }
  assert.match(out, /\[redacted\]/);
  assert.match(out, /\[email\]/);
});

test('errors are logged with their type and a scrubbed message, without the stack', () => {
  const { logger, lines } = capturingLogger();
  logger.error({ err: new Error('duplicate key for max@example.de') }, 'failed');
  const line = JSON.parse(lines()[0] ?? '{}') as { err?: { message?: string; stack?: string } };
  assert.equal(line.err?.message, 'duplicate key for [email]');
  assert.equal(line.err?.stack, undefined);
});
