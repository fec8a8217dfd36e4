import { parseArgs } from 'node:util';
import pino from 'pino';
import { buildApp, VERSION } from './app.ts';
import { compose, type Services } from './composition.ts';
import { type Config, ConfigError, loadConfig } from './kernel/config.ts';
import { DataDirLockedError } from './kernel/db/data-dir.ts';
import { migrate, pendingMigrations } from './kernel/db/migrate.ts';
import { AppError } from './kernel/errors.ts';
import { installJobSchema } from './kernel/jobs/queue.ts';
import { createLogger, type Logger } from './kernel/logger.ts';
import { verifyAuditChain } from './modules/audit/index.ts';
import { createDemoTenant, DEFAULT_DEMO_CONTACTS, MAX_DEMO_CONTACTS } from './modules/demo/index.ts';
import { createTenant } from './modules/tenants/index.ts';

const HELP = `kontor ${VERSION} — privacy-first CRM

Usage:
  kontor serve [--port 3000] [--data DIR] [--no-worker]   API, web app and background jobs
  kontor worker [--data DIR]                              background jobs only
  kontor migrate [--data DIR] [--json]                    apply database migrations
  kontor tenant create --name N --admin-email E [--admin-password P] [--json] [--data DIR]
  kontor demo [--name N] [--contacts N] [--seed S] [--admin-email E] [--admin-password P] [--json] [--data DIR]
                                                          a demo tenant with realistic DE/CH/AT/FR data; prints the login
                                                          (--json: tenantId, apiToken, adminEmail, adminPassword, formId,
                                                          newsletterId)
  kontor audit verify [--tenant ID] [--json] [--data DIR]
                                                          check the audit log; exit 1 names the first broken entry

Without DATABASE_URL Kontor uses the embedded database in DIR (default ./.kontor-data).
With DATABASE_URL=postgres://… it uses that PostgreSQL server.
Exit codes: 0 success, 1 a user error (the message says what is wrong), 2 an internal error.`;

/** A mistake of the person at the keyboard: one line on stderr, exit 1. */
class UsageError extends Error {}

type Flags = Record<string, { type: 'string' | 'boolean' }>;

function parse(args: string[], options: Flags) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify.*$/s, '').split('\n')[0]);
  }
}

function configFrom(values: Record<string, string | boolean | undefined>): Config {
  const overrides: Partial<Config> = {};
  if (typeof values.data === 'string') {
    if (values.data.trim() === '') throw new UsageError('--data: must name a folder');
    overrides.dataDir = values.data;
  }
  const env = { ...process.env };
  if (typeof values.port === 'string') {
    if (!/^\d+$/.test(values.port) || Number(values.port) > 65535) {
      throw new UsageError(`--port: must be a port number from 0 to 65535 (got "${values.port}")`);
    }
    env.PORT = values.port;
  }
  return loadConfig(env, overrides);
}

function cliLogger(): Logger {
  // Commands print their result on stdout; logs go to stderr and stay quiet unless asked.
  return createLogger({ level: process.env.LOG_LEVEL ?? 'warn', destination: pino.destination(2) });
}

async function serve(args: string[]): Promise<void> {
  const values = parse(args, {
    port: { type: 'string' },
    data: { type: 'string' },
    'no-worker': { type: 'boolean' },
  });
  const config = configFrom(values);
  const logger = createLogger({ level: config.logLevel });
  const work = values['no-worker'] !== true;
  const services = await compose({ config, logger, migrate: true });
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  onShutdown(logger, async () => {
    await app?.close();
    await services.close();
  });
  await services.queue.start({ work });
  app = await buildApp({
    config,
    database: services.database,
    queue: services.queue,
    blobs: services.blobs,
    secrets: services.secrets,
    logger,
  });
  const address = await app.listen({ port: config.port, host: config.host });
  logger.info({ address, database: services.database.kind, worker: work }, 'kontor is serving');
  if (!process.env.KONTOR_QUIET) {
    process.stderr.write(
      `Kontor ${VERSION} on ${address} (database: ${services.database.kind}${work ? ', with worker' : ''})\n`,
    );
  }
}

