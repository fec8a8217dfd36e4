import type { ColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** bigint: PGlite reads it as a number, node-postgres as a string. */
type Int8 = ColumnType<number | string, number, number>;

/** Append-only: the application role can read and insert these rows, never update or delete them. */
export type AuditLogTable = {
  id: ColumnType<string, string | undefined, never>;
  tenantId: ColumnType<string, string, never>;
  seq: Int8;
  occurredAt: ColumnType<Date, Date | string, never>;
  actorKind: ColumnType<string, string, never>;
  actorUserId: ColumnType<string | null, string | null, never>;
  action: ColumnType<string, string, never>;
  entityType: ColumnType<string, string, never>;
  entityId: ColumnType<string | null, string | null, never>;
  /** Written as canonical JSON text, read as the parsed value. */
  changes: ColumnType<unknown, string, never>;
  prevHash: ColumnType<string, string, never>;
  hash: ColumnType<string, string, never>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

/** Each tenant's last audit entry: seq 0 and the genesis hash before the first one. */
export type AuditChainHeadTable = {
  tenantId: ColumnType<string, string, never>;
  seq: Int8;
  hash: string;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

/** To merge into kernel/db/tables.ts `Tables`. */
export type AuditTables = {
  auditLog: AuditLogTable;
  auditChainHead: AuditChainHeadTable;
};
