import type { ColumnType, Generated } from 'kysely';
import type { AuditChainHeadTable, AuditLogTable } from '../../modules/audit/audit.tables.ts';
import type { ContactsTables } from '../../modules/contacts/contacts.tables.ts';

/** A timestamptz column: read as Date, written as Date or ISO string, defaulted by the database. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type TenantTable = {
  id: ColumnType<string, string | undefined, never>;
  name: string;
  defaultLanguage: ColumnType<'de' | 'en' | 'fr', 'de' | 'en' | 'fr' | undefined, 'de' | 'en' | 'fr'>;
  accessLogRetentionDays: ColumnType<number, number | undefined, number>;
  /** Exports of more records than this wait for an approval (exports module). */
  bulkExportThreshold: ColumnType<number, number | undefined, number>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

export type AppUserTable = {
  id: Generated<string>;
  tenantId: string;
  email: string;
  displayName: string | null;
  passwordHash: string | null;
  totpSecret: ColumnType<string | null, string | null | undefined, string | null>;
  totpPendingSecret: ColumnType<string | null, string | null | undefined, string | null>;
  totpEnabledAt: NullableTimestamp;
  totpLastStep: ColumnType<string | null, number | null | undefined, number | null>;
  contactScope: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

export type AppSessionTable = {
  id: Generated<string>;
  tenantId: string;
  userId: string;
  tokenHash: string;
  csrfHash: string;
  lastSeenAt: ColumnType<Date, Date | string | undefined, Date | string>;
  expiresAt: Timestamp;
  revokedAt: NullableTimestamp;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

export type RecoveryCodeTable = {
  id: Generated<string>;
  tenantId: string;
  userId: string;
  codeHash: string;
  usedAt: NullableTimestamp;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

/** A password-reset link: only the SHA-256 of its token; valid once, until `expiresAt`. */
export type PasswordResetTable = {
  id: Generated<string>;
  tenantId: string;
  userId: string;
  tokenHash: string;
  expiresAt: Timestamp;
  usedAt: NullableTimestamp;
  createdAt: CreatedAt;
};

/** Not tenant data: failed sign-ins per hashed email. */
export type LoginThrottleTable = {
  keyHash: string;
  failures: number;
  windowStartedAt: ColumnType<Date, Date | string | undefined, Date | string>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

export type ApiTokenTable = {
  id: Generated<string>;
  tenantId: string;
  userId: string;
  name: string;
  tokenHash: string;
  expiresAt: NullableTimestamp;
  revokedAt: NullableTimestamp;
  lastUsedAt: NullableTimestamp;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

export type JobEffectTable = {
  id: Generated<string>;
  tenantId: string;
  idempotencyKey: string;
  queue: string;
  jobId: string;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

export type DeadLetterTable = {
  id: Generated<string>;
  tenantId: string;
  queue: string;
  jobId: string;
  payload: ColumnType<unknown, string, string>;
  error: string;
  attempts: number;
  failedAt: ColumnType<Date, Date | string | undefined, Date | string>;
  requeuedAt: NullableTimestamp;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

export type RoleTable = {
  id: Generated<string>;
  tenantId: string;
  builtinKey: string | null;
  name: string;
  rights: ColumnType<string[], string[] | undefined, string[]>;
  fieldAccess: ColumnType<Record<string, string>, string | undefined, string>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

export type UserRoleTable = {
  id: Generated<string>;
  tenantId: string;
  userId: string;
  roleId: string;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

export type AccessLogTable = {
  id: Generated<string>;
  tenantId: string;
  userId: string;
  recordType: 'contact' | 'company';
  recordIds: string[];
  purpose: string;
  kind: ColumnType<'read' | 'search' | 'export', 'read' | 'search' | 'export' | undefined, never>;
  occurredAt: ColumnType<Date, Date | string | undefined, never>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

export type KontorMigrationTable = {
  name: string;
  checksum: string;
  appliedAt: Timestamp;
};

/** Every table the application queries, by SQL name. Modules add theirs here. */
export type Tables = {
  tenant: TenantTable;
  appUser: AppUserTable;
  apiToken: ApiTokenTable;
  jobEffect: JobEffectTable;
  deadLetter: DeadLetterTable;
  role: RoleTable;
  userRole: UserRoleTable;
  appSession: AppSessionTable;
  recoveryCode: RecoveryCodeTable;
  passwordReset: PasswordResetTable;
  loginThrottle: LoginThrottleTable;
  accessLog: AccessLogTable;
  auditLog: AuditLogTable;
  auditChainHead: AuditChainHeadTable;
} & ContactsTables;
