/**
 * An SMTP server in the test process (smtp-server) standing in for our relay: it keeps every
 * accepted message, and answers RCPT TO (or authentication) as the test says — 250, 4xx, 5xx,
 * 5.7.x, 535 — so each outcome of the mail module runs against a real SMTP conversation.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type Reply = { code: number; text: string } | null;

export type Sink = {
  port: number;
  url: string;
  /** Raw messages accepted, in order (CRLF as received, dot-unstuffed). */
  messages: Buffer[];
  /** The Message-ID header of each accepted message. */
  messageIds(): string[];
  /** The reply to RCPT TO; null accepts. Called once per RCPT. */
  onRcpt: (recipient: string) => Reply;
  /** Server errors other than connections reset by a killed client. */
  errors: Error[];
  /** Answers AUTH with 535 when set (the URL then carries credentials). */
  failAuth: boolean;
  /** Resolves once `count` messages were accepted. */
  waitFor(count: number, seconds?: number): Promise<void>;
  close(): Promise<void>;
};

function smtpError(reply: { code: number; text: string }): Error {
  const error = new Error(reply.text) as Error & { responseCode: number };
  error.responseCode = reply.code;
  return error;
}

export async function startSink(options: { auth?: boolean } = {}): Promise<Sink> {
  const listeners = new Set<() => void>();
  const sink: Sink = {
    port: 0,
    url: '',
    messages: [],
    errors: [],
    messageIds: () =>
      sink.messages.map(
        (m) => /^Message-ID:\s*(\S+)/im.exec(m.toString('latin1').split('\r\n\r\n')[0] ?? '')?.[1] ?? '',
      ),
    onRcpt: () => null,
    failAuth: false,
    waitFor(count, seconds = 30) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`the sink got ${sink.messages.length} of ${count} messages in ${seconds} s`));
        }, seconds * 1000);
        const check = () => {
          if (sink.messages.length >= count) {
            clearTimeout(timer);
            listeners.delete(check);
            resolve();
          }
        };
        listeners.add(check);
        check();
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    secure: false,
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    logger: false,
    size: 10 * 1024 * 1024,
    onAuth(auth, _session, callback) {
      if (sink.failAuth)
        return callback(smtpError({ code: 535, text: '5.7.8 Authentication credentials invalid' }));
      callback(null, { user: auth.username });
    },
    onRcptTo(address, _session, callback) {
      const reply = sink.onRcpt(address.address);
      callback(reply ? smtpError(reply) : null);
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        sink.messages.push(Buffer.concat(chunks));
        for (const l of listeners) l();
        callback();
      });
    },
  });
  // A client killed mid-conversation (the crash test) resets its connection: expected, not a failure.
  server.on('error', (error: Error & { code?: string }) => {
    if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') sink.errors.push(error);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  sink.port = (server.server.address() as AddressInfo).port;
  sink.url = options.auth ? `smtp://kontor:secret@127.0.0.1:${sink.port}` : `smtp://127.0.0.1:${sink.port}`;
  return sink;
}
