import { defineErrors } from '../../../kernel/errors.ts';

export const selectionsError = defineErrors({
  SELECTIONS_NOT_FOUND: 'not_found',
  /** The filter names an unknown field, an operator its type does not have, a value of the wrong shape, … */
  SELECTIONS_INVALID_FILTER: 'bad_request',
  /**
   * The filter compares a field whose data category the principal sees masked or not at all: a
   * count would tell the values the field access hides.
   */
  SELECTIONS_FIELD_FORBIDDEN: 'forbidden',
  SELECTIONS_NAME_TAKEN: 'conflict',
});
