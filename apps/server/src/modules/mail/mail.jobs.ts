import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import PostalMime from 'postal-mime';
import { z } from 'zod';
import type { SecretBox } from '../../kernel/crypto/secret-box.ts';
import type { Tables } from '../../kernel/db/tables.ts';
import { type TenantTx, withTenant } from '../../kernel/db/tenancy.ts';
import { defineJob, type RunningJob } from '../../kernel/jobs/jobs.ts';
import type { Logger } from '../../kernel/logger.ts';
import { MAIL_FAILURES } from './mail.errors.ts';
import * as repo from './mail.repository.ts';
import { sendJobSchema } from './mail.schema.ts';
import { type DefaultSender, dkimContext, SEND_JOB_NAME, SEND_JOB_VERSION } from './mail.service.ts';
import { buildMessage, type Dkim, type SmtpOutcome, type SmtpRelay, smtpRelayFor } from './mail.transport.ts';

export type MailJobDeps = {
  db: Kysely<Tables>;
  logger: Logger;
  /** Opens the tenants' DKIM keys; without it, a tenant with a key pauses (MAIL_DKIM_KEY_UNUSABLE). */
  secrets?: SecretBox | undefined;
  /** Our relay; without it, messages go to the built-in catcher. */
  smtpUrl?: string | undefined;
  /** From of a tenant without its own sender (KONTOR_MAIL_FROM). */
  defaultFrom?: DefaultSender | undefined;
  /** Tests: a relay of their own instead of the pool of smtpUrl. */
  relay?: SmtpRelay;
  /** How long an attempt holds its message (default 60 s). */
  leaseSeconds?: number;
  /** The first retry's delay after a 4xx (default 20 s; doubles with each retry, at most 1 h). */
  retryDelaySeconds?: number;
  /** Attempts in flight at once in this process (default 5, the SMTP pool's connections). */
  inFlight?: number;
};

/** At most `limit` holders at once; the others wait in order. */
function semaphore(limit: number) {
  let free = limit;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (free > 0) free -= 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    }
  };
}

export const DEFAULT_FROM: DefaultSender = { name: 'Kontor', address: 'no-reply@localhost' };
/** Attempts of one message: the first and this many retries after 4xx replies or crashes. */
export const SEND_RETRY_LIMIT = 12;
const RETRY_DELAY_SECONDS = 20;
const LEASE_SECONDS = 60;

/** The attempt's earliest next run as pg-boss schedules it (exponential, at least delay·2^n, at most 1 h). */
export function retryDelaySeconds(attempt: number, delay = RETRY_DELAY_SECONDS): number {
  return Math.min(3600, delay * 2 ** Math.min(16, attempt));
}

/** Thrown when another attempt holds the message: pg-boss retries the job after the lease. */
class MessageLeased extends Error {
  constructor() {
    super('another attempt holds the message; retried after its lease');
  }
}

type Attempt = {
  kind: 'attempt';
  message: repo.LockedMessage;
  attempt: number;
  messageId: string;
  from: DefaultSender;
  replyTo: string | null;
  dkim: Dkim | null;
};

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/**
 * Sends one message (job `mail.send`, one per message). Crash-safe: the attempt is claimed in
 * one transaction (status `sending`, a lease of 60 s, attempts + 1, Message-ID fixed), the
 * message is handed to the relay outside any transaction, and the outcome is written in a second
 * one. A worker killed in between leaves the row `sending`; pg-boss retries the job (heartbeat)
 * and the next attempt takes the message over once the lease has run out. Only a kill after the
 * relay's 250 and before the outcome's commit (a few milliseconds) sends the message twice —
 * with the same Message-ID. The catcher writes the entry and the outcome in one transaction:
 * exactly once.
 */
