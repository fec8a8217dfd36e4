/**
 * A test application for the mail module: the real app and queue on a fresh database, with one
 * secret box shared by the HTTP side (which seals DKIM keys) and the worker (which opens them),
 * and the send job pointed at a relay of the test's choosing (or the built-in catcher).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { freshDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { silentLogger } from '../../../../test/support/logger.ts';
import { buildApp } from '../../../app.ts';
import { createLocalBlobStore } from '../../../kernel/blob/local.ts';
import { createSecretBox, type SecretBox } from '../../../kernel/crypto/secret-box.ts';
import { withTenant } from '../../../kernel/db/tenancy.ts';
import { createJobQueue, type JobQueue } from '../../../kernel/jobs/queue.ts';
import { jobDefinitions } from '../../../worker.ts';
import { type BuiltinRole, createUser, issueApiToken } from '../../identity/index.ts';
import { createTenant } from '../../tenants/index.ts';
import { sendMailJob } from '../mail.jobs.ts';
import { type OutgoingMail, queueMail } from '../mail.service.ts';
import { closeSmtpRelays, createSmtpRelay, type SmtpRelay } from '../mail.transport.ts';

export type MailTestContext = {
  app: FastifyInstance;
  database: TestDatabase;
  queue: JobQueue;
  secrets: SecretBox;
  tenantId: string;
  token: string;
  /** A user of the tenant holding the given built-in roles, and an API token of theirs. */
  newUser(roles: BuiltinRole[]): Promise<string>;
  queue1(mail: OutgoingMail): Promise<{ id: string; created: boolean }>;
  /** The message row as the database has it. */
  message(
    id: string,
  ): Promise<{ status: string; attempts: number; last_error: string | null; message_id: string | null }>;
  /** Waits until the message reaches one of the statuses. */
  waitFor(id: string, statuses: string[], seconds?: number): Promise<void>;
  close(): Promise<void>;
};

export function newDkimKey(bits = 2048): { privateKey: string; publicKey: string; dnsTxt: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const pub = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    dnsTxt: `v=DKIM1; k=rsa; p=${pub}`,
  };
}

export async function mailTestContext(
  options: { smtpUrl?: string; retryFast?: boolean; work?: boolean } = {},
): Promise<MailTestContext> {
  const database = await freshDatabase();
  const logger = silentLogger();
  const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-mail-blobs-'));
  const blobs = createLocalBlobStore(blobDir);
  const secrets = createSecretBox(randomBytes(32));
  const relay: SmtpRelay | undefined = options.smtpUrl
    ? createSmtpRelay(options.smtpUrl, { maxConnections: 2 })
    : undefined;
  const mailDeps = {
    db: database.db,
    logger,
    secrets,
    smtpUrl: options.smtpUrl,
    defaultFrom: { name: 'Kontor Test', address: 'no-reply@kontor.test' },
    ...(relay ? { relay } : {}),
    ...(options.retryFast ? { retryDelaySeconds: 1 } : {}),
  };
  const definitions = jobDefinitions({ db: database.db, logger, blobs, secrets }).map((d) =>
    d.name === 'mail.send' ? sendMailJob(mailDeps) : d,
  );
  const queue = createJobQueue({
    database,
    logger,
    definitions,
    tuning: {
      superviseIntervalSeconds: 1,
      monitorIntervalSeconds: 1,
      pollingIntervalSeconds: 0.5,
      notifyPollingIntervalSeconds: 0.5,
    },
  });
  await queue.start({ work: options.work ?? true });
  const app = await buildApp({
    config: {
      baseUrl: 'http://localhost:3000',
      rateLimit: 0,
      session: { idleMinutes: 30, maxHours: 12 },
      smtpUrl: options.smtpUrl,
      mailFrom: mailDeps.defaultFrom,
    },
    database,
    queue,
    blobs,
    secrets,
    logger,
    webDist: false,
  });
  const tenant = await createTenant(database.db, { name: 'Mail AG', adminEmail: 'admin@mail.example' });
  let users = 0;
  const ctx: MailTestContext = {
    app,
    database,
    queue,
    secrets,
    tenantId: tenant.tenantId,
    token: tenant.apiToken,
    newUser: (roles) =>
      withTenant(database.db, tenant.tenantId, async (tx) => {
        users += 1;
        const roleIds: string[] = [];
        for (const key of roles) {
          const role = await tx
            .selectFrom('role')
            .select('id')
            .where('builtinKey', '=', key)
            .executeTakeFirstOrThrow();
          roleIds.push(role.id);
        }
        const user = await createUser(tx, {
          tenantId: tenant.tenantId,
          email: `user${users}@mail.example`,
          roleIds,
        });
        return (await issueApiToken(tx, { tenantId: tenant.tenantId, userId: user.id, name: 'test' })).token;
      }),
    queue1: (mail) => withTenant(database.db, tenant.tenantId, (tx) => queueMail(tx, queue, mail)),
    async message(id) {
      const [row] = await database.asOwner((s) =>
        s.query<{ status: string; attempts: number; last_error: string | null; message_id: string | null }>(
          'SELECT status, attempts, last_error, message_id FROM mail_message WHERE id = $1',
          [id],
        ),
      );
      if (!row) throw new Error(`no message ${id}`);
      return row;
    },
    async waitFor(id, statuses, seconds = 30) {
      const until = Date.now() + seconds * 1000;
      for (;;) {
        const row = await ctx.message(id);
        if (statuses.includes(row.status)) return;
        if (Date.now() > until) throw new Error(`message ${id} is ${row.status}, not ${statuses.join('|')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      await app.close();
      await queue.stop();
      relay?.close();
      closeSmtpRelays();
      await database.close();
      await blobs.close();
      fs.rmSync(blobDir, { recursive: true, force: true });
    },
  };
  return ctx;
}
