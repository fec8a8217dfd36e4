import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import type { BlobStore } from '../../src/kernel/blob/blob-store.ts';
import { createLocalBlobStore } from '../../src/kernel/blob/local.ts';
import { createSecretBox } from '../../src/kernel/crypto/secret-box.ts';
import { withTenant } from '../../src/kernel/db/tenancy.ts';
import type { AnyJobDefinition } from '../../src/kernel/jobs/jobs.ts';
import { createJobQueue, type JobQueue } from '../../src/kernel/jobs/queue.ts';
import type { Logger } from '../../src/kernel/logger.ts';
import { type BuiltinRole, createUser, issueApiToken } from '../../src/modules/identity/index.ts';
import { type CreatedTenant, createTenant } from '../../src/modules/tenants/index.ts';
import { jobDefinitions } from '../../src/worker.ts';
import { freshDatabase, type TestDatabase } from './database.ts';
import { silentLogger } from './logger.ts';

export type TestContext = {
  app: FastifyInstance;
  database: TestDatabase;
  queue: JobQueue;
  /** A local blob store in a fresh folder of its own (`blobDir`), removed on close. */
  blobs: BlobStore;
  blobDir: string;
  newTenant(overrides?: Partial<{ name: string; adminEmail: string }>): Promise<CreatedTenant>;
  /** A user of the tenant holding the given built-in roles, and an API token of theirs. */
  newUser(tenantId: string, roles: BuiltinRole[]): Promise<{ userId: string; token: string }>;
  close(): Promise<void>;
};

let counter = 0;

/** The real application on a fresh database, driven with `app.inject()`. */
export async function testContext(
  options: {
    logger?: Logger;
    rateLimit?: number;
    jobs?: AnyJobDefinition[];
    work?: boolean;
    /** The largest document upload (default: the server's, 25 MiB). */
    maxDocumentBytes?: number;
    /** The largest import file (default: the server's, 256 MiB). */
    maxImportBytes?: number;
    /** A folder with a built web app to serve (default: none). */
    webDist?: string;
  } = {},
): Promise<TestContext> {
  const database = await freshDatabase();
  const logger = options.logger ?? silentLogger();
  const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kontor-blobs-'));
  const blobs = createLocalBlobStore(blobDir);
  // One key for the app and the jobs (webhook secrets sealed by a request open in the job).
  const secrets = createSecretBox(randomBytes(32));
  // Tests call receivers on 127.0.0.1 (KONTOR_WEBHOOKS_ALLOW_PRIVATE's default outside production).
  const webhooks = { allowPrivateTargets: true };
  const queue = createJobQueue({
    database,
    logger,
    definitions: [
      ...jobDefinitions({
        db: database.db,
        logger,
        blobs,
        secrets,
        config: { webhooks },
        queue: () => queue,
      }),
      ...(options.jobs ?? []),
    ],
    tuning: {
      superviseIntervalSeconds: 1,
      monitorIntervalSeconds: 1,
      pollingIntervalSeconds: 0.5,
      notifyPollingIntervalSeconds: 0.5,
    },
  });
  await queue.start({ work: options.work ?? false });
  const app = await buildApp({
    config: {
      baseUrl: 'http://localhost:3000',
      rateLimit: options.rateLimit ?? 0,
      session: { idleMinutes: 30, maxHours: 12 },
      webhooks,
      ...(options.maxDocumentBytes ? { documents: { maxFileBytes: options.maxDocumentBytes } } : {}),
      ...(options.maxImportBytes ? { imports: { maxFileBytes: options.maxImportBytes } } : {}),
    },
    database,
    queue,
    blobs,
    secrets,
    logger,
    webDist: options.webDist ?? false,
  });
  return {
    app,
    database,
    queue,
    blobs,
    blobDir,
    newTenant: (overrides = {}) => {
      counter += 1;
      return createTenant(database.db, {
        name: overrides.name ?? `Tenant ${counter}`,
        adminEmail: overrides.adminEmail ?? `admin${counter}@example.com`,
      });
    },
    newUser: (tenantId, roles) => {
      counter += 1;
      const email = `user${counter}@example.com`;
      return withTenant(database.db, tenantId, async (tx) => {
        const roleIds = await Promise.all(
          roles.map(
            async (key) =>
              (
                await tx
                  .selectFrom('role')
                  .select('id')
                  .where('builtinKey', '=', key)
                  .executeTakeFirstOrThrow()
              ).id,
          ),
        );
        const user = await createUser(tx, { tenantId, email, roleIds });
        const { token } = await issueApiToken(tx, { tenantId, userId: user.id, name: 'test' });
        return { userId: user.id, token };
      });
    },
    close: async () => {
      await app.close();
      await queue.stop();
      await database.close();
      await blobs.close();
      fs.rmSync(blobDir, { recursive: true, force: true });
    },
  };
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}
