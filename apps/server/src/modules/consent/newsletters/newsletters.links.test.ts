import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { createSecretBox } from '../../../kernel/crypto/secret-box.ts';
import { outgoingMailSchema } from '../../mail/mail.schema.ts';
import { buildMessage } from '../../mail/mail.transport.ts';
import {
  newConfirmationToken,
  PREFERENCES_LINK_DAYS,
  readConfirmationToken,
  signPreferencesToken,
  signUnsubscribeToken,
  verifyPreferencesToken,
  verifyUnsubscribeToken,
} from '../consent.links.ts';
import { listIdHeader, newsletterHeaders } from './newsletters.mails.ts';
import { newsletterFooter } from './newsletters.texts.ts';

const secrets = createSecretBox(randomBytes(32));
const ids = { tenantId: randomUUID(), contactId: randomUUID(), newsletterId: randomUUID() };

/** One character changed in the middle (still base64url). */
const altered = (token: string) => {
  const i = Math.floor(token.length / 2);
  return `${token.slice(0, i)}${token[i] === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`;
};

test('signed links: an unsubscribe token names its tenant, contact and newsletter; a changed one is refused', () => {
  const token = signUnsubscribeToken(secrets, ids);
  assert.match(token, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(verifyUnsubscribeToken(secrets, token), { kind: 'u', ...ids });
  assert.equal(verifyUnsubscribeToken(secrets, altered(token)), undefined);
  assert.equal(
    verifyUnsubscribeToken(createSecretBox(randomBytes(32)), token),
    undefined,
    'another server key',
  );
  // A preferences token is not an unsubscribe token, and the other way round.
  const prefs = signPreferencesToken(secrets, ids);
  assert.equal(verifyUnsubscribeToken(secrets, prefs), undefined);
  assert.equal(verifyPreferencesToken(secrets, token), undefined);
  assert.equal(verifyUnsubscribeToken(secrets, 'not a token'), undefined);
});

test(`preferences tokens work ${PREFERENCES_LINK_DAYS} days, then say expired (not forged)`, () => {
  const issuedAt = new Date('2026-12-01T10:00:00Z');
  const token = signPreferencesToken(secrets, { ...ids, issuedAt });
  const day = 86_400_000;
  assert.equal(verifyPreferencesToken(secrets, token, new Date(issuedAt.getTime() + day))?.status, 'valid');
  const late = verifyPreferencesToken(
    secrets,
    token,
    new Date(issuedAt.getTime() + (PREFERENCES_LINK_DAYS + 1) * day),
  );
  assert.equal(late?.status, 'expired');
  assert.equal(late?.link.contactId, ids.contactId);
  assert.equal(verifyPreferencesToken(secrets, altered(token)), undefined);
});

test('a confirmation token is 256 random bits after the tenant id; only its SHA-256 is kept', () => {
  const a = newConfirmationToken(ids.tenantId);
  const b = newConfirmationToken(ids.tenantId);
  assert.notEqual(a.token, b.token);
  assert.match(a.hash, /^[0-9a-f]{64}$/);
  assert.deepEqual(readConfirmationToken(a.token), { tenantId: ids.tenantId, hash: a.hash });
  assert.notEqual(readConfirmationToken(altered(a.token))?.hash, a.hash);
  assert.equal(readConfirmationToken(`${a.token}x`), undefined);
});

test('List-Id: readable words or RFC 2047 encoded words, unique per newsletter and tenant', () => {
  const tenantId = '0a1b2c3d-0000-4000-8000-000000000000';
  assert.equal(
    listIdHeader({ name: 'Monthly  News', listId: 'news' }, tenantId, 'https://crm.example.com/'),
    'Monthly News <news.0a1b2c3d.crm.example.com>',
  );
  assert.match(
    listIdHeader({ name: 'Monthly "News", v2.0', listId: 'news' }, tenantId, 'https://crm.example.com/'),
    /^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= <news\.0a1b2c3d\.crm\.example\.com>$/,
  );
  const encoded = listIdHeader(
    { name: 'Neuigkeiten für Kunden', listId: 'kunden' },
    tenantId,
    'http://127.0.0.1:3000',
  );
  assert.match(encoded, /^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= ?.*<kunden\.0a1b2c3d\.localhost>$/);
  assert.ok(/^[\x20-\x7e]+$/.test(encoded), 'ASCII only: nodemailer leaves it as it is');
});

test('a DKIM-signed newsletter mail: h= covers List-Unsubscribe, List-Unsubscribe-Post and List-Id, and it verifies', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dnsTxt = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
  const newsletter = { id: ids.newsletterId, name: 'Neuigkeiten', listId: 'neuigkeiten' };
  const headers = newsletterHeaders({ newsletter, ...ids, baseUrl: 'https://crm.example.com', secrets });
  assert.deepEqual(Object.keys(headers).sort(), [
    'List-Id',
    'List-Unsubscribe',
    'List-Unsubscribe-Post',
    'Precedence',
  ]);
  assert.match(
    headers['List-Unsubscribe'] ?? '',
    /^<https:\/\/crm\.example\.com\/public\/unsubscribe\/[A-Za-z0-9_-]+>$/,
  );
  const footer = newsletterFooter('de', {
    title: 'Neuigkeiten',
    unsubscribeUrl: 'https://crm.example.com/public/unsubscribe/x',
    preferencesUrl: 'https://crm.example.com/public/preferences/y',
  });
  const raw = await buildMessage({
    messageId: '<1@beispiel.example>',
    date: new Date(),
    from: { name: 'Beispiel', address: 'news@beispiel.example' },
    to: { name: null, address: 'anna@example.net' },
    replyTo: null,
    subject: 'Willkommen',
    text: `Hallo${footer.text}`,
    html: `<p>Hallo</p>${footer.html}`,
    headers,
    dkim: { domain: 'beispiel.example', selector: 'k1', privateKey },
  });
  const head = raw.toString('latin1').split('\r\n\r\n')[0] ?? '';
  const lines = head.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
  assert.equal(lines.filter((l) => /^list-unsubscribe:/i.test(l)).length, 1, 'exactly one List-Unsubscribe');
  assert.ok(!lines.some((l) => /^auto-submitted:/i.test(l)), 'never Auto-Submitted');
  const signature = (lines.find((l) => /^dkim-signature:/i.test(l)) ?? '').replace(/\s+/g, '');
  const h = (/;h=([^;]+)/.exec(signature)?.[1] ?? '').toLowerCase().split(':');
  for (const name of [
    'list-unsubscribe',
    'list-unsubscribe-post',
    'list-id',
    'precedence',
    'from',
    'subject',
  ]) {
    assert.ok(h.includes(name), `h= covers ${name}`);
  }
  const resolver = async (name: string, type: string) => {
    if (type === 'TXT' && name === 'k1._domainkey.beispiel.example') return [[dnsTxt]];
    throw Object.assign(new Error(`no ${type} ${name}`), { code: 'ENOTFOUND' });
  };
  const listId = lines.find((l) => /^list-id:/i.test(l))?.replace(/^list-id:\s*/i, '');
  const short = ids.tenantId.replaceAll('-', '').slice(0, 8);
  assert.equal(listId, `Neuigkeiten <neuigkeiten.${short}.crm.example.com>`, 'as written: not re-encoded');
  const good = await dkimVerify(raw, { resolver } as never);
  assert.equal((good.results[0] as { status: { result: string } }).status.result, 'pass');
  // Changing the one-click header breaks the signature.
  const tampered = Buffer.from(
    raw
      .toString('latin1')
      .replace('List-Unsubscribe-Post: List-Unsubscribe=One-Click', 'List-Unsubscribe-Post: x'),
    'latin1',
  );
  const bad = await dkimVerify(tampered, { resolver } as never);
  assert.notEqual((bad.results[0] as { status: { result: string } }).status.result, 'pass');
});

