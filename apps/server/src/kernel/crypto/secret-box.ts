/**
 * Encryption of the few secrets Kontor must be able to read back (TOTP seeds, later mailbox and
 * calendar passwords, DKIM keys): AES-256-GCM from node:crypto, with a key derived by HKDF from
 * `KONTOR_SECRET`. Each value is bound to what it belongs to (associated data such as
 * `totp:<userId>`), so a sealed value copied onto another row does not open.
 *
 * Without `KONTOR_SECRET` (development only: production refuses to start without it) the key
 * is a random one kept in `<data dir>/secret.key`, created on first use with mode 0600.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const PREFIX = 'kb1';
const IV_BYTES = 12;
const KEY_FILE = 'secret.key';

export class SecretBoxError extends Error {}

export type SecretBox = {
  /** `kb1.<iv>.<ciphertext>.<tag>` (base64url), bound to `context`. */
  seal(plaintext: string, context: string): string;
  /** The plaintext, or a SecretBoxError when the value was altered, moved or sealed with another key. */
  open(sealed: string, context: string): string;
  /** Values written before encryption existed: read as they are, sealed on their next write. */
  isSealed(value: string): boolean;
  /** A 32-byte key of its own for `purpose` (HKDF of the box key), e.g. to sign form tokens with HMAC. */
  deriveKey(purpose: string): Uint8Array;
};

export function createSecretBox(key: Uint8Array): SecretBox {
  if (key.length !== 32) throw new SecretBoxError('the secret-box key must be 32 bytes');
  const isSealed = (value: string) => value.startsWith(`${PREFIX}.`);
  return {
    isSealed,
    deriveKey: (purpose) => new Uint8Array(hkdfSync('sha256', key, '', `kontor/derived/${purpose}`, 32)),
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [PREFIX, iv, body, cipher.getAuthTag()]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    open(sealed, context) {
      const parts = sealed.split('.');
      if (parts.length !== 4 || parts[0] !== PREFIX) throw new SecretBoxError('not a sealed value');
      const [iv, body, tag] = parts.slice(1).map((p) => Buffer.from(p, 'base64url')) as [
        Buffer,
        Buffer,
        Buffer,
      ];
      if (iv.length !== IV_BYTES || tag.length !== 16) throw new SecretBoxError('not a sealed value');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('the sealed value does not open with this key and context');
      }
    },
  };
}

/** The key from `KONTOR_SECRET` (any length ≥ 32 characters, as config checks). */
export function keyFromSecret(secret: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, 'kontor', 'kontor/secret-box/v1', 32));
}

/** Development without `KONTOR_SECRET`: a random key kept beside the embedded database. */
export function keyFromDataDir(dataDir: string): Uint8Array {
  const file = path.join(dataDir, KEY_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64url');
  if (key.length !== 32)
    throw new SecretBoxError(`${file} does not hold a 32-byte key; restore it or remove it`);
  return new Uint8Array(key);
}
