import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

export type Principal = { tenantId: string; userId: string; tokenId: string };

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** Reachable without credentials. Everything under /api/v1 is authenticated unless it says so. */
    public?: boolean;
  }
}

export type Authenticate = (bearerToken: string) => Promise<Principal | undefined>;

/**
 * Resolves `Authorization: Bearer <token>` once per request. Every /api/v1 route needs a principal
 * unless its config says `public: true`; a missing or bad token is a 401 that does not say which.
 */
export function registerAuth(app: FastifyInstance, authenticate: Authenticate): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      request.principal = await authenticate(header.slice('Bearer '.length).trim());
    }
    if (!request.url.startsWith('/api/v1/') || request.routeOptions.config.public) return;
    if (!request.principal) {
      throw new AppError('AUTH_REQUIRED', 'unauthorized', 'Sign in or send a valid API token.');
    }
  });
  app.addHook('onSend', async (_request, reply) => {
    if (reply.statusCode === 401) reply.header('WWW-Authenticate', 'Bearer realm="kontor"');
  });
}

/** The principal of an authenticated route (the hook above guarantees one). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal)
    throw new AppError('AUTH_REQUIRED', 'unauthorized', 'Sign in or send a valid API token.');
  return request.principal;
}
