import type { KeyObject } from 'node:crypto';
import nodemailer from 'nodemailer';
import { scrubText } from '../../kernel/logger.ts';

/**
 * Building and delivering one message. The message is always built by nodemailer's stream
 * transport (MIME, encoded words, Message-ID, Date, the DKIM signature — the real ones), and
 * then either handed to our relay over SMTP (a nodemailer pool from SMTP_URL, sent as `raw`
 * with an explicit envelope) or, without SMTP_URL, to the built-in catcher. Both paths carry
 * the very same bytes.
 */

/** Header fields every signature covers (RFC 6376 §5.4.1), plus each extra header of the message. */
export const BASE_SIGNED_HEADERS = [
  'From',
  'Sender',
  'Reply-To',
  'Subject',
  'Date',
  'Message-ID',
  'To',
  'Cc',
  'MIME-Version',
  'Content-Type',
  'Content-Transfer-Encoding',
] as const;

/** `h=` of the signature: the base list and every extra header name, each once. */
export function signedHeaderNames(extra: readonly string[]): string {
  const names = new Map<string, string>();
  for (const name of [...BASE_SIGNED_HEADERS, ...extra]) {
    if (!names.has(name.toLowerCase())) names.set(name.toLowerCase(), name);
  }
  return [...names.values()].join(':');
}

export type Dkim = { domain: string; selector: string; privateKey: KeyObject };

export type MessageToBuild = {
  messageId: string;
  date: Date;
  from: { name: string | null; address: string };
  to: { name: string | null; address: string };
  replyTo: string | null;
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  dkim: Dkim | null;
};

const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });

const mailbox = (m: { name: string | null; address: string }) =>
  m.name ? { name: m.name, address: m.address } : m.address;

/** The message as it goes on the wire (CRLF), signed when a DKIM key is given. */
export async function buildMessage(m: MessageToBuild): Promise<Buffer> {
  const info = await builder.sendMail({
    from: mailbox(m.from),
    to: mailbox(m.to),
    ...(m.replyTo ? { replyTo: m.replyTo } : {}),
    subject: m.subject,
    text: m.text,
    ...(m.html ? { html: m.html } : {}),
    messageId: m.messageId,
    date: m.date,
    headers: m.headers,
    ...(m.dkim
      ? {
          dkim: {
            domainName: m.dkim.domain,
            keySelector: m.dkim.selector,
            privateKey: m.dkim.privateKey as unknown as string,
            headerFieldNames: signedHeaderNames(Object.keys(m.headers)),
          },
        }
      : {}),
  });
  return info.message as Buffer;
}

/** What became of one SMTP attempt. */
export type SmtpOutcome =
  | { kind: 'sent'; response: string }
  /** 4xx or no answer (connection refused, timeout): tried again later, never counted as sent or failed. */
  | { kind: 'deferred'; error: string }
  /** 5xx for this message: permanent. */
  | { kind: 'failed'; error: string }
  /** 5.7.x or 535 (or no credentials) from our own relay: our problem, the tenant's sending pauses. */
  | { kind: 'paused'; error: string };

type SmtpError = Error & { code?: string; responseCode?: number; response?: string };

/**
 * The reply text without addresses (a relay may echo the recipient), cut to 500 characters. A
 * reply keeps its code and enhanced status code; an error without reply keeps our error code.
 */
function describe(error: SmtpError): string {
  const text = error.response ? error.response : `${error.code ?? 'ERROR'}: ${error.message}`;
  return scrubText(text.replace(/\s+/g, ' ').trim()).slice(0, 500);
}

/** RFC 3463 / RFC 5321 reading of a nodemailer send error. */
export function classifySmtpError(error: unknown): Exclude<SmtpOutcome, { kind: 'sent' }> {
  const e = (error instanceof Error ? error : new Error(String(error))) as SmtpError;
  const message = describe(e);
  const code = e.responseCode;
  if (e.code === 'EAUTH' || code === 535 || code === 530 || code === 534 || code === 538) {
    return { kind: 'paused', error: message };
  }
  if (code !== undefined && code >= 500 && code < 600) {
    const enhanced = /^\d{3}[ -](\d)\.(\d{1,3})\.\d{1,3}\b/.exec(e.response ?? '');
    if (enhanced && enhanced[2] === '7') return { kind: 'paused', error: message };
    return { kind: 'failed', error: message };
  }
  if (code !== undefined && code >= 400 && code < 500) return { kind: 'deferred', error: message };
  // No reply at all: the relay could not be reached, or the connection broke.
  if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE' || e.code === 'ECONFIG') {
    return { kind: 'failed', error: message };
  }
  return { kind: 'deferred', error: message };
}

export type SmtpRelay = {
  send(raw: Buffer, envelope: { from: string; to: string }): Promise<SmtpOutcome>;
  close(): void;
};

/**
 * A pool of SMTP connections to the relay of SMTP_URL (`smtp://user:pass@host:587`, or
 * `smtps://` for implicit TLS; query options such as `?tls.rejectUnauthorized=false` as nodemailer
 * reads them). Timeouts are short so that a hung relay ends an attempt (deferred) long before the
 * attempt's lease runs out.
 */
export function createSmtpRelay(url: string, options: { maxConnections?: number } = {}): SmtpRelay {
  const transport = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: options.maxConnections ?? 5,
    maxMessages: 100,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  } as never);
  return {
    async send(raw, envelope) {
      try {
        const info = await transport.sendMail({ envelope, raw });
        return { kind: 'sent', response: scrubText(String(info.response ?? '250')).slice(0, 500) };
      } catch (error) {
        return classifySmtpError(error);
      }
    },
    close: () => transport.close(),
  };
}

const relays = new Map<string, SmtpRelay>();

/** One pool per relay URL and process, made on first use. */
export function smtpRelayFor(url: string): SmtpRelay {
  let relay = relays.get(url);
  if (!relay) {
    relay = createSmtpRelay(url);
    relays.set(url, relay);
  }
  return relay;
}

/** Closes every pool (shutdown, tests). */
export function closeSmtpRelays(): void {
  for (const relay of relays.values()) relay.close();
  relays.clear();
}
