import { createHash, randomBytes } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { type Kysely, sql } from 'kysely';
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import type { SecretBox } from '../../kernel/crypto/secret-box.ts';
import type { Tables } from '../../kernel/db/tables.ts';
import { type TenantTx, withTenant } from '../../kernel/db/tenancy.ts';
import { defineErrors } from '../../kernel/errors.ts';
import { isRight } from '../../kernel/http/access.ts';
import type { Principal } from '../../kernel/http/auth.ts';
import { hashPassword, principalFieldAccess } from './identity.service.ts';

export const authError = defineErrors({
  AUTH_INVALID_CREDENTIALS: 'unauthorized',
  AUTH_TOTP_REQUIRED: 'unauthorized',
  AUTH_TOTP_INVALID: 'unauthorized',
  AUTH_TENANT_AMBIGUOUS: 'conflict',
  AUTH_TOO_MANY_ATTEMPTS: 'rate_limited',
  AUTH_WRONG_PASSWORD: 'bad_request',
  AUTH_TOTP_CODE_WRONG: 'bad_request',
  AUTH_TOTP_NOT_SET_UP: 'conflict',
  AUTH_TOTP_ALREADY_ON: 'conflict',
});

/** Failed sign-ins allowed per account (and per source ×5) in one window before 429. */
export const MAX_FAILURES = 10;
export const WINDOW_SECONDS = 15 * 60;
const RECOVERY_CODES = 10;

export type SessionSettings = { idleMinutes: number; maxHours: number };

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const secret = () => randomBytes(32).toString('base64url');
// Verifying against this when no account matches keeps the answer time the same either way.
const dummyHash = argonHash('kontor-no-such-account', { algorithm: 2 });