export function sendMailJob(deps: MailJobDeps) {
  const lease = deps.leaseSeconds ?? LEASE_SECONDS;
  const defaultFrom = deps.defaultFrom ?? DEFAULT_FROM;
  const delay = deps.retryDelaySeconds ?? RETRY_DELAY_SECONDS;
  // An attempt is claimed only when it can go to the relay at once: its lease does not run while
  // it waits for a pool connection, and its outcome is written without waiting behind other
  // claims — the window in which a kill sends a message twice stays a database round trip.
  const slot = semaphore(deps.inFlight ?? 5);
  // Opened keys by sealed value: unsealing and parsing the PEM for every message costs more than signing.
  const keys = new Map<string, KeyObject>();
  function openKey(tenantId: string, sealed: string): KeyObject {
    const cacheKey = `${tenantId}:${sealed}`;
    let key = keys.get(cacheKey);
    if (!key) {
      if (!deps.secrets) throw new Error('no secret box');
      key = createPrivateKey(deps.secrets.open(sealed, dkimContext(tenantId)));
      if (keys.size >= 100) keys.clear();
      keys.set(cacheKey, key);
    }
    return key;
  }
  const relay = () => deps.relay ?? (deps.smtpUrl ? smtpRelayFor(deps.smtpUrl) : undefined);

  async function claim(tx: TenantTx, tenantId: string, id: string): Promise<Attempt | undefined> {
    const message = await repo.lockMessage(tx, id);
    if (!message) return undefined; // deleted with its contact: nothing to send
    switch (message.status) {
      case 'sent':
      case 'failed':
      case 'held':
        return undefined;
      case 'sending':
        if (message.dueIn > 0) throw new MessageLeased();
        break;
      case 'deferred':
      case 'queued':
        break;
    }
    const sender = await repo.findSender(tx);
    if (sender?.pausedAt) {
      await repo.markHeld(tx, id, null);
      return undefined;
    }
    let dkim: Dkim | null = null;
    if (sender?.dkimPrivateKey && sender.dkimDomain && sender.dkimSelector) {
      try {
        dkim = {
          domain: sender.dkimDomain,
          selector: sender.dkimSelector,
          privateKey: openKey(tenantId, sender.dkimPrivateKey),
        };
      } catch {
        await repo.pause(tx, tenantId, MAIL_FAILURES.dkimKeyUnusable);
        await repo.markHeld(tx, id, MAIL_FAILURES.dkimKeyUnusable);
        deps.logger.error({ tenantId, messageId: id }, 'mail sending paused: the DKIM key cannot be used');
        return undefined;
      }
    }
    const from = sender?.fromAddress ? { name: sender.fromName, address: sender.fromAddress } : defaultFrom;
    const messageId = message.messageId ?? `<${message.id}@${domainOf(from.address)}>`;
    const attempt = await repo.markSending(tx, id, {
      messageId,
      fromAddress: from.address,
      fromName: from.name,
      leaseSeconds: lease,
    });
    return {
      kind: 'attempt',
      message,
      attempt,
      messageId,
      from,
      replyTo: message.replyTo ?? sender?.replyTo ?? null,
      dkim,
    };
  }

  async function record(
    tenantId: string,
    job: RunningJob<{ messageId: string }>,
    a: Attempt,
    outcome: SmtpOutcome,
  ): Promise<void> {
    const id = a.message.id;
    const lastTry = job.attempt >= SEND_RETRY_LIMIT;
    const ended = await withTenant(deps.db, tenantId, async (tx) => {
      switch (outcome.kind) {
        case 'sent':
          return repo.markSent(tx, id);
        case 'failed':
          return repo.endAttempt(tx, id, a.attempt, { status: 'failed', lastError: outcome.error });
        case 'paused':
          await repo.pause(tx, tenantId, outcome.error);
          return repo.endAttempt(tx, id, a.attempt, { status: 'held', lastError: outcome.error });
        case 'deferred':
          return lastTry
            ? repo.endAttempt(tx, id, a.attempt, {
                status: 'failed',
                lastError: `${MAIL_FAILURES.gaveUp} after ${a.attempt} attempts: ${outcome.error}`.slice(
                  0,
                  1000,
                ),
              })
            : repo.endAttempt(tx, id, a.attempt, {
                status: 'deferred',
                lastError: outcome.error,
                retryInSeconds: retryDelaySeconds(job.attempt, delay),
              });
      }
    });
    if (outcome.kind === 'paused') {
      deps.logger.error(
        { tenantId, messageId: id, reply: outcome.error },
        'mail sending paused: our relay refused us',
      );
    } else if (outcome.kind !== 'sent') {
      deps.logger.warn(
        { tenantId, messageId: id, outcome: outcome.kind, reply: outcome.error, ended },
        'mail not sent',
      );
    }
    // A 4xx is retried by the queue (exponential backoff); the row says `deferred` meanwhile.
    if (outcome.kind === 'deferred' && !lastTry && ended) throw new Error(`deferred: ${outcome.error}`);
  }

  return defineJob({
    name: SEND_JOB_NAME,
    version: SEND_JOB_VERSION,
    scope: 'tenant',
    schema: sendJobSchema,
    retryLimit: SEND_RETRY_LIMIT,
    retryDelaySeconds: delay,
    expireInSeconds: 180,
    heartbeatSeconds: 20,
    handler: (job) => slot(() => attempt(job)),
  });

  async function attempt(job: RunningJob<{ messageId: string }>): Promise<void> {
    const tenantId = job.tenantId;
    if (!tenantId) throw new Error('mail.send needs a tenant');
    const a = await withTenant(deps.db, tenantId, (tx) => claim(tx, tenantId, job.data.messageId));
    if (!a) return;
    const raw = await buildMessage({
      messageId: a.messageId,
      date: a.message.createdAt,
      from: a.from,
      to: { name: a.message.toName, address: a.message.toAddress },
      replyTo: a.replyTo,
      subject: a.message.subject,
      text: a.message.textBody,
      html: a.message.htmlBody,
      headers: JSON.parse(a.message.headers) as Record<string, string>,
      dkim: a.dkim,
    });
    const smtp = relay();
    if (!smtp) {
      await deliverToCatcher(deps.db, tenantId, a.message.id, raw);
      return;
    }
    const outcome = await smtp.send(raw, { from: a.from.address, to: a.message.toAddress });
    await record(tenantId, job, a, outcome);
  }
}

