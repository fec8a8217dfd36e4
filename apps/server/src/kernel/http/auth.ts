import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { type Access, type FieldAccess, type Right, rightOf } from './access.ts';

/** Who a request acts for, and what they may do. */
export type Principal = {
  tenantId: string;
  userId: string;
  via: { kind: 'api_token'; id: string } | { kind: 'session'; id: string; csrfHash: string };
  rights: ReadonlySet<Right>;
  /** What the principal sees of each category of personal data (union over their roles). */
  fieldAccess: FieldAccess;
  /** Tag names the user's contacts are limited to; null: every contact of the tenant. */
  contactScope: readonly string[] | null;
};

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** Required on every /api/v1 route: the right it needs, or 'authenticated' / 'public'. */
    access?: Access;
  }
  interface FastifyInstance {
    /** Every /api/v1 route and the access it declared (the route × role test walks this). */
    routeAccess: { method: string; url: string; access: Access }[];
  }
}

export type Authenticate = (request: FastifyRequest) => Promise<Principal | undefined>;

const API = /^\/api\/v1(\/|$)/;

/**
 * The one enforcement point of rights. A route under /api/v1 that does not declare its access
 * cannot be registered (the app fails to start). Per request: credentials are resolved once,
 * then the route's access is checked before the body is even validated.
 * Missing or bad credentials: 401, the same answer whatever was wrong. A missing right: 403.
 */
export function registerAuth(app: FastifyInstance, authenticate: Authenticate): void {
  app.decorateRequest('principal', undefined);
  app.decorate('routeAccess', []);
  app.addHook('onRoute', (route) => {
    if (!API.test(route.url)) return;
    const access = route.config?.access;
    if (!access) {
      throw new Error(
        `route ${String(route.method)} ${route.url} must declare config.access (a right, 'authenticated' or 'public')`,
      );
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') app.routeAccess.push({ method, url: route.url, access });
    }
  });
  app.addHook('onRequest', async (request) => {
    // Only the API resolves credentials: web assets, health checks and the docs carry the session
    // cookie too, and must not cost a session look-up (and its last_seen write) each.
    if (!API.test(request.url)) return;
    request.principal = await authenticate(request);
    const access = request.routeOptions.config.access;
    if (access === undefined || access === 'public') return;
    if (!request.principal)
      throw new AppError('AUTH_REQUIRED', 'unauthorized', 'Sign in or send a valid API token.');
    checkCsrf(request, request.principal);
    if (access === 'authenticated') return;
    if (!request.principal.rights.has(rightOf(access.area, access.action))) {
      throw new AppError(
        'FORBIDDEN',
        'forbidden',
        `This needs the right ${access.area}:${access.action}, which your roles do not give.`,
      );
    }
  });
  app.addHook('onSend', async (_request, reply) => {
    if (reply.statusCode === 401) reply.header('WWW-Authenticate', 'Bearer realm="kontor"');
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookie-authenticated writes must carry the session's CSRF token in `X-CSRF-Token` (the web
 * app reads it from the `kontor_csrf` cookie). Bearer tokens are not sent by browsers on their
 * own, so they need no such check.
 */
function checkCsrf(request: FastifyRequest, principal: Principal): void {
  if (principal.via.kind !== 'session' || SAFE_METHODS.has(request.method)) return;
  const sent = request.headers['x-csrf-token'];
  const hash =
    typeof sent === 'string' && sent.length > 0 ? createHash('sha256').update(sent).digest('hex') : '';
  const expected = Buffer.from(principal.via.csrfHash);
  if (hash.length !== expected.length || !timingSafeEqual(Buffer.from(hash), expected)) {
    throw new AppError(
      'CSRF_TOKEN_INVALID',
      'forbidden',
      'This request needs the X-CSRF-Token header of your session.',
    );
  }
}

/** The principal of an authenticated route (the hook above guarantees one). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal)
    throw new AppError('AUTH_REQUIRED', 'unauthorized', 'Sign in or send a valid API token.');
  return request.principal;
}
