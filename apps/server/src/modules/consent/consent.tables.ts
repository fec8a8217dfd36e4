import type { ColumnType } from 'kysely';

type Id = ColumnType<string, string | undefined, never>;
type TenantId = ColumnType<string, string, never>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Fixed<T> = ColumnType<T, T, never>;

export type ConsentChannel = 'email' | 'postal' | 'phone' | 'sms' | 'any';
export type ConsentPolarity = 'grant' | 'prohibition' | 'neutral';
/** DPV consent states a record or event can hold. */
export type ConsentState =
  | 'dpv:ConsentGiven'
  | 'dpv:ConsentRefused'
  | 'dpv:ConsentWithdrawn'
  | 'dpv:Prohibition';
export type ConsentSource = 'form' | 'portal' | 'preferences' | 'staff' | 'import' | 'site' | 'newsletter';
export type ConsentChangeKind = 'consent' | 'subscription';

export type ConsentQuestionTable = {
  id: Id;
  tenantId: TenantId;
  key: string;
  purpose: string;
  channel: ConsentChannel;
  legalBasis: string;
  currentVersion: ColumnType<number, number | undefined, number>;
  archivedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  createdBy: ColumnType<string | null, string | null | undefined, never>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

/** Immutable. texts/options are jsonb, written as JSON text and read as text (`::text`). */
export type ConsentQuestionVersionTable = {
  tenantId: TenantId;
  questionId: Fixed<string>;
  version: Fixed<number>;
  texts: ColumnType<unknown, string, never>;
  options: ColumnType<unknown, string, never>;
  textHash: Fixed<string>;
  createdBy: ColumnType<string | null, string | null | undefined, never>;
  createdAt: CreatedAt;
};

/** Append-only evidence of every answer. */
export type ConsentEventTable = {
  id: Id;
  tenantId: TenantId;
  contactId: Fixed<string>;
  questionId: Fixed<string>;
  version: Fixed<number>;
  optionKey: Fixed<string>;
  polarity: Fixed<ConsentPolarity>;
  state: Fixed<ConsentState>;
  source: Fixed<ConsentSource>;
  sourceRef: ColumnType<string | null, string | null | undefined, never>;
  actorUserId: ColumnType<string | null, string | null | undefined, never>;
  byContact: Fixed<boolean>;
  language: Fixed<'de' | 'en' | 'fr'>;
  textHash: Fixed<string>;
  legalBasis: Fixed<string>;
  occurredAt: ColumnType<Date, Date | string | undefined, never>;
  supersedesEventId: ColumnType<string | null, string | null | undefined, never>;
  createdAt: CreatedAt;
};

/** The current answer per (contact, question). */
export type ConsentRecordTable = {
  tenantId: TenantId;
  contactId: Fixed<string>;
  questionId: Fixed<string>;
  version: number;
  optionKey: string;
  polarity: ConsentPolarity;
  state: ConsentState;
  source: ConsentSource;
  eventId: string;
  changedAt: ColumnType<Date, Date | string, Date | string>;
  processedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
};

export type ConsentChangeTable = {
  id: Id;
  tenantId: TenantId;
  contactId: Fixed<string>;
  kind: Fixed<ConsentChangeKind>;
  consentEventId: ColumnType<string | null, string | null | undefined, never>;
  subscriptionEventId: ColumnType<string | null, string | null | undefined, never>;
  /** jsonb written as JSON text, read as text. */
  summary: ColumnType<unknown, string, never>;
  createdAt: CreatedAt;
  processedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  processedBy: ColumnType<string | null, string | null | undefined, string | null>;
  actionTaken: ColumnType<string | null, string | null | undefined, string | null>;
};

export type ConsentSettingsTable = {
  tenantId: TenantId;
  digestEnabled: ColumnType<boolean, boolean | undefined, boolean>;
  digestRecipientUserIds: ColumnType<string[], string[] | undefined, string[]>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

/** This module's tables, read through `$extendTables` (see consent.repository.ts). */
export type ConsentTables = {
  consentQuestion: ConsentQuestionTable;
  consentQuestionVersion: ConsentQuestionVersionTable;
  consentEvent: ConsentEventTable;
  consentRecord: ConsentRecordTable;
  consentChange: ConsentChangeTable;
  consentSettings: ConsentSettingsTable;
};
