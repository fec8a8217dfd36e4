import { z } from 'zod';
import { listQuerySchema } from '../../kernel/http/pagination.ts';
import { MAIL_KINDS, MAIL_STATUSES } from './mail.tables.ts';

/** One header line holds at most 998 octets (RFC 5322 §2.1.1); a value never holds a line break. */
const noLineBreak = (s: string) => !/[\r\n\0]/.test(s);

/** A mailbox address as SMTP carries it (no display name, no angle brackets, no spaces). */
export const addressSchema = z
  .string()
  .trim()
  .max(320)
  .regex(/^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$|^[^\s@<>",;]+@localhost$/, 'must be an email address');

const displayNameSchema = z.string().trim().min(1).max(200).refine(noLineBreak, 'must be one line');

/**
 * Headers the mail module writes itself: a caller's extra header of one of these names would
 * either be ignored or appear twice (a second From defeats DKIM: only one instance is signed).
 */
export const RESERVED_HEADERS = new Set([
  'from',
  'sender',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'dkim-signature',
  'return-path',
  'received',
]);

export const headersSchema = z
  .record(
    z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]{0,75}$/, 'must be a header name (letters, digits and -)')
      .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), 'is written by the mail module itself'),
    z
      .string()
      .max(900)
      .refine(noLineBreak, 'must be one line')
      .refine((v) => v.trim().length > 0, 'must not be empty'),
  )
  .superRefine((headers, ctx) => {
    const seen = new Set<string>();
    for (const name of Object.keys(headers)) {
      const lower = name.toLowerCase();
      if (seen.has(lower)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: 'is named twice (headers are case-insensitive)',
        });
      }
      seen.add(lower);
    }
  });

/** What other modules hand to queueMail() (the contract of issue 5). */
export const outgoingMailSchema = z
  .object({
    key: z.string().min(1).max(300),
    kind: z.enum(MAIL_KINDS),
    to: z.object({ address: addressSchema, name: displayNameSchema.nullish() }),
    subject: z.string().trim().min(1).max(500).refine(noLineBreak, 'must be one line'),
    text: z.string().min(1).max(500_000),
    html: z.string().max(2_000_000).nullish(),
    headers: headersSchema.optional(),
    replyTo: addressSchema.nullish(),
    contactId: z.uuid().nullish(),
  })
  .strict()
  .superRefine((mail, ctx) => {
    if (mail.kind !== 'newsletter') return;
    // Bulk mail rules (RFC 2369, 2919, 8058; notes/email.md §1): one https List-Unsubscribe URI,
    // the one-click POST, a List-Id, and never Auto-Submitted (that is for automatic replies).
    const headers = new Map(Object.entries(mail.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const problem = (name: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: ['headers', name], message });
    // http only where the server itself runs on http (KONTOR_BASE_URL; development).
    if (!/^<https?:\/\/[^<>\s,]+>$/.test(headers.get('list-unsubscribe') ?? '')) {
      problem('List-Unsubscribe', 'a newsletter mail needs exactly one https URI in angle brackets');
    }
    if (headers.get('list-unsubscribe-post') !== 'List-Unsubscribe=One-Click') {
      problem('List-Unsubscribe-Post', 'a newsletter mail needs List-Unsubscribe=One-Click');
    }
    if (!/<[^<>\s]+\.[^<>\s]+>\s*$/.test(headers.get('list-id') ?? '')) {
      problem('List-Id', 'a newsletter mail needs a List-Id');
    }
    if (headers.has('auto-submitted')) problem('Auto-Submitted', 'is never set on a newsletter mail');
  });

// -- HTTP ------------------------------------------------------------------------------------

const isoTime = z.iso.datetime();

export const outboxItemSchema = z.object({
  id: z.uuid(),
  messageId: z.uuid().describe('The mail message (GET /api/v1/mail/messages) this delivery is of.'),
  to: z.string(),
  subject: z.string(),
  headers: z
    .record(z.string(), z.string())
    .describe('Header name → value as delivered (encoded words kept), DKIM-Signature included when signed.'),
  text: z.string().nullable(),
  html: z.string().nullable(),
  createdAt: isoTime,
});

export const outboxPageSchema = z.object({
  items: z.array(outboxItemSchema),
  nextCursor: z.string().nullable(),
});

export const messageSchema = z.object({
  id: z.uuid(),
  kind: z.enum(MAIL_KINDS),
  to: z.string(),
  subject: z.string(),
  status: z.enum(MAIL_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: isoTime.nullable().describe('deferred: when it is tried again.'),
  lastError: z.string().nullable().describe('The last SMTP reply (code and text, addresses removed).'),
  messageId: z.string().nullable().describe('The Message-ID header, once the first attempt ran.'),
  sentAt: isoTime.nullable(),
  createdAt: isoTime,
});

export const messagesPageSchema = z.object({
  items: z.array(messageSchema),
  nextCursor: z.string().nullable(),
});

export const messagesQuerySchema = listQuerySchema.extend({ status: z.enum(MAIL_STATUSES).optional() });

export const statusSchema = z.object({
  transport: z.enum(['catcher', 'smtp']),
  paused: z.boolean(),
  pausedReason: z.string().nullable(),
  pausedAt: isoTime.nullable(),
  counts: z.object(
    Object.fromEntries(MAIL_STATUSES.map((s) => [s, z.number().int()])) as Record<
      (typeof MAIL_STATUSES)[number],
      z.ZodNumber
    >,
  ),
});

export const resumeResultSchema = z.object({
  resumed: z.number().int().describe('Held messages queued again.'),
});

const dkimDomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/,
    'must be a domain name',
  );
const dkimSelectorSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?)*$/,
    'must be a DKIM selector',
  );

export const mailSettingsSchema = z.object({
  fromName: z.string().nullable(),
  fromAddress: z.string().nullable().describe('null: the server default (KONTOR_MAIL_FROM).'),
  replyTo: z.string().nullable(),
  dkim: z.object({
    domain: z.string().nullable(),
    selector: z.string().nullable(),
    configured: z.boolean().describe('A private key is stored (it is never shown again).'),
  }),
  defaultFrom: z.string().describe('What From says while fromAddress is null.'),
});
export type MailSettings = z.infer<typeof mailSettingsSchema>;

export const putMailSettingsSchema = z
  .object({
    fromName: displayNameSchema.nullable().default(null),
    fromAddress: addressSchema.nullable().default(null),
    replyTo: addressSchema.nullable().default(null),
    dkim: z
      .object({
        domain: dkimDomainSchema.nullable(),
        selector: dkimSelectorSchema.nullable(),
        privateKey: z
          .string()
          .max(20_000)
          .nullable()
          .optional()
          .describe(
            'PEM (PKCS#1 or PKCS#8 RSA, ≥ 1024 bits, 2048 advised). Omitted: keep the stored key; null: remove it.',
          ),
      })
      .strict()
      .default({ domain: null, selector: null }),
  })
  .strict()
  .superRefine((body, ctx) => {
    const { domain, selector } = body.dkim;
    if ((domain === null) !== (selector === null)) {
      ctx.addIssue({
        code: 'custom',
        path: ['dkim', domain === null ? 'domain' : 'selector'],
        message: 'DKIM needs both a domain and a selector',
      });
    }
    if (typeof body.dkim.privateKey === 'string' && (domain === null || selector === null)) {
      ctx.addIssue({
        code: 'custom',
        path: ['dkim', 'privateKey'],
        message: 'a key needs a DKIM domain and selector',
      });
    }
  });
export type PutMailSettings = z.output<typeof putMailSettingsSchema>;

export const sendJobSchema = z.object({ messageId: z.uuid() }).strict();
