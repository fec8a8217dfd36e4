/** Imports: contacts from CSV and XLSX files, run as resumable jobs (issue 4, import part). */
export { pruneImportsJob, runImportJob } from './imports.jobs.ts';
export { DEFAULT_MAX_IMPORT_BYTES, type ImportsRoutesDeps, importsRoutes } from './imports.routes.ts';
export type { ImportsTables } from './imports.tables.ts';
