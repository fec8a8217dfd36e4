/**
 * Newsletters, double opt-in, one-click unsubscribe and the preference centre (issue 6, the
 * newsletters part of the consent module). `modules/consent/index.ts` re-exports what other
 * modules use; this file gathers the part's routes and jobs.
 */
import type { FastifyInstance } from 'fastify';
import type { SecretBox } from '../../../kernel/crypto/secret-box.ts';
import type { Database } from '../../../kernel/db/database.ts';
import type { JobQueue } from '../../../kernel/jobs/queue.ts';
import { preferencesRoutes } from '../preferences/preferences.routes.ts';
import { newslettersPublicRoutes } from './newsletters.public.routes.ts';
import { newslettersAdminRoutes } from './newsletters.routes.ts';

export { preferencesUrl, unsubscribeUrl } from '../consent.links.ts';
export {
  type NewslettersJobDeps,
  newslettersJobs,
  purgePendingJob,
  purgePendingSubscriptions,
} from './newsletters.jobs.ts';
export { listIdHeader, newsletterHeaders } from './newsletters.mails.ts';
export type { GdprSubscription, SubscriptionChangedData } from './newsletters.schema.ts';
export {
  assertNewsletters,
  listContactSubscriptions,
  loadNewsletters,
  newsletterFooter,
  requestSubscription,
} from './newsletters.service.ts';
export type { NewslettersTables, SubscriptionStatus } from './newsletters.tables.ts';

export type NewslettersRoutesDeps = {
  database: Database;
  queue: JobQueue;
  secrets: SecretBox;
  baseUrl: string;
};

/** Admin API (area marketing), the confirm and unsubscribe pages, and the preference centre. */
export function newslettersRoutes(deps: NewslettersRoutesDeps) {
  return async (app: FastifyInstance) => {
    await app.register(newslettersAdminRoutes(deps));
    await app.register(newslettersPublicRoutes(deps));
    await app.register(preferencesRoutes(deps));
  };
}
