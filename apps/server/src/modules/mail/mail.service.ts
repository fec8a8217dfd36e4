import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { SecretBox } from '../../kernel/crypto/secret-box.ts';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import type { Principal } from '../../kernel/http/auth.ts';
import { decodeCursor, toPage } from '../../kernel/http/pagination.ts';
import { defineJob } from '../../kernel/jobs/jobs.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import { auditBy } from '../audit/index.ts';
import { mailError } from './mail.errors.ts';
import * as repo from './mail.repository.ts';
import { type MailSettings, outgoingMailSchema, type PutMailSettings, sendJobSchema } from './mail.schema.ts';
import { MAIL_STATUSES, type MailKind, type MailStatus } from './mail.tables.ts';

export type OutgoingMail = {
  /** Unique per tenant: queueing the same key again returns the existing message and sends nothing new. */
  key: string;
  /** newsletter: needs List-Id, one https List-Unsubscribe and List-Unsubscribe-Post; never Auto-Submitted. */
  kind: MailKind;
  to: { address: string; name?: string | null };
  subject: string;
  text: string;
  html?: string | null;
  /** Extra headers, e.g. { 'Auto-Submitted': 'auto-generated' }; covered by the DKIM signature. */
  headers?: Record<string, string>;
  replyTo?: string | null;
  contactId?: string | null;
};

export const SEND_JOB_NAME = 'mail.send';
export const SEND_JOB_VERSION = 1;

/**
 * The send job as a sender sees it (name, version, payload schema); the worker registers the
 * same name with its handler (mail.jobs.ts). queueMail() needs no worker dependencies.
 */
export const sendJobRef = defineJob({
  name: SEND_JOB_NAME,
  version: SEND_JOB_VERSION,
  scope: 'tenant',
  schema: sendJobSchema,
  handler: async () => {
    throw new Error('mail.send runs with the handler of mail.jobs.ts');
  },
});

/** The secret-box context of a tenant's DKIM key: a sealed key copied to another tenant does not open. */
export const dkimContext = (tenantId: string) => `dkim:${tenantId}`;

/**
 * Queues one message in the caller's transaction: the row and its send job exist only if the
 * caller's change commits. The same key again returns the existing message (created: false)
 * and queues nothing.
 */
export async function queueMail(
  tx: TenantTx,
  queue: Pick<JobQueue, 'send'>,
  mail: OutgoingMail,
): Promise<{ id: string; created: boolean }> {
  const parsed = outgoingMailSchema.safeParse(mail);
  if (!parsed.success) {
    throw mailError(
      'MAIL_INVALID_MESSAGE',
      'The message breaks the mail contract.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const m = parsed.data;
  const tenantId = await currentTenant(tx);
  const result = await repo.insertMessage(tx, {
    tenantId,
    kind: m.kind,
    idempotencyKey: m.key,
    contactId: m.contactId ?? null,
    toAddress: m.to.address,
    toName: m.to.name ?? null,
    replyTo: m.replyTo ?? null,
    subject: m.subject,
    textBody: m.text,
    htmlBody: m.html ?? null,
    headers: JSON.stringify(m.headers ?? {}),
  });
  if (result.created) {
    await queue.send(
      sendJobRef,
      { messageId: result.id },
      { tx, tenantId, idempotencyKey: `mail:${result.id}` },
    );
  }
  return result;
}

async function currentTenant(tx: TenantTx): Promise<string> {
  const row = await tx
    .selectNoFrom((eb) => eb.fn<string>('kontor_current_tenant', []).as('id'))
    .executeTakeFirstOrThrow();
  if (!row.id) throw new Error('queueMail needs a tenant transaction (withTenant)');
  return row.id;
}

// -- settings ---------------------------------------------------------------------------------

export type DefaultSender = { name: string | null; address: string };

function formatMailbox(m: DefaultSender): string {
  return m.name ? `${m.name} <${m.address}>` : m.address;
}

function settingsOf(row: repo.SenderRow | undefined, defaultFrom: DefaultSender): MailSettings {
  return {
    fromName: row?.fromName ?? null,
    fromAddress: row?.fromAddress ?? null,
    replyTo: row?.replyTo ?? null,
    dkim: {
      domain: row?.dkimDomain ?? null,
      selector: row?.dkimSelector ?? null,
      configured: Boolean(row?.dkimPrivateKey),
    },
    defaultFrom: formatMailbox(defaultFrom),
  };
}

export async function getSettings(tx: TenantTx, defaultFrom: DefaultSender): Promise<MailSettings> {
  return settingsOf(await repo.findSender(tx), defaultFrom);
}

/** An RSA private key in PEM of at least 1024 bits (RFC 8301), else a 400. */
export function parseDkimKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw mailError('MAIL_DKIM_KEY_INVALID', 'The DKIM key is not a private key in PEM.', [
      { path: 'dkim.privateKey', message: 'must be an RSA private key in PEM' },
    ]);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < 1024) {
    throw mailError('MAIL_DKIM_KEY_INVALID', 'The DKIM key must be an RSA key of at least 1024 bits.', [
      { path: 'dkim.privateKey', message: 'must be an RSA key of at least 1024 bits (2048 advised)' },
    ]);
  }
  return key;
}

