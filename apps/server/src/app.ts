import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { BlobStore } from './kernel/blob/blob-store.ts';
import { kickBlobSweepAfterDeletes } from './kernel/blob/sweep.ts';
import type { Config } from './kernel/config.ts';
import type { SecretBox } from './kernel/crypto/secret-box.ts';
import type { Database } from './kernel/db/database.ts';
import { registerAuth } from './kernel/http/auth.ts';
import { registerOpenApi } from './kernel/http/openapi.ts';
import { registerProblemHandlers } from './kernel/http/problem.ts';
import { registerSecurityHeaders } from './kernel/http/security-headers.ts';
import { registerWebApp } from './kernel/http/web.ts';
import type { JobQueue } from './kernel/jobs/queue.ts';
import type { Logger } from './kernel/logger.ts';
import { approvalsRoutes, createApprovals } from './modules/approvals/index.ts';
import { auditRoutes } from './modules/audit/index.ts';
import { consentRoutes, newslettersRoutes } from './modules/consent/index.ts';
import { contactsRoutes, selectionsRoutes } from './modules/contacts/index.ts';
import { documentsRoutes } from './modules/documents/index.ts';
import { exportsRoutes } from './modules/exports/index.ts';
import { formsRoutes } from './modules/forms/index.ts';
import {
  authenticateApiToken,
  authenticateSession,
  authRoutes,
  identityRoutes,
  SESSION_COOKIE,
} from './modules/identity/index.ts';
import { importsRoutes } from './modules/imports/index.ts';
import { jobsRoutes } from './modules/jobs/index.ts';
import { mailRoutes } from './modules/mail/index.ts';
import { privacyRoutes } from './modules/privacy/index.ts';
import { systemRoutes } from './modules/system/system.routes.ts';
import { timelineRoutes } from './modules/timeline/index.ts';
import { webhooksRoutes } from './modules/webhooks/index.ts';
import { approvalHandlers } from './worker.ts';

export const VERSION = '0.1.0';
const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export type AppDeps = {
  config: Pick<Config, 'baseUrl' | 'rateLimit' | 'session'> &
    Partial<Pick<Config, 'documents' | 'imports' | 'smtpUrl' | 'mailFrom' | 'webhooks' | 'forms'>>;
  database: Database;
  queue: JobQueue;
  /** Where file contents (documents) live. */
  blobs: BlobStore;
  secrets: SecretBox;
  logger: Logger;
  /** Where the built web app lives; `false` serves the API only. */
  webDist?: string | false;
};

/** Builds the HTTP application without listening (tests use `app.inject()`). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    // Only over https does HSTS mean anything; behind a TLS proxy, set KONTOR_BASE_URL to https.
    hsts: deps.config.baseUrl.startsWith('https://'),
  });
  if (deps.config.rateLimit > 0) {
    // Counted in memory per client address; the address is neither stored nor logged. Only the
    // API and the public pages count: the web app's static files are cheap to serve, and one page
    // load fetches a dozen of them (an office behind one address would hit the limit on assets).
    await app.register(rateLimit, {
      max: deps.config.rateLimit,
      timeWindow: '1 minute',
      allowList: (request) => !/^\/(api|public|portal)\//.test(request.url),
    });
  }

  const sendIndex = deps.webDist === false ? undefined : await registerWebApp(app, deps.webDist ?? WEB_DIST);
  registerProblemHandlers(app, sendIndex ? { notFound: sendIndex } : {});
  await app.register(cookie);
  registerAuth(app, async (request) => {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) return authenticateApiToken(deps.database.db, header.slice(7).trim());
    const session = request.cookies[SESSION_COOKIE];
    if (session) return authenticateSession(deps.database.db, session, deps.config.session);
    return undefined;
  });
  await registerOpenApi(app, { baseUrl: deps.config.baseUrl, version: VERSION });

  // A committed deletion (a document, or a person or company whose documents cascade) hands
  // files to the blob sweep: send it at once instead of waiting for its minute. Added before the
  // routes, as a hook applies only to routes registered after it.
  app.addHook(
    'onResponse',
    kickBlobSweepAfterDeletes({
      queue: deps.queue,
      db: deps.database.db,
      blobs: deps.blobs,
      logger: deps.logger,
    }),
  );
  await app.register(systemRoutes(deps.database));
  await app.register(identityRoutes(deps.database));
  await app.register(
    authRoutes(deps.database, {
      session: deps.config.session,
      secureCookies: deps.config.baseUrl.startsWith('https://'),
      secrets: deps.secrets,
      queue: deps.queue,
      baseUrl: deps.config.baseUrl,
    }),
  );
  await app.register(jobsRoutes(deps.database, deps.queue));
  await app.register(privacyRoutes(deps.database));
  await app.register(auditRoutes(deps.database));
  await app.register(contactsRoutes(deps.database));
  const approvals = createApprovals({
    handlers: approvalHandlers({ db: deps.database.db, logger: deps.logger, blobs: deps.blobs }),
  });
  await app.register(approvalsRoutes({ database: deps.database, queue: deps.queue, approvals }));
  await app.register(
    exportsRoutes({
      database: deps.database,
      queue: deps.queue,
      blobs: deps.blobs,
      logger: deps.logger,
      approvals,
    }),
  );
  await app.register(selectionsRoutes(deps.database));
  await app.register(
    documentsRoutes({
      database: deps.database,
      blobs: deps.blobs,
      logger: deps.logger,
      maxFileBytes: deps.config.documents?.maxFileBytes,
    }),
  );
  await app.register(timelineRoutes(deps.database));
  await app.register(
    formsRoutes({
      database: deps.database,
      queue: deps.queue,
      secrets: deps.secrets,
      baseUrl: deps.config.baseUrl,
      settings: deps.config.forms,
    }),
  );
  await app.register(
    mailRoutes({
      database: deps.database,
      queue: deps.queue,
      secrets: deps.secrets,
      smtpUrl: deps.config.smtpUrl,
      defaultFrom: deps.config.mailFrom,
    }),
  );
  await app.register(
    importsRoutes({
      database: deps.database,
      queue: deps.queue,
      logger: deps.logger,
      maxFileBytes: deps.config.imports?.maxFileBytes,
    }),
  );
  // Consent: questions, changes, log, reports, GDPR tab; newsletters, their public pages, preferences.
  await app.register(consentRoutes({ database: deps.database, queue: deps.queue }));
  await app.register(
    newslettersRoutes({
      database: deps.database,
      queue: deps.queue,
      secrets: deps.secrets,
      baseUrl: deps.config.baseUrl,
    }),
  );
  await app.register(
    webhooksRoutes({
      database: deps.database,
      queue: deps.queue,
      secrets: deps.secrets,
      policy: deps.config.webhooks ?? { allowPrivateTargets: false },
    }),
  );
  return app;
}