/** The catcher: the message as delivered, parsed (postal-mime), stored with its sent mark in one transaction. */
async function deliverToCatcher(
  db: Kysely<Tables>,
  tenantId: string,
  id: string,
  raw: Buffer,
): Promise<void> {
  const parsed = await PostalMime.parse(raw);
  const headers: Record<string, string> = {};
  for (const h of parsed.headers) {
    const name = h.originalKey ?? h.key;
    headers[name] = name in headers ? `${headers[name]}\n${h.value}` : h.value;
  }
  await withTenant(db, tenantId, async (tx) => {
    await repo.insertCatcherEntry(tx, {
      tenantId,
      messageId: id,
      toAddress: parsed.to?.[0]?.address ?? '',
      subject: parsed.subject ?? '',
      headers: JSON.stringify(headers),
      textBody: parsed.text ?? null,
      htmlBody: parsed.html ?? null,
      rawSize: raw.length,
    });
    await repo.markSent(tx, id);
  });
}

/** Days the catcher keeps a delivered message; days the bodies of finished messages are kept. */
export const CATCHER_RETENTION_DAYS = 14;
export const BODY_RETENTION_DAYS = 30;

/** Daily: catcher entries after 14 days, bodies (text, HTML) of sent or failed messages after 30 days. */
export function pruneMailJob(deps: Pick<MailJobDeps, 'db' | 'logger'>) {
  return defineJob({
    name: 'mail.prune',
    version: 1,
    scope: 'system',
    cron: '23 3 * * *',
    schema: z.object({}).strict(),
    handler: async () => {
      const tenants = await sql<{ id: string }>`select kontor_tenant_ids() as id`.execute(deps.db);
      let deleted = 0;
      for (const { id } of tenants.rows) {
        deleted += await withTenant(deps.db, id, (tx) =>
          repo.prune(tx, CATCHER_RETENTION_DAYS, BODY_RETENTION_DAYS),
        );
      }
      if (deleted > 0) deps.logger.info({ deleted }, 'pruned mail catcher entries');
    },
  });
}

/** Every job of the module, for worker.ts. */
export function mailJobs(deps: MailJobDeps) {
  return [sendMailJob(deps), pruneMailJob(deps)];
}
