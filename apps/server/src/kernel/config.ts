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
  KONTOR_DATA_DIR: z.string().min(1).default('./.kontor-data'),
  KONTOR_RATE_LIMIT: z.coerce
    .number()
    .int('must be a whole number')
    .min(0, 'must be 0 (off) or more')
    .default(600)
    .describe('requests per minute per client'),
  KONTOR_SESSION_IDLE_MINUTES: z.coerce.number().int('must be a whole number').min(1).max(1440).default(30),
  KONTOR_SESSION_MAX_HOURS: z.coerce.number().int('must be a whole number').min(1).max(720).default(12),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().optional(),
});

/** Variables whose values must never be echoed back in an error message. */
const SECRET_VARS = new Set(['DATABASE_URL', 'KONTOR_SECRET', 'SMTP_URL']);

export type Config = {
  databaseUrl: string | undefined;
  port: number;
  host: string;
  baseUrl: string;
  secret: string | undefined;
  smtpUrl: string | undefined;
  dataDir: string;
  /** Requests per minute per client on the HTTP API; 0 turns the limit off. */
  rateLimit: number;
  /** Sign-in sessions end after this long without a request, and after `maxHours` in any case. */
  session: { idleMinutes: number; maxHours: number };
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  production: boolean;
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
  return {
    databaseUrl: e.DATABASE_URL,
    port,
    host: e.KONTOR_HOST,
    baseUrl: (e.KONTOR_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    secret: e.KONTOR_SECRET,
    smtpUrl: e.SMTP_URL,
    dataDir: e.KONTOR_DATA_DIR,
    rateLimit: e.KONTOR_RATE_LIMIT,
    session: { idleMinutes: e.KONTOR_SESSION_IDLE_MINUTES, maxHours: e.KONTOR_SESSION_MAX_HOURS },
    logLevel: e.LOG_LEVEL,
    production,
    ...overrides,
  };
}
