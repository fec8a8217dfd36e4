import path from 'node:path';
import { z } from 'zod';

const absoluteHttpUrl = z
  .string()
  .url('must be an absolute URL such as https://crm.example.com')
  .refine((v) => /^https?:\/\//.test(v), 'must start with http:// or https://');

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\/[^\s]+$/.test(v), 'must be a postgres:// or postgresql:// URL')
    .optional(),
  PORT: z.coerce
    .number()
    .int('must be a whole number')
    .min(0)
    .max(65535, 'must be a port number from 0 to 65535')
    .default(3000),
  KONTOR_HOST: z.string().min(1).default('localhost'),
  KONTOR_BASE_URL: absoluteHttpUrl.optional(),
  KONTOR_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)')
    .optional(),
  SMTP_URL: z
    .string()
    .refine((v) => /^smtps?:\/\/[^\s]+$/.test(v), 'must be an smtp:// or smtps:// URL')
    .optional(),
  KONTOR_MAIL_FROM: z
    .string()
    .regex(
      /^(?:[^<>\r\n]{1,200} <[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/,
      'must be an address such as no-reply@example.com or Name <no-reply@example.com>',
    )
    .default('Kontor <no-reply@localhost>')
    .describe('default sender of mail, until a tenant sets its own'),
  KONTOR_DATA_DIR: z.string().min(1).default('./.kontor-data'),
  KONTOR_RATE_LIMIT: z.coerce
    .number()
    .int('must be a whole number')
    .min(0, 'must be 0 (off) or more')
    .default(600)
    .describe('requests per minute per client'),
  KONTOR_SESSION_IDLE_MINUTES: z.coerce.number().int('must be a whole number').min(1).max(1440).default(30),
  KONTOR_SESSION_MAX_HOURS: z.coerce.number().int('must be a whole number').min(1).max(720).default(12),
  KONTOR_BLOB_DIR: z.string().min(1).optional().describe('folder of the local blob store'),
  KONTOR_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3–63 of a-z, 0-9, ".", "-")')
    .optional(),
  KONTOR_S3_ENDPOINT: absoluteHttpUrl.optional(),
  KONTOR_S3_REGION: z.string().min(1).default('us-east-1'),
  KONTOR_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  KONTOR_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  KONTOR_S3_FORCE_PATH_STYLE: z.enum(['true', 'false'], 'must be true or false').default('true'),
  KONTOR_S3_PREFIX: z
    .string()
    .regex(/^([a-z0-9][a-z0-9_-]*\/)+$/, 'must be path segments ending in "/", e.g. kontor/')
    .optional(),
  KONTOR_DOCUMENT_MAX_MB: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be 1 or more')
    .max(1024, 'must be at most 1024')
    .default(25)
    .describe('largest document upload, in MiB'),
  KONTOR_IMPORT_MAX_MB: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be 1 or more')
    .max(2048, 'must be at most 2048')
    .default(256)
    .describe('largest contact import file (CSV, XLSX), in MiB'),
  KONTOR_WEBHOOKS_ALLOW_PRIVATE: z
    .enum(['true', 'false'], 'must be true or false')
    .optional()
    .describe('webhooks may call loopback/private addresses (default: true unless NODE_ENV=production)'),
  KONTOR_FORMS_POW_DIFFICULTY: z.coerce
    .number()
    .int('must be a whole number')
    .min(2, 'must be 2 or more')
    .max(10_000_000, 'must be at most 10000000')
    .default(20_000)
    .describe('proof of work of public forms: most SHA-256 keys a visitor tries (20000: < 1 s on a phone)'),
  KONTOR_FORMS_MIN_FILL_SECONDS: z.coerce
    .number()
    .min(0, 'must be 0 or more')
    .max(600, 'must be at most 600')
    .default(3)
    .describe('a form post sooner than this after the page was rendered is a bot'),
  KONTOR_FORMS_NOJS_FILL_SECONDS: z.coerce
    .number()
    .min(0, 'must be 0 or more')
    .max(3600, 'must be at most 3600')
    .default(8)
    .describe('a form post without the proof of work (no JavaScript) must come at least this late'),
  KONTOR_FORMS_SUBMITS_PER_MINUTE: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be 1 or more')
    .default(20)
    .describe('form posts per minute per source address and form (memory only)'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().optional(),
});

/** Variables whose values must never be echoed back in an error message. */
const SECRET_VARS = new Set([
  'DATABASE_URL',
  'KONTOR_SECRET',
  'SMTP_URL',
  'KONTOR_S3_ACCESS_KEY_ID',
  'KONTOR_S3_SECRET_ACCESS_KEY',
]);

