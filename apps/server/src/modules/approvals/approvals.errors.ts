import { defineErrors } from '../../kernel/errors.ts';

export const approvalsError = defineErrors({
  /** No such request in the tenant, or one the caller may not see (never reveals existence). */
  APPROVALS_NOT_FOUND: 'not_found',
  /** Approve, reject or cancel a request that was already decided, cancelled or has expired. */
  APPROVALS_NOT_PENDING: 'conflict',
  /** Four eyes: nobody approves or rejects a request of their own. */
  APPROVALS_OWN_REQUEST: 'forbidden',
  /** Only the requester may withdraw a request. */
  APPROVALS_NOT_REQUESTER: 'forbidden',
});
