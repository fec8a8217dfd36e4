import { defineErrors } from '../../../kernel/errors.ts';

export const customFieldsError = defineErrors({
  CUSTOM_FIELDS_NOT_FOUND: 'not_found',
  /** Another field of the same object type has this key. */
  CUSTOM_FIELDS_KEY_TAKEN: 'conflict',
  /** An object type holds at most MAX_CUSTOM_FIELDS fields. */
  CUSTOM_FIELDS_LIMIT: 'conflict',
  /** A change that does not fit the field (options of a text field, unique on a boolean, …). */
  CUSTOM_FIELDS_INVALID: 'bad_request',
  /** Removing an option that records still carry; change those records first. */
  CUSTOM_FIELDS_OPTION_IN_USE: 'conflict',
  /** Making a field unique whose stored values repeat. */
  CUSTOM_FIELDS_VALUES_NOT_UNIQUE: 'conflict',
  /** A record's value of a unique field that another record of the tenant already has. */
  CUSTOM_FIELDS_VALUE_TAKEN: 'conflict',
});
