/**
 * The consent module's functions the forms module uses, in one place (issue 6 contract): the
 * questions and newsletters a form offers, checked on save and shown in the visitor's language;
 * the answers recorded and the subscriptions requested when a submission is processed.
 * Temporary: when `modules/consent/index.ts` settles, forms may import it directly.
 */
export {
  assertConsentQuestions,
  assertNewsletters,
  loadConsentQuestions,
  loadNewsletters,
  recordConsentAnswers,
  requestSubscription,
} from '../consent/index.ts';
