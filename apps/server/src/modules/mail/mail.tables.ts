import type { ColumnType } from 'kysely';

type Id = ColumnType<string, string | undefined, never>;
type TenantId = ColumnType<string, string, never>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
type NullableTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb: written as JSON text; read it as text (`…::text`) and parse it (see the repository). */
type Json = ColumnType<unknown, string | undefined, string>;

/** newsletter: a mail of a newsletter (List-Id, List-Unsubscribe, List-Unsubscribe-Post required). */
export const MAIL_KINDS = ['auto-reply', 'notification', 'transactional', 'newsletter'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export const MAIL_STATUSES = ['queued', 'sending', 'sent', 'deferred', 'failed', 'held'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

export type MailSenderTable = {
  tenantId: TenantId;
  fromName: Nullable<string>;
  fromAddress: Nullable<string>;
  replyTo: Nullable<string>;
  dkimDomain: Nullable<string>;
  dkimSelector: Nullable<string>;
  /** Sealed PEM (secret-box, context `dkim:<tenantId>`). */
  dkimPrivateKey: Nullable<string>;
  pausedAt: NullableTime;
  pausedReason: Nullable<string>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

export type MailMessageTable = {
  id: Id;
  tenantId: TenantId;
  kind: ColumnType<MailKind, MailKind, never>;
  idempotencyKey: ColumnType<string, string, never>;
  contactId: ColumnType<string | null, string | null | undefined, never>;
  toAddress: ColumnType<string, string, never>;
  toName: ColumnType<string | null, string | null | undefined, never>;
  fromAddress: Nullable<string>;
  fromName: Nullable<string>;
  replyTo: Nullable<string>;
  subject: ColumnType<string, string, never>;
  textBody: ColumnType<string, string, never>;
  htmlBody: ColumnType<string | null, string | null | undefined, never>;
  headers: Json;
  messageId: Nullable<string>;
  status: ColumnType<MailStatus, MailStatus | undefined, MailStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  nextAttemptAt: NullableTime;
  lastError: Nullable<string>;
  sentAt: NullableTime;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

export type MailCatcherEntryTable = {
  id: Id;
  tenantId: TenantId;
  messageId: ColumnType<string, string, never>;
  toAddress: ColumnType<string, string, never>;
  subject: ColumnType<string, string, never>;
  headers: Json;
  textBody: ColumnType<string | null, string | null, never>;
  htmlBody: ColumnType<string | null, string | null, never>;
  rawSize: ColumnType<number, number, never>;
  createdAt: CreatedAt;
};

/** This module's tables, read through `$extendTables` (see mail.repository.ts). */
export type MailTables = {
  mailSender: MailSenderTable;
  mailMessage: MailMessageTable;
  mailCatcherEntry: MailCatcherEntryTable;
};
