import { defineErrors } from '../../kernel/errors.ts';

export const exportsError = defineErrors({
  /** No such export of the caller's: others' exports and other tenants' ids alike. */
  EXPORTS_NOT_FOUND: 'not_found',
  /** The records asked for are none that the caller may see. */
  EXPORTS_NOTHING_TO_EXPORT: 'bad_request',
  /** selectionId names no saved selection of the tenant. */
  EXPORTS_SELECTION_NOT_FOUND: 'bad_request',
  /** More records than one export may hold (MAX_EXPORT_RECORDS). */
  EXPORTS_TOO_LARGE: 'bad_request',
  /** The file is not made yet (queued, running, awaiting approval) or will never be (failed, rejected). */
  EXPORTS_NOT_READY: 'conflict',
  /** The file was deleted: 24 hours after it was made. */
  EXPORTS_FILE_GONE: 'not_found',
});

/** Why a job left an export `failed` (stored in data_export.error_code). */
export const EXPORT_FAILURES = {
  /** When the job ran, the requester no longer held contacts:export (or no longer existed). */
  requesterLacksRight: 'EXPORTS_REQUESTER_LACKS_RIGHT',
  /** Every attempt of the job failed; the dead-letter list has the error. */
  failed: 'EXPORTS_FAILED',
} as const;