test('the mail module refuses a newsletter mail without the List-* headers, or with Auto-Submitted', () => {
  const base = { key: 'k', kind: 'newsletter', to: { address: 'anna@example.net' }, subject: 'S', text: 'T' };
  const headers = newsletterHeaders({
    newsletter: { id: ids.newsletterId, name: 'N', listId: 'n' },
    ...ids,
    baseUrl: 'https://crm.example.com',
    secrets,
  });
  assert.equal(outgoingMailSchema.safeParse({ ...base, headers }).success, true);
  const paths = (mail: object) =>
    (outgoingMailSchema.safeParse(mail).error?.issues ?? []).map((i) => i.path.join('.')).sort();
  assert.deepEqual(paths(base), [
    'headers.List-Id',
    'headers.List-Unsubscribe',
    'headers.List-Unsubscribe-Post',
  ]);
  assert.deepEqual(paths({ ...base, headers: { ...headers, 'Auto-Submitted': 'auto-generated' } }), [
    'headers.Auto-Submitted',
  ]);
  const two = `${headers['List-Unsubscribe']}, <mailto:x@example.com>`;
  assert.deepEqual(paths({ ...base, headers: { ...headers, 'List-Unsubscribe': two } }), [
    'headers.List-Unsubscribe',
  ]);
  // Other kinds are not held to it.
  assert.equal(outgoingMailSchema.safeParse({ ...base, kind: 'transactional' }).success, true);
});
