import { defineErrors } from '../../../kernel/errors.ts';

/** The newsletters part's codes (the consent module's CONSENT_* namespace). */
export const newslettersError = defineErrors({
  /** assertNewsletters: ids that are no newsletter of the tenant, or archived ones. */
  CONSENT_UNKNOWN_NEWSLETTER: 'bad_request',
  CONSENT_NEWSLETTER_NOT_FOUND: 'not_found',
  CONSENT_NEWSLETTER_NAME_TAKEN: 'conflict',
  CONSENT_NEWSLETTER_LIST_ID_TAKEN: 'conflict',
  /** Welcome templates that do not parse, or a language of the newsletter without texts. */
  CONSENT_NEWSLETTER_INVALID: 'bad_request',
  CONSENT_NEWSLETTER_ARCHIVED: 'bad_request',
  CONSENT_SUBSCRIPTION_NOT_FOUND: 'not_found',
  /** A subscription needs the contact's email address. */
  CONSENT_CONTACT_WITHOUT_EMAIL: 'bad_request',
  CONSENT_CONTACT_NOT_FOUND: 'not_found',
  CONSENT_LINK_REQUESTS_EXCEEDED: 'rate_limited',
});
