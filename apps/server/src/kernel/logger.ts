import pino, { type Logger } from 'pino';

/**
 * Keys whose values are personal data or secrets. Any property with one of these names, at any
 * depth, is replaced before a log line is written — whatever the caller passed.
 */
const REDACTED_KEYS = new Set(
  [
    'email',
    'adminEmail',
    'to',
    'from',
    'cc',
    'bcc',
    'replyTo',
    'firstName',
    'lastName',
    'fullName',
    'displayName',
    'name',
    'salutation',
    'phone',
    'mobile',
    'fax',
    'street',
    'addressLine1',
    'addressLine2',
    'birthday',
    'iban',
    'bic',
    'accountHolder',
    'vatId',
    'password',
    'adminPassword',
    'passwordHash',
    'token',
    'apiToken',
    'secret',
    'totp',
    'authorization',
    'cookie',
    'set-cookie',
    'x-api-key',
  ].map((k) => k.toLowerCase()),
);

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;
const KONTOR_TOKEN = /\bktr_[A-Za-z0-9_-]{10,}/g;

/** Scrubs personal data from a free-text string (log messages, error texts). */
export function scrubText(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(IBAN, '[iban]')
    .replace(BEARER, '$1[token]')
    .replace(KONTOR_TOKEN, '[token]');
}

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) {
    return {
      type: value.name,
      message: scrubText(value.message),
      ...((value as { code?: unknown }).code ? { code: (value as { code?: unknown }).code } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  // Requests, responses and other class instances are left to the serializers below.
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = REDACTED_KEYS.has(key.toLowerCase()) ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

export type LoggerOptions = { level: string; destination?: pino.DestinationStream };

/** JSON logs (pino). No personal data: see REDACTED_KEYS and scrubText. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'kontor' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Access logs keep the method, the path (no query string: it may hold search terms) and the
      // status, never the client's address.
      serializers: {
        req: (req: { method?: string; url?: string; id?: string }) => ({
          method: req.method,
          path: scrubText((req.url ?? '').split('?')[0] ?? ''),
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: (err: unknown) => redact(err),
      },
      formatters: {
        log: (object) => redact(object) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as typeof args;
          method.apply(this, scrubbed);
        },
      },
    },
    options.destination,
  );
}

export type { Logger };
