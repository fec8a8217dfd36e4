import path from 'node:path';
import type { BlobStore } from './kernel/blob/blob-store.ts';
import { createLocalBlobStore } from './kernel/blob/local.ts';
import { createS3BlobStore } from './kernel/blob/s3.ts';
import type { BlobConfig, Config } from './kernel/config.ts';
import {
  createSecretBox,
  keyFromDataDir,
  keyFromSecret,
  type SecretBox,
} from './kernel/crypto/secret-box.ts';
import { type Database, openDatabase } from './kernel/db/database.ts';
import { migrate } from './kernel/db/migrate.ts';
import type { AnyJobDefinition } from './kernel/jobs/jobs.ts';
import { createJobQueue, type JobQueue, type QueueTuning } from './kernel/jobs/queue.ts';
import type { Logger } from './kernel/logger.ts';
import { closeSmtpRelays } from './modules/mail/index.ts';
import { jobDefinitions } from './worker.ts';

export type Services = {
  config: Config;
  logger: Logger;
  database: Database;
  queue: JobQueue;
  /** Where file contents live: the local folder or the S3 bucket of the configuration. */
  blobs: BlobStore;
  /** Encrypts the secrets Kontor must read back (TOTP seeds); key from KONTOR_SECRET. */
  secrets: SecretBox;
  close(): Promise<void>;
};

/**
 * The one place that constructs the database, the job queue and the rest. `serve`, `worker`,
 * the CLI commands and the tests all start here.
 */
export async function compose(options: {
  config: Config;
  logger: Logger;
  migrate?: boolean;
  /** Extra job types (tests register their own beside the modules'). */
  extraJobs?: AnyJobDefinition[];
  database?: Database;
  queueTuning?: QueueTuning;
}): Promise<Services> {
  const { config, logger } = options;
  const database =
    options.database ??
    (await openDatabase(
      config.databaseUrl
        ? { kind: 'postgres', url: config.databaseUrl }
        : { kind: 'pglite', dataDir: path.resolve(config.dataDir) },
    ));
  try {
    if (options.migrate) {
      const report = await migrate(database);
      if (report.applied.length > 0) logger.info({ applied: report.applied }, 'migrations applied');
    }
    const blobs = openBlobStore(config.blobs);
    const secrets = createSecretBox(
      config.secret ? keyFromSecret(config.secret) : keyFromDataDir(path.resolve(config.dataDir)),
    );
    // Jobs that send jobs (webhook retries) get the queue once it is built from their definitions.
    let built: JobQueue | undefined;
    const lateQueue = () => {
      if (!built) throw new Error('the job queue is not built yet');
      return built;
    };
    const definitions = [
      ...jobDefinitions({ db: database.db, logger, blobs, secrets, config, queue: lateQueue }),
      ...(options.extraJobs ?? []),
    ];
    const queue = createJobQueue({
      database,
      logger,
      definitions,
      ...(options.queueTuning ? { tuning: options.queueTuning } : {}),
    });
    built = queue;
    return {
      config,
      logger,
      database,
      queue,
      blobs,
      secrets,
      close: async () => {
        await queue.stop();
        closeSmtpRelays();
        await blobs.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

export function openBlobStore(config: BlobConfig): BlobStore {
  return config.kind === 'local'
    ? createLocalBlobStore(path.resolve(config.dir))
    : createS3BlobStore({
        bucket: config.bucket,
        endpoint: config.endpoint,
        region: config.region,
        accessKeyId: config.accessKeyId,
        secretAccessKey: config.secretAccessKey,
        forcePathStyle: config.forcePathStyle,
        prefix: config.prefix,
      });
}
