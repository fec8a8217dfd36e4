/**
 * A real Kontor worker process for the mail crash test: the production database, migrations,
 * job list, queue and SMTP pool (SMTP_URL), with the attempt lease and first retry delay taken
 * from MAIL_LEASE_SECONDS / MAIL_RETRY_DELAY_SECONDS so a test need not wait minutes after a
 * kill. Prints `ready` once working, until killed. Database: DATABASE_URL, else KONTOR_DATA_DIR.
 */
import path from 'node:path';
import { openBlobStore } from '../../../composition.ts';
import { loadConfig } from '../../../kernel/config.ts';
import { createSecretBox, keyFromDataDir, keyFromSecret } from '../../../kernel/crypto/secret-box.ts';
import { openDatabase } from '../../../kernel/db/database.ts';
import { migrate } from '../../../kernel/db/migrate.ts';
import { createJobQueue } from '../../../kernel/jobs/queue.ts';
import { createLogger } from '../../../kernel/logger.ts';
import { jobDefinitions } from '../../../worker.ts';
import { sendMailJob } from '../mail.jobs.ts';

const config = loadConfig(process.env);
const logger = createLogger({ level: 'warn', destination: process.stderr });
const database = await openDatabase(
  config.databaseUrl
    ? { kind: 'postgres', url: config.databaseUrl }
    : { kind: 'pglite', dataDir: path.resolve(config.dataDir) },
);
await migrate(database);
const secrets = createSecretBox(
  config.secret ? keyFromSecret(config.secret) : keyFromDataDir(path.resolve(config.dataDir)),
);
const deps = { db: database.db, logger, blobs: openBlobStore(config.blobs), secrets, config };
const definitions = jobDefinitions(deps).map((d) =>
  d.name === 'mail.send'
    ? sendMailJob({
        ...deps,
        smtpUrl: config.smtpUrl,
        defaultFrom: config.mailFrom,
        leaseSeconds: Number(process.env.MAIL_LEASE_SECONDS ?? 60),
        retryDelaySeconds: Number(process.env.MAIL_RETRY_DELAY_SECONDS ?? 20),
      })
    : d,
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
await queue.start({ work: true });
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  queue
    .stop()
    .then(() => database.close())
    .then(
      () => process.exit(0),
      () => process.exit(2),
    );
});
