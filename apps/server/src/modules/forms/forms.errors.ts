import { defineErrors } from '../../kernel/errors.ts';

export const formsError = defineErrors({
  /** No such form in the tenant (or, on the public endpoints, not published). */
  FORMS_NOT_FOUND: 'not_found',
  /** The definition breaks a rule (targets, the one email field, templates, …); see errors. */
  FORMS_INVALID_DEFINITION: 'bad_request',
  /** A public submission whose values fail the contact rules; errors[].path is the field name. */
  FORMS_INVALID_SUBMISSION: 'bad_request',
  /** Too many submissions from one address to one form within a minute (memory only). */
  FORMS_RATE_LIMITED: 'rate_limited',
});