export type Config = {
  databaseUrl: string | undefined;
  port: number;
  host: string;
  baseUrl: string;
  secret: string | undefined;
  smtpUrl: string | undefined;
  /** The sender of mail of a tenant that has not set its own (KONTOR_MAIL_FROM). */
  mailFrom: { name: string | null; address: string };
  dataDir: string;
  /** Requests per minute per client on the HTTP API; 0 turns the limit off. */
  rateLimit: number;
  /** Sign-in sessions end after this long without a request, and after `maxHours` in any case. */
  session: { idleMinutes: number; maxHours: number };
  /** Where file contents live: a local folder (default `<dataDir>/blobs`) or an S3 bucket. */
  blobs: BlobConfig;
  /** Upload limits of documents. */
  documents: { maxFileBytes: number };
  /** The largest contact import file (a million contacts as CSV are about 150 MiB). */
  imports: { maxFileBytes: number };
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  production: boolean;
  /** Spam defence of public forms (modules/forms, forms.guard.ts). */
  forms: {
    powDifficulty: number;
    minFillSeconds: number;
    noJsMinFillSeconds: number;
    submitsPerMinute: number;
  };
  /** Webhooks may call loopback and private addresses, and http:// on localhost (dev and tests). */
  webhooks: { allowPrivateTargets: boolean };
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/**
 * Reads and checks the environment once, at start. Each bad variable gets its own line saying
 * what is wrong; secret values are never repeated. Empty strings count as unset.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        const value = cleaned[name];
        const shown =
          value === undefined || SECRET_VARS.has(name) ? '' : ` (got "${String(value).slice(0, 80)}")`;
        return `${name}: ${issue.message}${shown}`;
      }),
    );
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && !e.KONTOR_SECRET) {
    throw new ConfigError(['KONTOR_SECRET: is required when NODE_ENV=production']);
  }
  const port = overrides.port ?? e.PORT;
  const blobs = blobConfigOf(e, overrides.dataDir ?? e.KONTOR_DATA_DIR);
  return {
    databaseUrl: e.DATABASE_URL,
    port,
    host: e.KONTOR_HOST,
    baseUrl: (e.KONTOR_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    secret: e.KONTOR_SECRET,
    smtpUrl: e.SMTP_URL,
    mailFrom: mailFromOf(e.KONTOR_MAIL_FROM),
    dataDir: e.KONTOR_DATA_DIR,
    rateLimit: e.KONTOR_RATE_LIMIT,
    session: { idleMinutes: e.KONTOR_SESSION_IDLE_MINUTES, maxHours: e.KONTOR_SESSION_MAX_HOURS },
    blobs,
    documents: { maxFileBytes: e.KONTOR_DOCUMENT_MAX_MB * 1024 * 1024 },
    imports: { maxFileBytes: e.KONTOR_IMPORT_MAX_MB * 1024 * 1024 },
    logLevel: e.LOG_LEVEL,
    production,
    forms: {
      powDifficulty: e.KONTOR_FORMS_POW_DIFFICULTY,
      minFillSeconds: e.KONTOR_FORMS_MIN_FILL_SECONDS,
      noJsMinFillSeconds: e.KONTOR_FORMS_NOJS_FILL_SECONDS,
      submitsPerMinute: e.KONTOR_FORMS_SUBMITS_PER_MINUTE,
    },
    webhooks: {
      allowPrivateTargets: (e.KONTOR_WEBHOOKS_ALLOW_PRIVATE ?? (production ? 'false' : 'true')) === 'true',
    },
    ...overrides,
  };
}

/** `Name <address>` or a bare address, as KONTOR_MAIL_FROM's pattern allows. */
function mailFromOf(value: string): { name: string | null; address: string } {
  const named = /^(.*\S)\s*<([^<>]+)>$/.exec(value);
  return named
    ? { name: (named[1] as string).trim(), address: named[2] as string }
    : { name: null, address: value };
}

export type BlobConfig =
  | { kind: 'local'; dir: string }
  | {
      kind: 's3';
      bucket: string;
      endpoint: string | undefined;
      region: string;
      accessKeyId: string;
      secretAccessKey: string;
      forcePathStyle: boolean;
      prefix: string;
    };

/** A bucket name selects S3; otherwise a folder. Credentials come from these variables only. */
function blobConfigOf(e: z.infer<typeof envSchema>, dataDir: string): BlobConfig {
  if (!e.KONTOR_S3_BUCKET) {
    const stray = (
      ['KONTOR_S3_ENDPOINT', 'KONTOR_S3_ACCESS_KEY_ID', 'KONTOR_S3_SECRET_ACCESS_KEY'] as const
    ).filter((name) => e[name] !== undefined);
    if (stray.length > 0) {
      throw new ConfigError(
        stray.map((name) => `${name}: is set, but KONTOR_S3_BUCKET is not (set it to store files in S3)`),
      );
    }
    return { kind: 'local', dir: e.KONTOR_BLOB_DIR ?? path.join(dataDir, 'blobs') };
  }
  const problems: string[] = [];
  if (e.KONTOR_BLOB_DIR)
    problems.push('KONTOR_BLOB_DIR: cannot be used with KONTOR_S3_BUCKET (files go to one store)');
  if (!e.KONTOR_S3_ACCESS_KEY_ID) problems.push('KONTOR_S3_ACCESS_KEY_ID: is required with KONTOR_S3_BUCKET');
  if (!e.KONTOR_S3_SECRET_ACCESS_KEY)
    problems.push('KONTOR_S3_SECRET_ACCESS_KEY: is required with KONTOR_S3_BUCKET');
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    kind: 's3',
    bucket: e.KONTOR_S3_BUCKET,
    endpoint: e.KONTOR_S3_ENDPOINT,
    region: e.KONTOR_S3_REGION,
    accessKeyId: e.KONTOR_S3_ACCESS_KEY_ID as string,
    secretAccessKey: e.KONTOR_S3_SECRET_ACCESS_KEY as string,
    forcePathStyle: e.KONTOR_S3_FORCE_PATH_STYLE === 'true',
    prefix: e.KONTOR_S3_PREFIX ?? '',
  };
}
