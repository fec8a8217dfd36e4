import { defineErrors } from '../../kernel/errors.ts';

export const contactsError = defineErrors({
  CONTACTS_NOT_FOUND: 'not_found',
  CONTACTS_COMPANY_NOT_FOUND: 'not_found',
  /** A value only the stored record can judge (a national phone number, the company, …). */
  CONTACTS_INVALID_FIELDS: 'bad_request',
  /** Deleting a company deletes its persons, which needs contacts:delete as well. */
  CONTACTS_CASCADE_FORBIDDEN: 'forbidden',
  /** A user limited to some groups must keep each contact they write in one of those groups. */
  CONTACTS_OUT_OF_SCOPE: 'bad_request',
});
