import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Tables } from '../../kernel/db/tables.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { defineErrors } from '../../kernel/errors.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import { recordAudit } from '../audit/index.ts';
import { queueMail } from '../mail/index.ts';
import { countInWindow, type SourceThrottle } from './identity.auth.ts';
import { hashPassword } from './identity.service.ts';

export const resetError = defineErrors({
  RESET_LINK_INVALID: 'bad_request',
  RESET_TOO_MANY_REQUESTS: 'rate_limited',
});

/** How long an emailed link works. */
export const RESET_LINK_MINUTES = 30;
/** Links an email may ask for per throttle window (15 min), whether or not an account has it. */
export const MAX_RESET_REQUESTS = 3;

type Language = 'de' | 'en' | 'fr';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The mail with the link, in the requester's language. Nothing but the link and its expiry:
 * the mail must be useless to anyone who did not ask for it.
 */
const resetMail: Record<Language, (link: string) => { subject: string; text: string }> = {
  de: (link) => ({
    subject: 'Kontor: Passwort zurücksetzen',
    text: [
      'Guten Tag,',
      '',
      'jemand (hoffentlich Sie) hat verlangt, das Passwort Ihres Kontor-Zugangs zurückzusetzen.',
      `Über diesen Link setzen Sie ein neues Passwort; er gilt ${RESET_LINK_MINUTES} Minuten und nur einmal:`,
      '',
      link,
      '',
      'Wenn Sie das nicht verlangt haben, ignorieren Sie diese Nachricht; Ihr Passwort bleibt, wie es ist.',
    ].join('\n'),
  }),
  en: (link) => ({
    subject: 'Kontor: reset your password',
    text: [
      'Hello,',
      '',
      'someone (hopefully you) asked to reset the password of your Kontor account.',
      `This link lets you set a new password; it works for ${RESET_LINK_MINUTES} minutes and only once:`,
      '',
      link,
      '',
      'If you did not ask for this, ignore this message; your password stays as it is.',
    ].join('\n'),
  }),
  fr: (link) => ({
    subject: 'Kontor : réinitialiser votre mot de passe',
    text: [
      'Bonjour,',
      '',
      'quelqu’un (vous, espérons-le) a demandé la réinitialisation du mot de passe de votre compte Kontor.',
      `Ce lien vous permet de choisir un nouveau mot de passe ; il est valable ${RESET_LINK_MINUTES} minutes et une seule fois :`,
      '',
      link,
      '',
      'Si vous n’avez rien demandé, ignorez ce message ; votre mot de passe reste inchangé.',
    ].join('\n'),
  }),
};

async function requestsRetryAfter(db: Kysely<Tables>, key: string): Promise<number> {
  const { count, secondsLeft } = await countInWindow(db, key);
  return count > MAX_RESET_REQUESTS ? Math.max(1, secondsLeft) : 0;
}

/**
 * Sends a one-time link to every account of the email (one per tenant). The answer is the same
 * whether or not an account exists; asking too often is refused the same way for both.
 */
export async function requestPasswordReset(
  db: Kysely<Tables>,
  queue: JobQueue,
  input: { email: string; language?: Language | undefined },
  context: { baseUrl: string; source: string; throttle: SourceThrottle },
): Promise<void> {
  const email = input.email.trim().toLowerCase();
  const wait = Math.max(
    await requestsRetryAfter(db, sha256(`reset:${email}`)),
    context.throttle.retryAfter(context.source),
  );
  if (wait > 0) {
    throw resetError('RESET_TOO_MANY_REQUESTS', 'Too many reset requests. Wait and try again.', undefined, {
      headers: { 'Retry-After': String(wait) },
    });
  }
  // Each request counts against the source too (in memory), so one address cannot walk emails.
  context.throttle.fail(context.source);
  const accounts = await sql<{ tenantId: string; userId: string; language: Language }>`
    select tenant_id as "tenantId", user_id as "userId", language from kontor_find_reset_accounts(${email})`.execute(
    db,
  );
  for (const account of accounts.rows) {
    const token = randomBytes(32).toString('base64url');
    await withTenant(db, account.tenantId, async (tx) => {
      const reset = await tx
        .insertInto('passwordReset')
        .values({
          tenantId: account.tenantId,
          userId: account.userId,
          tokenHash: sha256(token),
          expiresAt: new Date(Date.now() + RESET_LINK_MINUTES * 60_000),
        })
        .returning(['id', 'expiresAt'])
        .executeTakeFirstOrThrow();
      // The token travels in the fragment: it never reaches a server log or a Referer header.
      const link = `${context.baseUrl.replace(/\/$/, '')}/reset-password#token=${token}`;
      const mail = resetMail[input.language ?? account.language](link);
      await queueMail(tx, queue, {
        key: `password-reset:${reset.id}`,
        kind: 'transactional',
        to: { address: email },
        subject: mail.subject,
        text: mail.text,
      });
      await recordAudit(tx, {
        tenantId: account.tenantId,
        actor: { kind: 'system' },
        action: 'user.password-reset-requested',
        entityType: 'user',
        entityId: account.userId,
        changes: { kind: 'settings', before: null, after: { linkExpiresAt: reset.expiresAt.toISOString() } },
      });
    });
  }
}

/**
 * Sets a new password with a link's token: the token is used up, every other open link of the
 * user dies with it, and every session of the user ends. A used, expired or unknown token → 400.
 */
export async function confirmPasswordReset(
  db: Kysely<Tables>,
  input: { token: string; newPassword: string },
): Promise<{ tenantId: string; userId: string }> {
  const invalid = () =>
    resetError('RESET_LINK_INVALID', 'This reset link is not valid (any more). Ask for a new one.', [
      { path: 'token', message: 'is unknown, used or expired' },
    ]);
  const found = await sql<{ resetId: string; tenantId: string; userId: string }>`
    select reset_id as "resetId", tenant_id as "tenantId", user_id as "userId"
    from kontor_find_password_reset(${sha256(input.token)})`.execute(db);
  const reset = found.rows[0];
  if (!reset) throw invalid();
  const passwordHash = await hashPassword(input.newPassword);
  await withTenant(db, reset.tenantId, async (tx) => {
    const now = new Date();
    // Used up in the same statement that checks it is unused: two clicks, one new password.
    const claimed = await tx
      .updateTable('passwordReset')
      .set({ usedAt: now })
      .where('id', '=', reset.resetId)
      .where('usedAt', 'is', null)
      .where('expiresAt', '>', now)
      .returning('id')
      .executeTakeFirst();
    if (!claimed) throw invalid();
    await tx
      .updateTable('passwordReset')
      .set({ usedAt: now })
      .where('userId', '=', reset.userId)
      .where('usedAt', 'is', null)
      .execute();
    await tx.updateTable('appUser').set({ passwordHash }).where('id', '=', reset.userId).execute();
    await tx
      .updateTable('appSession')
      .set({ revokedAt: now })
      .where('userId', '=', reset.userId)
      .where('revokedAt', 'is', null)
      .execute();
    await recordAudit(tx, {
      tenantId: reset.tenantId,
      actor: { kind: 'user', userId: reset.userId },
      action: 'user.password-reset',
      entityType: 'user',
      entityId: reset.userId,
      changes: { kind: 'personal-data', fields: ['password'] },
    });
  });
  return { tenantId: reset.tenantId, userId: reset.userId };
}
