/**
 * One error type for the whole server. A service throws `AppError` with a module's code; the
 * HTTP layer maps its kind to a status (kernel/http/problem.ts). Services never throw HTTP errors.
 */
export type ErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unsupported_media_type'
  | 'rule_blocked'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export type ErrorDetail = { path: string; message: string };

/** Extra parts of an error answer: response headers (Retry-After) and problem extension members. */
export type ErrorExtras = { headers?: Record<string, string>; members?: Record<string, unknown> };

export class AppError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly details: ErrorDetail[] | undefined;
  readonly extras: ErrorExtras | undefined;
  constructor(code: string, kind: ErrorKind, message: string, details?: ErrorDetail[], extras?: ErrorExtras) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.kind = kind;
    this.details = details;
    this.extras = extras;
  }
}

/** A module's codes as data: `{ CONTACTS_NOT_FOUND: 'not_found' }` → typed constructors. */
export function defineErrors<const T extends Record<string, ErrorKind>>(codes: T) {
  return <K extends keyof T & string>(
    code: K,
    message: string,
    details?: ErrorDetail[],
    extras?: ErrorExtras,
  ) => new AppError(code, codes[code] as ErrorKind, message, details, extras);
}
