import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { pageSchema, parseWith, queryString } from '../../../api/schemas.ts';

export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'deferred', 'failed', 'held'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

const statusSchema = z.object({
  transport: z.enum(['catcher', 'smtp']),
  paused: z.boolean(),
  pausedReason: z.string().nullable(),
  pausedAt: z.string().nullable(),
  counts: z.object({
    queued: z.number(),
    sending: z.number(),
    sent: z.number(),
    deferred: z.number(),
    failed: z.number(),
    held: z.number(),
  }),
});
export type MailStatus = z.infer<typeof statusSchema>;

// `to` is an address, or `{ address, name }` as the message was queued.
const recipientSchema = z.union([
  z.string(),
  z
    .object({ address: z.string(), name: z.string().nullish() })
    .transform((to) => (to.name ? `${to.name} <${to.address}>` : to.address)),
]);

const messageSchema = z.object({
  id: z.string(),
  kind: z.string(),
  to: recipientSchema,
  subject: z.string(),
  status: z.enum(MESSAGE_STATUSES),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  sentAt: z.string().nullable(),
  createdAt: z.string(),
});
export type MailMessage = z.output<typeof messageSchema>;

// Header values as delivered: a string, or several for a header that occurs more than once.
const headerValueSchema = z.union([z.string(), z.array(z.string())]);
const outboxItemSchema = z.object({
  id: z.string(),
  to: z.union([recipientSchema, z.array(recipientSchema).transform((all) => all.join(', '))]),
  subject: z.string(),
  headers: z.record(z.string(), headerValueSchema),
  text: z.string().nullable(),
  html: z.string().nullable(),
  createdAt: z.string(),
});
export type OutboxItem = z.output<typeof outboxItemSchema>;

const settingsSchema = z.object({
  fromName: z.string().nullable(),
  fromAddress: z.string().nullable(),
  replyTo: z.string().nullable(),
  dkim: z.object({ domain: z.string().nullable(), selector: z.string().nullable(), configured: z.boolean() }),
  /** What From says while `fromAddress` is empty (the server's default). */
  defaultFrom: z.string().optional(),
});
export type MailSettings = z.infer<typeof settingsSchema>;

export function getMailStatus(signal?: AbortSignal): Promise<MailStatus> {
  return apiFetch('/api/v1/mail/status', parseWith(statusSchema), { signal });
}

/** Resumes sending; answers how many held messages were queued again. */
export async function resumeMail(): Promise<number> {
  const result = await apiFetch(
    '/api/v1/mail/resume',
    parseWith(z.object({ resumed: z.number() }).partial().optional()),
    { method: 'POST' },
  );
  return result?.resumed ?? 0;
}

export function listMessages(
  params: { status?: MessageStatus | undefined; limit?: number; cursor?: string | undefined },
  signal?: AbortSignal,
) {
  return apiFetch(`/api/v1/mail/messages${queryString(params)}`, parseWith(pageSchema(messageSchema)), {
    signal,
  });
}

const outboxPageSchema = z.object({ items: z.array(outboxItemSchema), nextCursor: z.string().nullish() });

export async function listOutbox(
  params: { limit?: number; cursor?: string | undefined },
  signal?: AbortSignal,
) {
  const page = await apiFetch(`/api/v1/outbox${queryString(params)}`, parseWith(outboxPageSchema), {
    signal,
  });
  return { items: page.items, nextCursor: page.nextCursor ?? null };
}

export function getMailSettings(signal?: AbortSignal): Promise<MailSettings> {
  return apiFetch('/api/v1/settings/mail', parseWith(settingsSchema), { signal });
}

export type MailSettingsInput = {
  fromName: string | null;
  fromAddress: string | null;
  replyTo: string | null;
  /** `privateKey` is write-only: left out, the stored key stays; null removes it. */
  dkim: { domain: string | null; selector: string | null; privateKey?: string | null };
};

export function updateMailSettings(input: MailSettingsInput): Promise<MailSettings> {
  return apiFetch('/api/v1/settings/mail', parseWith(settingsSchema), { method: 'PUT', json: input });
}
