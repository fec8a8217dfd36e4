import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

type Header = [name: string, value: string | number | readonly string[]];

/**
 * Helmet's security headers (CSP, frame, referrer, MIME sniffing, …) on every answer. They are
 * computed once: with no directive that is a function (a nonce), helmet sets the same headers on
 * every answer, and @fastify/helmet 13 built the whole middleware again for every request (5 % of
 * the main thread on the public form POST; still 3 % when built once, for the CSP text). A route
 * that sets one of these headers itself overrides it (its value is written last).
 */
export function registerSecurityHeaders(app: FastifyInstance, options: HelmetOptions): void {
  const headers = helmetHeaders(options);
  app.addHook('onRequest', (_request, reply, done) => {
    const raw = reply.raw;
    for (const [name, value] of headers) raw.setHeader(name, value);
    done();
  });
}

/** The headers helmet sets for `options`, recorded from one run of its middleware. */
export function helmetHeaders(options: HelmetOptions): Header[] {
  const csp = options.contentSecurityPolicy;
  const directives = csp && typeof csp === 'object' ? Object.values(csp.directives ?? {}) : [];
  if (directives.flat().some((value) => typeof value === 'function')) {
    throw new Error('security headers: a CSP directive that is a function would be computed only once');
  }
  const headers: Header[] = [];
  const response = {
    setHeader(name: string, value: Header[1]) {
      headers.push([name, value]);
      return response;
    },
    removeHeader() {},
  };
  let failed: unknown;
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    failed = error;
  });
  if (failed) throw failed;
  return headers;
}
