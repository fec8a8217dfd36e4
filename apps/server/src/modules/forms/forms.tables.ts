import type { ColumnType } from 'kysely';

type Id = ColumnType<string, string | undefined, never>;
type TenantId = ColumnType<string, string, never>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export type FormStatus = 'draft' | 'published' | 'archived';
/** received: stored by the public POST; processed/failed: by the job forms.process-submission. */
export type SubmissionStatus = 'received' | 'processed' | 'failed';
export type SpamReason = 'honeypot' | 'too_fast' | 'token' | 'challenge' | 'replay';

export type FormTable = {
  id: Id;
  tenantId: TenantId;
  name: string;
  status: ColumnType<FormStatus, FormStatus | undefined, FormStatus>;
  version: ColumnType<number, number | undefined, number>;
  createdBy: ColumnType<string | null, string | null | undefined, never>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

/** Immutable: one row per version of a form's definition. */
export type FormVersionTable = {
  id: Id;
  tenantId: TenantId;
  formId: ColumnType<string, string, never>;
  version: ColumnType<number, number, never>;
  /** jsonb, written as JSON text; read it as text (`definition::text`): the CamelCasePlugin would rename keys. */
  definition: ColumnType<unknown, string, never>;
  createdAt: CreatedAt;
};

export type FormSubmissionTable = {
  id: Id;
  tenantId: TenantId;
  formId: ColumnType<string, string, never>;
  formVersion: ColumnType<number, number, never>;
  /** Null until the submission is processed (the contact is found or created by the job). */
  contactId: ColumnType<string | null, string | null | undefined, string | null>;
  language: ColumnType<'de' | 'en' | 'fr', 'de' | 'en' | 'fr', never>;
  /** jsonb of the submitted values by field name, written as JSON text; read as text. */
  data: ColumnType<unknown, string, never>;
  autoReplyMessageId: ColumnType<string | null, string | null | undefined, string | null>;
  /** jsonb `[{ questionId, version, optionKey }]`: the answers with the versions shown; read as text. */
  consent: ColumnType<unknown, string | undefined, never>;
  /** jsonb array of the newsletter ids ticked; read as text. */
  newsletterIds: ColumnType<unknown, string | undefined, never>;
  status: ColumnType<SubmissionStatus, SubmissionStatus | undefined, SubmissionStatus>;
  /** Why processing failed (shown in the submissions list); null otherwise. */
  failure: ColumnType<string | null, string | null | undefined, string | null>;
  processedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  createdAt: CreatedAt;
};

/** Rejected spam per form, UTC day and reason: counts only. */
export type FormSpamCountTable = {
  tenantId: TenantId;
  formId: ColumnType<string, string, never>;
  day: ColumnType<string, string, never>;
  reason: ColumnType<SpamReason, SpamReason, never>;
  count: ColumnType<number, number | undefined, number>;
};

/** Not tenant data: SHA-256 of solved proof-of-work challenges' signatures, until they expire. */
export type FormChallengeUseTable = {
  signatureHash: string;
  expiresAt: ColumnType<Date, Date | string, never>;
};

/** This module's tables, read through `$extendTables` (see forms.repository.ts). */
export type FormsTables = {
  form: FormTable;
  formVersion: FormVersionTable;
  formSubmission: FormSubmissionTable;
  formSpamCount: FormSpamCountTable;
  formChallengeUse: FormChallengeUseTable;
};
