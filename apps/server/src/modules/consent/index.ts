/**
 * Consent and newsletters (issue 6): versioned consent questions, the append-only consent
 * evidence and each contact's current answers, the privacy officer's queue of changes, the
 * consent log and reports, the GDPR tab; newsletters with double opt-in, one-click unsubscribe
 * and the preference centre. Other modules use only what this file exports.
 */

// Registers the selection leaves `consent` and `newsletter` and the marketing suppression
// (a prohibition) before the filter schema is first built.
import './consent.selections.ts';

export { consentError } from './consent.errors.ts';
export { consentDigestJob, consentJobs, sendDigest } from './consent.jobs.ts';
export { createQuestion, getQuestion, listQuestions, updateQuestion } from './consent.questions.ts';
export { type ConsentRoutesDeps, consentRoutes } from './consent.routes.ts';
export {
  assertConsentQuestions,
  type ConsentSource,
  type FormLanguage,
  type GdprConsent,
  listContactConsents,
  loadConsentQuestions,
  recordConsentAnswers,
  recordSubscriptionChange,
} from './consent.service.ts';
export type { ConsentTables } from './consent.tables.ts';
export {
  type GdprSubscription,
  listIdHeader,
  type NewslettersRoutesDeps,
  type NewslettersTables,
  newsletterHeaders,
  newslettersJobs,
  newslettersRoutes,
  preferencesUrl,
  unsubscribeUrl,
} from './newsletters/index.ts';
export {
  assertNewsletters,
  createNewsletter,
  listContactSubscriptions,
  loadNewsletters,
  newsletterFooter,
  requestSubscription,
} from './newsletters/newsletters.service.ts';
