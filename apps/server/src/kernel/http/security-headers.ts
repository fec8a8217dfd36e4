import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's security headers (CSP, frame, referrer, MIME sniffing, …) on every answer. The
 * middleware is built once: @fastify/helmet 13 builds it again for every request, parsing the
 * CSP directives each time, which cost about 5 % of the main thread on the public form POST.
 * A route that sets one of these headers itself overrides it (its value is written last).
 */
export function registerSecurityHeaders(app: FastifyInstance, options: HelmetOptions): void {
  const apply = helmet(options);
  app.addHook('onRequest', (request, reply, done) => {
    apply(request.raw, reply.raw, (error?: unknown) => done(error instanceof Error ? error : undefined));
  });
}
