/**
 * The links of consent mails and pages. Two kinds are signed (HMAC-SHA256 with
 * `secrets.deriveKey('consent-links')`, base64url) and carry what they act on, so a public route
 * knows the tenant from a verified token and runs in `withTenant` — no cross-tenant look-up:
 * - `u` unsubscribe: tenant, contact, newsletter; no expiry (RFC 8058 receivers may POST it
 *   long after the mail came);
 * - `p` preference centre: tenant, contact, issued at; valid PREFERENCES_LINK_DAYS.
 * The double-opt-in token is not signed but random (256 bits) and single-use: only its SHA-256
 * is stored. It starts with the tenant's id, so the public route finds the tenant without a
 * look-up across tenants; a changed tenant part finds no hash.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SecretBox } from '../../kernel/crypto/secret-box.ts';

export const PREFERENCES_LINK_DAYS = 60;
export const CONFIRMATION_LINK_DAYS = 7;

const KIND_UNSUBSCRIBE = 0x75; // 'u'
const KIND_PREFERENCES = 0x70; // 'p'
const KIND_CONFIRMATION = 0x64; // 'd'
const MAC_BYTES = 32;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOKEN = /^[A-Za-z0-9_-]{20,200}$/;

export type UnsubscribeLink = { kind: 'u'; tenantId: string; contactId: string; newsletterId: string };
export type PreferencesLink = { kind: 'p'; tenantId: string; contactId: string; issuedAt: Date };

const keys = new WeakMap<SecretBox, Uint8Array>();
function keyOf(secrets: SecretBox): Uint8Array {
  let key = keys.get(secrets);
  if (!key) {
    key = secrets.deriveKey('consent-links');
    keys.set(secrets, key);
  }
  return key;
}

function uuidBytes(id: string): Buffer {
  if (!UUID.test(id)) throw new Error(`not a uuid: ${id}`);
  return Buffer.from(id.replaceAll('-', ''), 'hex');
}

function uuidOf(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function sign(secrets: SecretBox, body: Buffer): string {
  const mac = createHmac('sha256', keyOf(secrets)).update(body).digest();
  return Buffer.concat([body, mac]).toString('base64url');
}

/** The body of a signed token whose MAC holds, else undefined. */
function opened(secrets: SecretBox, token: string): Buffer | undefined {
  if (!TOKEN.test(token)) return undefined;
  const raw = Buffer.from(token, 'base64url');
  // base64url decoding ignores what is not base64url; the round trip must be exact.
  if (raw.toString('base64url') !== token || raw.length <= MAC_BYTES) return undefined;
  const body = raw.subarray(0, raw.length - MAC_BYTES);
  const mac = raw.subarray(raw.length - MAC_BYTES);
  const expected = createHmac('sha256', keyOf(secrets)).update(body).digest();
  return timingSafeEqual(mac, expected) ? body : undefined;
}

export function signUnsubscribeToken(
  secrets: SecretBox,
  link: { tenantId: string; contactId: string; newsletterId: string },
): string {
  return sign(
    secrets,
    Buffer.concat([
      Buffer.from([KIND_UNSUBSCRIBE]),
      uuidBytes(link.tenantId),
      uuidBytes(link.contactId),
      uuidBytes(link.newsletterId),
    ]),
  );
}

export function signPreferencesToken(
  secrets: SecretBox,
  link: { tenantId: string; contactId: string; issuedAt?: Date },
): string {
  const issued = Buffer.alloc(4);
  issued.writeUInt32BE(Math.floor((link.issuedAt ?? new Date()).getTime() / 1000));
  return sign(
    secrets,
    Buffer.concat([
      Buffer.from([KIND_PREFERENCES]),
      uuidBytes(link.tenantId),
      uuidBytes(link.contactId),
      issued,
    ]),
  );
}

/** An unsubscribe token whose signature holds, else undefined. */
export function verifyUnsubscribeToken(secrets: SecretBox, token: string): UnsubscribeLink | undefined {
  const body = opened(secrets, token);
  if (body?.length !== 49 || body[0] !== KIND_UNSUBSCRIBE) return undefined;
  return {
    kind: 'u',
    tenantId: uuidOf(body.subarray(1, 17)),
    contactId: uuidOf(body.subarray(17, 33)),
    newsletterId: uuidOf(body.subarray(33, 49)),
  };
}

/**
 * A preferences token whose signature holds: `valid` while younger than PREFERENCES_LINK_DAYS,
 * `expired` after (the page then offers a fresh link); undefined for anything forged.
 */
export function verifyPreferencesToken(
  secrets: SecretBox,
  token: string,
  now: Date = new Date(),
): { status: 'valid' | 'expired'; link: PreferencesLink } | undefined {
  const body = opened(secrets, token);
  if (body?.length !== 37 || body[0] !== KIND_PREFERENCES) return undefined;
  const issuedAt = new Date(body.readUInt32BE(33) * 1000);
  const link: PreferencesLink = {
    kind: 'p',
    tenantId: uuidOf(body.subarray(1, 17)),
    contactId: uuidOf(body.subarray(17, 33)),
    issuedAt,
  };
  const age = now.getTime() - issuedAt.getTime();
  const valid = age < PREFERENCES_LINK_DAYS * 86_400_000 && age > -300_000;
  return { status: valid ? 'valid' : 'expired', link };
}

const trimmed = (baseUrl: string) => baseUrl.replace(/\/+$/, '');

/** The one-click unsubscribe address of a contact and newsletter (List-Unsubscribe, footers). */
export function unsubscribeUrl(
  baseUrl: string,
  secrets: SecretBox,
  tenantId: string,
  contactId: string,
  newsletterId: string,
): string {
  return `${trimmed(baseUrl)}/public/unsubscribe/${signUnsubscribeToken(secrets, { tenantId, contactId, newsletterId })}`;
}

/** The link to a contact's preference centre, valid PREFERENCES_LINK_DAYS from now. */
export function preferencesUrl(
  baseUrl: string,
  secrets: SecretBox,
  tenantId: string,
  contactId: string,
): string {
  return `${trimmed(baseUrl)}/public/preferences/${signPreferencesToken(secrets, { tenantId, contactId })}`;
}

// -- double opt-in ------------------------------------------------------------------------------

export const sha256Hex = (value: string | Buffer) => createHash('sha256').update(value).digest('hex');

/** A fresh confirmation token (tenant id + 256 random bits) and the hash that is stored. */
export function newConfirmationToken(tenantId: string): { token: string; hash: string } {
  const token = Buffer.concat([
    Buffer.from([KIND_CONFIRMATION]),
    uuidBytes(tenantId),
    randomBytes(32),
  ]).toString('base64url');
  return { token, hash: sha256Hex(token) };
}

/** The tenant and stored hash of a confirmation token of the right shape, else undefined. */
export function readConfirmationToken(token: string): { tenantId: string; hash: string } | undefined {
  if (!TOKEN.test(token)) return undefined;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== 49 || raw[0] !== KIND_CONFIRMATION || raw.toString('base64url') !== token)
    return undefined;
  return { tenantId: uuidOf(raw.subarray(1, 17)), hash: sha256Hex(token) };
}

export function confirmationUrl(baseUrl: string, token: string): string {
  return `${trimmed(baseUrl)}/public/newsletters/confirm/${token}`;
}