/** Counts failed sign-ins per client address in memory only; addresses are never stored. */
export class SourceThrottle {
  readonly #failures = new Map<string, { count: number; since: number }>();
  retryAfter(source: string, now = Date.now()): number {
    const entry = this.#failures.get(source);
    if (!entry || now - entry.since > WINDOW_SECONDS * 1000) return 0;
    return entry.count >= MAX_FAILURES * 5
      ? Math.ceil((entry.since + WINDOW_SECONDS * 1000 - now) / 1000)
      : 0;
  }
  fail(source: string, now = Date.now()): void {
    const entry = this.#failures.get(source);
    if (!entry || now - entry.since > WINDOW_SECONDS * 1000)
      this.#failures.set(source, { count: 1, since: now });
    else entry.count += 1;
    if (this.#failures.size > 10_000) {
      for (const [key, value] of this.#failures)
        if (now - value.since > WINDOW_SECONDS * 1000) this.#failures.delete(key);
    }
  }
}

function accountKey(email: string): string {
  return sha256(`login:${email.trim().toLowerCase()}`);
}

async function accountRetryAfter(db: Kysely<Tables>, key: string): Promise<number> {
  const row = await sql<{ wait: number | null }>`
    select ceil(extract(epoch from (window_started_at + make_interval(secs => ${WINDOW_SECONDS}) - now())))::int as wait
    from login_throttle
    where key_hash = ${key} and failures >= ${MAX_FAILURES}
      and window_started_at > now() - make_interval(secs => ${WINDOW_SECONDS})`.execute(db);
  return Math.max(0, row.rows[0]?.wait ?? 0);
}

/**
 * Counts one event for a hashed key in the current window (a new window once the last one is
 * over) and returns the count and the seconds the window still runs.
 */
export async function countInWindow(
  db: Kysely<Tables>,
  key: string,
): Promise<{ count: number; secondsLeft: number }> {
  const row = await sql<{ count: number; secondsLeft: number }>`
    insert into login_throttle (key_hash, failures, window_started_at) values (${key}, 1, now())
    on conflict (key_hash) do update set
      failures = case when login_throttle.window_started_at <= now() - make_interval(secs => ${WINDOW_SECONDS})
        then 1 else login_throttle.failures + 1 end,
      window_started_at = case when login_throttle.window_started_at <= now() - make_interval(secs => ${WINDOW_SECONDS})
        then now() else login_throttle.window_started_at end,
      updated_at = now()
    returning failures as count,
      ceil(extract(epoch from (window_started_at + make_interval(secs => ${WINDOW_SECONDS}) - now())))::int as "secondsLeft"`.execute(
    db,
  );
  return row.rows[0] ?? { count: 1, secondsLeft: WINDOW_SECONDS };
}

async function recordAccountFailure(db: Kysely<Tables>, key: string): Promise<void> {
  await countInWindow(db, key);
}

function tooMany(seconds: number) {
  return authError('AUTH_TOO_MANY_ATTEMPTS', 'Too many failed sign-ins. Wait and try again.', undefined, {
    headers: { 'Retry-After': String(Math.max(1, seconds)) },
  });
}

export type LoginInput = {
  email: string;
  password: string;
  totp?: string | undefined;
  tenantId?: string | undefined;
};
export type LoginResult = { sessionToken: string; csrfToken: string; tenantId: string; userId: string };

/**
 * Email + password (+ TOTP when switched on) → a new server-side session. Wrong credentials,
 * unknown accounts and accounts without a password all get the same 401; after MAX_FAILURES
 * failures for an email (existing or not) every attempt is 429 until the window ends.
 */
export async function login(
  db: Kysely<Tables>,
  input: LoginInput,
  context: {
    source: string;
    throttle: SourceThrottle;
    session: SessionSettings;
    secrets: SecretBox;
    replaceSession?: string | undefined;
  },
): Promise<LoginResult> {
  const key = accountKey(input.email);
  const wait = Math.max(await accountRetryAfter(db, key), context.throttle.retryAfter(context.source));
  if (wait > 0) throw tooMany(wait);
  const fail = async () => {
    await recordAccountFailure(db, key);
    context.throttle.fail(context.source);
  };

  const candidates = await sql<{
    tenantId: string;
    tenantName: string;
    userId: string;
    passwordHash: string;
  }>`
    select tenant_id as "tenantId", tenant_name as "tenantName", user_id as "userId", password_hash as "passwordHash"
    from kontor_find_login(${input.email.trim().toLowerCase()})`.execute(db);
  const pool = candidates.rows.filter((c) => !input.tenantId || c.tenantId === input.tenantId);
  const matches = [];
  for (const c of pool)
    if (await argonVerify(c.passwordHash, input.password).catch(() => false)) matches.push(c);
  if (pool.length === 0) await argonVerify(await dummyHash, input.password).catch(() => false);
  if (matches.length === 0) {
    await fail();
    throw authError('AUTH_INVALID_CREDENTIALS', 'The email or the password is wrong.');
  }
  if (matches.length > 1) {
    throw authError(
      'AUTH_TENANT_AMBIGUOUS',
      'This email signs in to several businesses; choose one.',
      undefined,
      {
        members: { tenants: matches.map((m) => ({ id: m.tenantId, name: m.tenantName })) },
      },
    );
  }
  const match = matches[0] as (typeof matches)[number];

  // No statement may go through `db` while this transaction runs (one session on PGlite):
  // the outcome is returned, and failures are recorded after it ends.
  const outcome = await withTenant(
    db,
    match.tenantId,
    async (tx): Promise<LoginResult | 'totp_required' | 'totp_invalid'> => {
      const user = await tx
        .selectFrom('appUser')
        .select(['id', 'totpSecret', 'totpEnabledAt', 'totpLastStep'])
        .where('id', '=', match.userId)
        .executeTakeFirstOrThrow();
      if (user.totpEnabledAt && user.totpSecret) {
        if (!input.totp) return 'totp_required';
        const seed = openTotpSecret(context.secrets, match.userId, user.totpSecret);
        if (!(await checkSecondFactor(tx, match.userId, seed, user.totpLastStep, input.totp)))
          return 'totp_invalid';
        if (!context.secrets.isSealed(user.totpSecret)) {
          // Written before seeds were encrypted: sealed now that it was used once.
          await tx
            .updateTable('appUser')
            .set({ totpSecret: context.secrets.seal(seed, totpContext(match.userId)) })
            .where('id', '=', match.userId)
            .execute();
        }
      }
      await tx.deleteFrom('loginThrottle').where('keyHash', '=', key).execute();
      if (context.replaceSession) {
        await tx
          .updateTable('appSession')
          .set({ revokedAt: new Date() })
          .where('tokenHash', '=', sha256(context.replaceSession))
          .execute();
      }
      const sessionToken = secret();
      const csrfToken = secret();
      await tx
        .insertInto('appSession')
        .values({
          tenantId: match.tenantId,
          userId: match.userId,
          tokenHash: sha256(sessionToken),
          csrfHash: sha256(csrfToken),
          expiresAt: new Date(Date.now() + context.session.maxHours * 3600_000),
        })
        .execute();
      return { sessionToken, csrfToken, tenantId: match.tenantId, userId: match.userId };
    },
  );
  if (outcome === 'totp_required')
    throw authError('AUTH_TOTP_REQUIRED', 'Enter the code from your authenticator app.');
  if (outcome === 'totp_invalid') {
    await fail();
    throw authError('AUTH_TOTP_INVALID', 'The code is wrong or was already used.');
  }
  return outcome;
}

/** A TOTP code (not reused) or an unused recovery code. */
async function checkSecondFactor(
  tx: TenantTx,
  userId: string,
  totpSecret: string,
  lastStep: string | null,
  code: string,
) {
  const cleaned = code.replace(/\s+/g, '');
  if (/^\d{6}$/.test(cleaned)) {
    const result = await verifyTotp({ secret: totpSecret, token: cleaned, epochTolerance: 30 }).catch(() => ({
      valid: false as const,
    }));
    if (!result.valid || !('timeStep' in result)) return false;
    if (lastStep !== null && result.timeStep <= Number(lastStep)) return false; // replayed code
    await tx.updateTable('appUser').set({ totpLastStep: result.timeStep }).where('id', '=', userId).execute();
    return true;
  }
  const used = await tx
    .updateTable('recoveryCode')
    .set({ usedAt: new Date() })
    .where('userId', '=', userId)
    .where('codeHash', '=', sha256(cleaned.toLowerCase()))
    .where('usedAt', 'is', null)
    .executeTakeFirst();
  return Number(used.numUpdatedRows) === 1;
}

/** Session cookie → principal; undefined when unknown, revoked, idle too long or past its end. */
export async function authenticateSession(
  db: Kysely<Tables>,
  token: string,
  settings: SessionSettings,
): Promise<Principal | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const result = await sql<{
    sessionId: string;
    tenantId: string;
    userId: string;
    csrfHash: string;
    rights: string[];
    fieldAccess: unknown;
    contactScope: string[] | null;
  }>`
    select session_id as "sessionId", tenant_id as "tenantId", user_id as "userId", csrf_hash as "csrfHash", rights,
      field_access as "fieldAccess", contact_scope as "contactScope"
    from kontor_resolve_session(${sha256(token)}, ${settings.idleMinutes * 60})`.execute(db);
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    tenantId: row.tenantId,
    userId: row.userId,
    via: { kind: 'session', id: row.sessionId, csrfHash: row.csrfHash },
    rights: new Set(row.rights.filter(isRight)),
    fieldAccess: principalFieldAccess(row.fieldAccess),
    contactScope: row.contactScope,
  };
}

