import type { ColumnType } from 'kysely';

type Id = ColumnType<string, string | undefined, never>;
type TenantId = ColumnType<string, string, never>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled';

export type ApprovalRequestTable = {
  id: Id;
  tenantId: TenantId;
  kind: ColumnType<string, string, never>;
  /**
   * jsonb: written as JSON text. Read it as text (`subject::text`) and parse it: read as a value,
   * the CamelCasePlugin would rename its keys.
   */
  subject: ColumnType<unknown, string, never>;
  subjectKey: ColumnType<string, string, never>;
  reason: ColumnType<string | null, string | null | undefined, never>;
  status: ColumnType<ApprovalStatus, ApprovalStatus | undefined, ApprovalStatus>;
  requestedBy: ColumnType<string, string, never>;
  decidedBy: Nullable<string>;
  decidedAt: Nullable<Date | string>;
  decisionNote: Nullable<string>;
  expiresAt: ColumnType<Date, Date | string, Date | string>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

/** This module's tables, read through `$extendTables` (see approvals.repository.ts). */
export type ApprovalsTables = {
  approvalRequest: ApprovalRequestTable;
};
