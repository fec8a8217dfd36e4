import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './kernel/config.ts';
import type { SecretBox } from './kernel/crypto/secret-box.ts';
import type { Database } from './kernel/db/database.ts';
import { registerAuth } from './kernel/http/auth.ts';
import { registerOpenApi } from './kernel/http/openapi.ts';
import { registerProblemHandlers } from './kernel/http/problem.ts';
import { registerWebApp } from './kernel/http/web.ts';
import type { JobQueue } from './kernel/jobs/queue.ts';
import type { Logger } from './kernel/logger.ts';
import { auditRoutes } from './modules/audit/index.ts';
import { contactsRoutes } from './modules/contacts/index.ts';
import {
  authenticateApiToken,
  authenticateSession,
  authRoutes,
  identityRoutes,
  SESSION_COOKIE,
} from './modules/identity/index.ts';
import { jobsRoutes } from './modules/jobs/index.ts';
import { privacyRoutes } from './modules/privacy/index.ts';
import { systemRoutes } from './modules/system/system.routes.ts';

export const VERSION = '0.1.0';
const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export type AppDeps = {
  config: Pick<Config, 'baseUrl' | 'rateLimit' | 'session'>;
  database: Database;
  queue: JobQueue;
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

  await app.register(helmet, {
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
    // Counted in memory per client address; the address is neither stored nor logged.
    await app.register(rateLimit, {
      max: deps.config.rateLimit,
      timeWindow: '1 minute',
      allowList: (request) => request.url === '/healthz' || request.url === '/readyz',
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

  await app.register(systemRoutes(deps.database));
  await app.register(identityRoutes(deps.database));
  await app.register(
    authRoutes(deps.database, {
      session: deps.config.session,
      secureCookies: deps.config.baseUrl.startsWith('https://'),
      secrets: deps.secrets,
    }),
  );
  await app.register(jobsRoutes(deps.database, deps.queue));
  await app.register(privacyRoutes(deps.database));
  await app.register(auditRoutes(deps.database));
  await app.register(contactsRoutes(deps.database));
  return app;
}