/**
 * Replaces the sender identity. The key is sealed (secret-box) and never shown again; the
 * audit entry says whether it changed, never what it is.
 */
export async function putSettings(
  tx: TenantTx,
  principal: Principal,
  body: PutMailSettings,
  deps: { secrets: SecretBox; defaultFrom: DefaultSender },
): Promise<MailSettings> {
  const before = await repo.lockSender(tx, principal.tenantId);
  let sealed = before.dkimPrivateKey;
  if (body.dkim.privateKey === null || body.dkim.domain === null) sealed = null;
  else if (typeof body.dkim.privateKey === 'string') {
    const key = parseDkimKey(body.dkim.privateKey);
    sealed = deps.secrets.seal(
      key.export({ type: 'pkcs8', format: 'pem' }) as string,
      dkimContext(principal.tenantId),
    );
  }
  if (body.dkim.domain !== null && !sealed) {
    throw mailError('MAIL_DKIM_KEY_MISSING', 'DKIM signing needs a private key.', [
      { path: 'dkim.privateKey', message: 'is required with a DKIM domain and selector' },
    ]);
  }
  await repo.updateSender(tx, {
    fromName: body.fromName,
    fromAddress: body.fromAddress,
    replyTo: body.replyTo,
    dkimDomain: body.dkim.domain,
    dkimSelector: body.dkim.selector,
    dkimPrivateKey: sealed,
  });
  const after = await repo.findSender(tx);
  const view = (r: repo.SenderRow | undefined) => {
    const { defaultFrom: _d, ...rest } = settingsOf(r, deps.defaultFrom);
    return rest;
  };
  const keyChanged = sealed !== before.dkimPrivateKey;
  if (keyChanged || JSON.stringify(view(before)) !== JSON.stringify(view(after))) {
    await auditBy(tx, principal, 'settings.mail-changed', 'tenant', principal.tenantId, {
      kind: 'settings',
      before: view(before),
      after: { ...view(after), dkimKeyChanged: keyChanged },
    });
  }
  return settingsOf(after, deps.defaultFrom);
}

// -- state --------------------------------------------------------------------------------------

export async function status(tx: TenantTx, transport: 'catcher' | 'smtp') {
  const sender = await repo.findSender(tx);
  const counts = await repo.countByStatus(tx);
  return {
    transport,
    paused: Boolean(sender?.pausedAt),
    pausedReason: sender?.pausedReason ?? null,
    pausedAt: sender?.pausedAt ? sender.pausedAt.toISOString() : null,
    counts: Object.fromEntries(MAIL_STATUSES.map((s) => [s, counts[s] ?? 0])) as Record<MailStatus, number>,
  };
}

/** Ends the pause: held messages are queued again, each with a new job, in one transaction. */
export async function resume(
  tx: TenantTx,
  principal: Principal,
  queue: JobQueue,
): Promise<{ resumed: number }> {
  const sender = await repo.lockSender(tx, principal.tenantId);
  await repo.updateSender(tx, { pausedAt: null, pausedReason: null });
  const ids = await repo.releaseHeld(tx);
  for (const id of ids) {
    await queue.send(
      sendJobRef,
      { messageId: id },
      { tx, tenantId: principal.tenantId, idempotencyKey: `mail:${id}` },
    );
  }
  if (sender.pausedAt || ids.length > 0) {
    await auditBy(tx, principal, 'mail.sending-resumed', 'tenant', principal.tenantId, {
      kind: 'settings',
      before: { paused: Boolean(sender.pausedAt), pausedReason: sender.pausedReason },
      after: { paused: false, resumedMessages: ids.length },
    });
  }
  return { resumed: ids.length };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function listMessages(
  tx: TenantTx,
  query: { limit: number; cursor?: string | undefined; status?: MailStatus | undefined },
) {
  const rows = await repo.listMessages(tx, {
    limit: query.limit,
    after: decodeCursor(query.cursor),
    status: query.status,
  });
  return toPage(rows, query.limit, (r) => ({
    id: r.id,
    kind: r.kind,
    to: r.toAddress,
    subject: r.subject,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'deferred' ? iso(r.nextAttemptAt) : null,
    lastError: r.lastError,
    messageId: r.messageId,
    sentAt: iso(r.sentAt),
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function listOutbox(tx: TenantTx, query: { limit: number; cursor?: string | undefined }) {
  const rows = await repo.listOutbox(tx, { limit: query.limit, after: decodeCursor(query.cursor) });
  return toPage(rows, query.limit, (r) => ({
    id: r.id,
    messageId: r.messageId,
    to: r.toAddress,
    subject: r.subject,
    headers: JSON.parse(r.headers) as Record<string, string>,
    text: r.textBody,
    html: r.htmlBody,
    createdAt: r.createdAt.toISOString(),
  }));
}
