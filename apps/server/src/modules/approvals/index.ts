/** Approvals: requests that wait for the privacy officer, one handler per kind (exports first). */
export { expireApprovalsJob } from './approvals.jobs.ts';
export type {
  ApprovalContext,
  ApprovalHandler,
  ApprovalRegistry,
  ApprovalRequest,
} from './approvals.registry.ts';
export { approvalsRoutes } from './approvals.routes.ts';
export {
  type Approval,
  type ApprovalStatus,
  type ApprovalSubject,
  approvalSchema,
} from './approvals.schema.ts';
export {
  APPROVAL_TTL_DAYS,
  type ApprovalsService,
  createApprovals,
  type NewApproval,
  seesAllApprovals,
} from './approvals.service.ts';
export type { ApprovalRequestTable, ApprovalsTables } from './approvals.tables.ts';
