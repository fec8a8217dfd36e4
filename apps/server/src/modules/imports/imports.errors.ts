import { defineErrors } from '../../kernel/errors.ts';

export const importsError = defineErrors({
  /** No such import, or another user's (imports are private to who uploaded them). */
  IMPORTS_NOT_FOUND: 'not_found',
  /** The request has no multipart part `file`. */
  IMPORTS_FILE_MISSING: 'bad_request',
  IMPORTS_FILE_TOO_LARGE: 'too_large',
  /** Not a CSV or XLSX file (e.g. an old .xls, a PDF, an image). */
  IMPORTS_UNSUPPORTED_FILE: 'unsupported_media_type',
  /** The file cannot be read: broken quoting, a damaged workbook, no header row, no data rows. */
  IMPORTS_UNREADABLE_FILE: 'bad_request',
  IMPORTS_SHEET_NOT_FOUND: 'bad_request',
  /** The mapping names a column the file does not have, a field twice, or an unknown target. */
  IMPORTS_INVALID_MAPPING: 'bad_request',
  /** Only an uploaded import can be changed or started; only a running or uploaded one cancelled. */
  IMPORTS_WRONG_STATE: 'conflict',
  /** dedupe `update` changes existing contacts, which needs contacts:update as well. */
  IMPORTS_UPDATE_FORBIDDEN: 'forbidden',
});

/** Why a whole import failed, as `errorCode` says (never personal data). */
export const IMPORT_FAILURES = {
  /** The job failed on every retry (the database was unreachable, …); the rows up to the checkpoint stay imported. */
  jobFailed: 'IMPORTS_JOB_FAILED',
  /** The file could not be read to its end. */
  unreadable: 'IMPORTS_UNREADABLE_FILE',
  /** The user who started it no longer holds contacts:create (or contacts:update for dedupe update). */
  creatorLacksRight: 'IMPORTS_CREATOR_LACKS_RIGHT',
  /** Running but without progress for hours: its worker died for good. */
  stalled: 'IMPORTS_STALLED',
  /** Uploaded but never started within a day: the file was removed. */
  expired: 'IMPORTS_EXPIRED',
} as const;
