import { defineErrors } from '../../kernel/errors.ts';

export const auditError = defineErrors({
  /** A module handed recordAudit() something the contract forbids (a bug there, not the user's). */
  AUDIT_INVALID_ENTRY: 'internal',
  AUDIT_INVALID_TENANT: 'bad_request',
  AUDIT_TENANT_NOT_FOUND: 'not_found',
  /** Verifying every tenant needs an owner role that row-level security does not hide rows from. */
  AUDIT_OWNER_CANNOT_SEE_ALL: 'bad_request',
});
