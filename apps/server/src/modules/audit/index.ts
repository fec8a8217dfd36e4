/** Audit log: an append-only, per-tenant hash chain of changes to settings, rights and personal data. */
export { auditRoutes } from './audit.routes.ts';
export type {
  AuditActor,
  AuditActorKind,
  AuditChanges,
  AuditEntry,
  AuditEntryInput,
  RecordedAuditEntry,
} from './audit.schema.ts';
export {
  type AuditBreakReason,
  type AuditVerification,
  auditActorOf,
  auditBy,
  auditManyBy,
  recordAudit,
  recordAudits,
  verifyAuditChain,
} from './audit.service.ts';
export type { AuditChainHeadTable, AuditLogTable, AuditTables } from './audit.tables.ts';
