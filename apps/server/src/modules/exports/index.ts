/** Exports: contacts as CSV, XLSX or vCard, gated by the bulk-export rule (approvals). */
export {
  deleteExpiredExportsJob,
  exportsApprovalHandler,
  exportsJobs,
  produceExportJob,
} from './exports.jobs.ts';
export { type ExportsRoutesDeps, exportsRoutes } from './exports.routes.ts';
export { type ExportsDeps, exportApprovalHandler, requestExport } from './exports.service.ts';
export type { DataExportTable, ExportStatus, ExportsTables } from './exports.tables.ts';
