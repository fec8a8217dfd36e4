import { defineErrors } from '../../kernel/errors.ts';

export const consentError = defineErrors({
  /** No such consent question in the tenant. */
  CONSENT_QUESTION_NOT_FOUND: 'not_found',
  /** Another question of the tenant has this key. */
  CONSENT_QUESTION_KEY_TAKEN: 'conflict',
  /** Key, purpose, channel or legal basis of a question someone answered: make a new question. */
  CONSENT_QUESTION_IN_USE: 'conflict',
  /** The wording or options break a rule (an option without a label in a language of the question). */
  CONSENT_INVALID_QUESTION: 'bad_request',
  /** Question ids that are unknown or archived (errors name each). */
  CONSENT_UNKNOWN_QUESTION: 'bad_request',
  /** Answers that do not fit their question: unknown version or option, a question answered twice. */
  CONSENT_INVALID_ANSWER: 'bad_request',
  /** Answers for a contact the transaction does not see. */
  CONSENT_CONTACT_NOT_FOUND: 'not_found',
  /** No such change in the queue. */
  CONSENT_CHANGE_NOT_FOUND: 'not_found',
  /** The change was processed already (by whom and when: see the change). */
  CONSENT_CHANGE_PROCESSED: 'conflict',
  /** An import whose rows cannot all be recorded (errors name each row): nothing is recorded. */
  CONSENT_INVALID_IMPORT: 'bad_request',
  /** Digest recipients that are not users of the tenant. */
  CONSENT_INVALID_SETTINGS: 'bad_request',
});
