import { type AppError, defineErrors } from '../../kernel/errors.ts';

export const documentsError = defineErrors({
  DOCUMENTS_NOT_FOUND: 'not_found',
  /** The reader's roles show documents masked or not at all (data category `documents`). */
  DOCUMENTS_HIDDEN: 'forbidden',
  /** A company's documents need the companies right as well. */
  DOCUMENTS_FORBIDDEN: 'forbidden',
  /** Not multipart/form-data. */
  DOCUMENTS_NOT_MULTIPART: 'unsupported_media_type',
  /** Anything but exactly one part, a file named `file`. */
  DOCUMENTS_ONE_FILE: 'bad_request',
  DOCUMENTS_EMPTY: 'bad_request',
  /** The multipart body could not be parsed or ended early. */
  DOCUMENTS_MALFORMED: 'bad_request',
  DOCUMENTS_TOO_LARGE: 'too_large',
  /** The bytes are of a type that is not on the allow-list (whatever the name or header said). */
  DOCUMENTS_TYPE_REFUSED: 'unsupported_media_type',
  /** The stored file is missing (the store lost it): the metadata is there, the bytes are not. */
  DOCUMENTS_CONTENT_MISSING: 'internal',
});

/** 413 for a file over the limit, however it was noticed (declared length, while streaming). */
export function documentTooLarge(limit: number): AppError {
  const shown = limit % (1024 * 1024) === 0 ? `${limit / (1024 * 1024)} MiB` : `${limit} bytes`;
  return documentsError(
    'DOCUMENTS_TOO_LARGE',
    `The file is larger than ${shown}, the most this server accepts.`,
    [{ path: 'file', message: `must be at most ${limit} bytes` }],
  );
}