async function worker(args: string[]): Promise<void> {
  const values = parse(args, { data: { type: 'string' } });
  const config = configFrom(values);
  const logger = createLogger({ level: config.logLevel });
  const services = await compose({ config, logger, migrate: true });
  onShutdown(logger, () => services.close());
  await services.queue.start({ work: true });
  logger.info({ database: services.database.kind }, 'kontor worker is running');
}

async function migrateCommand(args: string[]): Promise<void> {
  const values = parse(args, { data: { type: 'string' }, json: { type: 'boolean' } });
  const config = configFrom(values);
  const logger = cliLogger();
  const services = await compose({ config, logger });
  try {
    const report = await migrate(services.database);
    await installJobSchema(services.database, logger);
    print(
      values.json === true,
      report,
      `${report.applied.length} migration(s) applied, ${report.total} in all; the database is up to date.`,
    );
  } finally {
    await services.close();
  }
}

async function tenant(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== 'create')
    throw new UsageError(
      `tenant: unknown subcommand "${sub ?? ''}" (try: kontor tenant create --name N --admin-email E)`,
    );
  const values = parse(rest, {
    name: { type: 'string' },
    'admin-email': { type: 'string' },
    'admin-password': { type: 'string' },
    language: { type: 'string' },
    data: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (typeof values.name !== 'string') throw new UsageError('tenant create: --name is required');
  if (typeof values['admin-email'] !== 'string')
    throw new UsageError('tenant create: --admin-email is required');
  const config = configFrom(values);
  const services: Services = await compose({ config, logger: cliLogger(), migrate: true });
  try {
    const created = await createTenant(services.database.db, {
      name: values.name,
      adminEmail: values['admin-email'],
      ...(typeof values['admin-password'] === 'string' ? { adminPassword: values['admin-password'] } : {}),
      ...(typeof values.language === 'string' ? { defaultLanguage: values.language as 'de' } : {}),
    });
    print(
      values.json === true,
      created,
      `Tenant ${created.tenantId} created.\nAdmin user: ${created.adminUserId}\nAPI token (shown once, keep it safe): ${created.apiToken}`,
    );
  } finally {
    await services.close();
  }
}

/** A whole number flag within bounds, or a one-line usage error naming it. */
function wholeNumber(flag: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
    throw new UsageError(`--${flag}: must be a whole number from ${min} to ${max} (got "${raw}")`);
  return Number(raw);
}

async function demo(args: string[]): Promise<void> {
  const values = parse(args, {
    name: { type: 'string' },
    contacts: { type: 'string' },
    seed: { type: 'string' },
    'admin-email': { type: 'string' },
    'admin-password': { type: 'string' },
    data: { type: 'string' },
    json: { type: 'boolean' },
  });
  const contacts =
    typeof values.contacts === 'string'
      ? wholeNumber('contacts', values.contacts, 1, MAX_DEMO_CONTACTS)
      : DEFAULT_DEMO_CONTACTS;
  const seed = typeof values.seed === 'string' ? wholeNumber('seed', values.seed, 0, 2 ** 31 - 1) : undefined;
  const config = configFrom(values);
  const services: Services = await compose({ config, logger: cliLogger(), migrate: true });
  try {
    const created = await createDemoTenant(services.database.db, {
      contacts,
      baseUrl: config.baseUrl,
      ...(seed !== undefined ? { seed } : {}),
      ...(typeof values.name === 'string' ? { name: values.name } : {}),
      ...(typeof values['admin-email'] === 'string' ? { adminEmail: values['admin-email'] } : {}),
      ...(typeof values['admin-password'] === 'string' ? { adminPassword: values['admin-password'] } : {}),
    });
    const { login, counts } = created;
    print(
      values.json === true,
      login,
      [
        `Demo tenant ${login.tenantId} created (seed ${created.seed}): ${counts.contacts} contacts, ${counts.companies} companies, ${counts.activities} timeline entries, ${counts.customFields} custom fields, ${counts.tags} tags.`,
        `Sign in as:  ${login.adminEmail}`,
        `Password:    ${login.adminPassword}   (shown once, keep it safe)`,
        `API token:   ${login.apiToken}   (shown once, keep it safe)`,
        `Demo form:   ${login.formId}   (hosted page: /public/forms/${login.formId})`,
        `Demo newsletter: ${login.newsletterId}   (double opt-in, welcome mail on; offered by the demo form)`,
      ].join('\n'),
    );
  } finally {
    await services.close();
  }
}

async function audit(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== 'verify')
    throw new UsageError(`audit: unknown subcommand "${sub ?? ''}" (try: kontor audit verify)`);
  const values = parse(rest, {
    tenant: { type: 'string' },
    data: { type: 'string' },
    json: { type: 'boolean' },
  });
  const tenantId = typeof values.tenant === 'string' ? values.tenant : undefined;
  if (tenantId !== undefined && !/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(tenantId))
    throw new UsageError(`--tenant: must be a tenant id, a UUID (got "${tenantId}")`);
  const services = await compose({ config: configFrom(values), logger: cliLogger() });
  try {
    if ((await pendingMigrations(services.database)).length > 0)
      throw new UsageError('the database is not up to date; run kontor migrate first');
    const result = await verifyAuditChain(services.database, tenantId);
    if (result.ok) {
      print(
        values.json === true,
        result,
        `audit log whole: ${result.checked} entries in ${result.tenants} tenant(s)`,
      );
      return;
    }
    if (values.json === true) print(true, result, '');
    const at = result.entryId
      ? `entry ${result.entryId} (tenant ${result.tenantId}, seq ${result.seq})`
      : `seq ${result.seq} (tenant ${result.tenantId}, entry gone)`;
    process.stderr.write(`kontor: audit log broken at ${at}: ${result.reason} — ${result.detail}\n`);
    process.exitCode = 1;
  } finally {
    await services.close();
  }
}

