import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryDelaySeconds } from './mail.jobs.ts';
import { classifySmtpError, signedHeaderNames } from './mail.transport.ts';

const smtp = (responseCode: number, response: string, code = 'EENVELOPE') =>
  Object.assign(new Error(response), { responseCode, response, code });

test('SMTP replies: 4xx deferred, 5xx failed, 5.7.x and 535 from our relay pause, no answer deferred', () => {
  assert.equal(classifySmtpError(smtp(451, '451 4.7.1 Greylisted')).kind, 'deferred');
  assert.equal(classifySmtpError(smtp(421, '421 4.7.0 Try again later', 'EPROTOCOL')).kind, 'deferred');
  assert.equal(classifySmtpError(smtp(452, '452 4.2.2 Mailbox full')).kind, 'deferred');
  assert.equal(classifySmtpError(smtp(550, '550 5.1.1 User unknown')).kind, 'failed');
  assert.equal(classifySmtpError(smtp(552, '552 5.3.4 Message too big', 'EMESSAGE')).kind, 'failed');
  assert.equal(classifySmtpError(smtp(550, '550 5.7.1 Relaying denied')).kind, 'paused');
  assert.equal(classifySmtpError(smtp(554, '554 5.7.1 <x@y.example>: Relay access denied')).kind, 'paused');
  assert.equal(
    classifySmtpError(smtp(550, '550-5.7.26 Unauthenticated email is not accepted')).kind,
    'paused',
  );
  assert.equal(classifySmtpError(smtp(535, '535 5.7.8 Authentication failed', 'EAUTH')).kind, 'paused');
  assert.equal(
    classifySmtpError(Object.assign(new Error('Missing credentials for "PLAIN"'), { code: 'EAUTH' })).kind,
    'paused',
  );
  assert.equal(
    classifySmtpError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ESOCKET' }))
      .kind,
    'deferred',
  );
  assert.equal(
    classifySmtpError(Object.assign(new Error('Connection timeout'), { code: 'ETIMEDOUT' })).kind,
    'deferred',
  );
});

test('the stored reply keeps code and text, never the address', () => {
  const outcome = classifySmtpError(
    smtp(550, '550 5.1.1 <anna.mueller@example.net>: Recipient address rejected'),
  );
  assert.equal(outcome.error, '550 5.1.1 <[email]>: Recipient address rejected');
});

test('DKIM h= covers the base headers and each extra header once, whatever its case', () => {
  const h = signedHeaderNames([
    'Auto-Submitted',
    'List-Unsubscribe',
    'List-Unsubscribe-Post',
    'feedback-id',
    'from',
  ]);
  const names = h.split(':').map((n) => n.toLowerCase());
  assert.equal(new Set(names).size, names.length);
  for (const n of [
    'from',
    'to',
    'subject',
    'date',
    'message-id',
    'mime-version',
    'content-type',
    'auto-submitted',
    'list-unsubscribe',
    'list-unsubscribe-post',
    'feedback-id',
  ]) {
    assert.ok(names.includes(n), n);
  }
});

test('retries back off exponentially from the first delay, at most an hour', () => {
  assert.deepEqual(
    [0, 1, 2, 3].map((n) => retryDelaySeconds(n)),
    [20, 40, 80, 160],
  );
  assert.equal(retryDelaySeconds(12), 3600);
});
