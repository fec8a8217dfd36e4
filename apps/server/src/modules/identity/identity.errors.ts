import { defineErrors } from '../../kernel/errors.ts';

export const identityError = defineErrors({
  IDENTITY_UNAUTHENTICATED: 'unauthorized',
  IDENTITY_EMAIL_TAKEN: 'conflict',
  IDENTITY_WEAK_PASSWORD: 'bad_request',
  IDENTITY_USER_NOT_FOUND: 'not_found',
  IDENTITY_ROLE_NOT_FOUND: 'not_found',
  IDENTITY_UNKNOWN_ROLES: 'bad_request',
  IDENTITY_ROLE_NAME_TAKEN: 'conflict',
  IDENTITY_OWNER_ROLE_FIXED: 'conflict',
  IDENTITY_ROLE_IN_USE: 'conflict',
  IDENTITY_LAST_OWNER: 'conflict',
  IDENTITY_TOKEN_NOT_FOUND: 'not_found',
});