export async function logout(tx: TenantTx, sessionId: string): Promise<void> {
  await tx.updateTable('appSession').set({ revokedAt: new Date() }).where('id', '=', sessionId).execute();
}

async function checkPassword(tx: TenantTx, userId: string, password: string): Promise<void> {
  const user = await tx
    .selectFrom('appUser')
    .select('passwordHash')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  if (!user.passwordHash || !(await argonVerify(user.passwordHash, password).catch(() => false))) {
    throw authError('AUTH_WRONG_PASSWORD', 'The current password is wrong.', [
      { path: 'currentPassword', message: 'is wrong' },
    ]);
  }
}

/** Changes the password and ends the user's other sessions. */
export async function changePassword(
  tx: TenantTx,
  principal: Principal,
  input: { currentPassword: string | null; newPassword: string },
): Promise<void> {
  const user = await tx
    .selectFrom('appUser')
    .select('passwordHash')
    .where('id', '=', principal.userId)
    .executeTakeFirstOrThrow();
  if (user.passwordHash) await checkPassword(tx, principal.userId, input.currentPassword ?? '');
  await tx
    .updateTable('appUser')
    .set({ passwordHash: await hashPassword(input.newPassword) })
    .where('id', '=', principal.userId)
    .execute();
  let others = tx
    .updateTable('appSession')
    .set({ revokedAt: new Date() })
    .where('userId', '=', principal.userId)
    .where('revokedAt', 'is', null);
  if (principal.via.kind === 'session') others = others.where('id', '!=', principal.via.id);
  await others.execute();
}