function print(json: boolean, data: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(data)}\n` : `${text}\n`);
}

function onShutdown(logger: Logger, close: () => Promise<void>): void {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 20 s; exiting');
      process.exit(2);
    }, 20_000);
    force.unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(2);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  serve,
  worker,
  migrate: migrateCommand,
  tenant,
  demo,
  audit,
};

/** Turns any failure into the exit codes of API.md: 1 for the user's mistakes, 2 for ours. */
export function describeFailure(error: unknown): { code: 1 | 2; message: string } {
  if (error instanceof UsageError || error instanceof DataDirLockedError)
    return { code: 1, message: error.message };
  if (error instanceof ConfigError) return { code: 1, message: `invalid configuration: ${error.message}` };
  if (error instanceof AppError && error.kind !== 'internal') {
    const where = error.details?.map((d) => `${d.path} ${d.message}`).join('; ');
    return { code: 1, message: where ? `${error.message} (${where})` : error.message };
  }
  if (
    error &&
    typeof error === 'object' &&
    'issues' in error &&
    Array.isArray((error as { issues: unknown[] }).issues)
  ) {
    const issues = (error as { issues: { path: PropertyKey[]; message: string }[] }).issues;
    return { code: 1, message: issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ') };
  }
  if (
    error instanceof Error &&
    /ECONNREFUSED|ENOTFOUND|password authentication failed|does not exist/.test(error.message)
  ) {
    return { code: 1, message: `cannot use the database: ${error.message}` };
  }
  return { code: 2, message: `internal error: ${error instanceof Error ? error.message : String(error)}` };
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  const run = COMMANDS[command];
  try {
    if (!run) throw new UsageError(`unknown command "${command}" (see kontor --help)`);
    await run(args);
  } catch (error) {
    const { code, message } = describeFailure(error);
    process.stderr.write(`kontor: ${message}\n`);
    process.exit(code);
  }
}
