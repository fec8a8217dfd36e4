import { defineErrors } from '../../kernel/errors.ts';

export const identityError = defineErrors({
  IDENTITY_UNAUTHENTICATED: 'unauthorized',
  IDENTITY_EMAIL_TAKEN: 'conflict',
  IDENTITY_WEAK_PASSWORD: 'bad_request',
});