/** What a user's TOTP seed is bound to: a sealed seed copied onto another user does not open. */
const totpContext = (userId: string) => `totp:${userId}`;

/** A stored seed: sealed with KONTOR_SECRET's key, or plain when written before encryption. */
function openTotpSecret(secrets: SecretBox, userId: string, stored: string): string {
  return secrets.isSealed(stored) ? secrets.open(stored, totpContext(userId)) : stored;
}

export async function setUpTotp(tx: TenantTx, userId: string, secrets: SecretBox, issuer = 'Kontor') {
  const user = await tx
    .selectFrom('appUser')
    .select(['email', 'totpEnabledAt'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  if (user.totpEnabledAt)
    throw authError('AUTH_TOTP_ALREADY_ON', 'Two-factor sign-in is already on; switch it off first.');
  const totpSecret = generateSecret();
  await tx
    .updateTable('appUser')
    .set({ totpPendingSecret: secrets.seal(totpSecret, totpContext(userId)) })
    .where('id', '=', userId)
    .execute();
  return { secret: totpSecret, otpauthUrl: generateURI({ secret: totpSecret, issuer, label: user.email }) };
}

/** Confirms the pending secret with a code and returns fresh recovery codes (shown once). */
export async function enableTotp(
  tx: TenantTx,
  tenantId: string,
  userId: string,
  code: string,
  secrets: SecretBox,
): Promise<string[]> {
  const user = await tx
    .selectFrom('appUser')
    .select(['totpPendingSecret'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  if (!user.totpPendingSecret) throw authError('AUTH_TOTP_NOT_SET_UP', 'Start the two-factor set-up first.');
  const result = await verifyTotp({
    secret: openTotpSecret(secrets, userId, user.totpPendingSecret),
    token: code.replace(/\s+/g, ''),
    epochTolerance: 30,
  }).catch(() => ({ valid: false as const }));
  if (!result.valid || !('timeStep' in result)) {
    throw authError('AUTH_TOTP_CODE_WRONG', 'The code does not match; check the time on your device.', [
      { path: 'code', message: 'is wrong' },
    ]);
  }
  await tx
    .updateTable('appUser')
    .set({
      totpSecret: user.totpPendingSecret,
      totpPendingSecret: null,
      totpEnabledAt: new Date(),
      totpLastStep: result.timeStep,
    })
    .where('id', '=', userId)
    .execute();
  await tx.deleteFrom('recoveryCode').where('userId', '=', userId).execute();
  const codes = Array.from({ length: RECOVERY_CODES }, () => {
    const raw = randomBytes(5).toString('hex');
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
  await tx
    .insertInto('recoveryCode')
    .values(codes.map((c) => ({ tenantId, userId, codeHash: sha256(c.replace(/\s+/g, '').toLowerCase()) })))
    .execute();
  return codes;
}

export async function disableTotp(tx: TenantTx, userId: string, password: string): Promise<void> {
  await checkPassword(tx, userId, password);
  await tx
    .updateTable('appUser')
    .set({ totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: null })
    .where('id', '=', userId)
    .execute();
  await tx.deleteFrom('recoveryCode').where('userId', '=', userId).execute();
}
