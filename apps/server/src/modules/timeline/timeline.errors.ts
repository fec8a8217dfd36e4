import { defineErrors } from '../../kernel/errors.ts';

export const timelineError = defineErrors({
  /** No such entry in the tenant, or its contact is outside the user's groups. */
  TIMELINE_ACTIVITY_NOT_FOUND: 'not_found',
  /** Entries of forms, consent, mail and the system record facts: nobody edits or deletes them. */
  TIMELINE_ACTIVITY_IMMUTABLE: 'conflict',
  /** A rule that needs the stored entry or the database (kind and direction, the company, …). */
  TIMELINE_INVALID_FIELDS: 'bad_request',
  /** The reference (ref_type, ref_id) is recorded already, for another contact or out of sight. */
  TIMELINE_REF_CONFLICT: 'conflict',
});
