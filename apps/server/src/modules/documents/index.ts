/** Documents: files of persons and companies, their bytes in the blob store (issue 4). */

export { DEFAULT_MAX_FILE_BYTES, type DocumentsRoutesDeps, documentsRoutes } from './documents.routes.ts';
export type { Document } from './documents.schema.ts';
export type { DocumentsTables, DocumentTable } from './documents.tables.ts';
