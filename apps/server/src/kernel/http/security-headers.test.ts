import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { helmetHeaders, registerSecurityHeaders } from './security-headers.ts';

const OPTIONS = {
  contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"] } },
  hsts: false,
};

test("every answer carries helmet's headers, and a route's own header wins", async () => {
  const app = Fastify();
  registerSecurityHeaders(app, OPTIONS);
  app.get('/plain', async () => ({ ok: true }));
  app.get('/own', async (_request, reply) => {
    reply.header('Content-Security-Policy', "default-src 'none'");
    return { ok: true };
  });
  for (const url of ['/plain', '/plain']) {
    const res = await app.inject({ method: 'GET', url });
    assert.match(
      String(res.headers['content-security-policy']),
      /default-src 'self';.*frame-ancestors 'none'/,
    );
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
    assert.equal(res.headers['strict-transport-security'], undefined);
  }
  const own = await app.inject({ method: 'GET', url: '/own' });
  assert.equal(own.headers['content-security-policy'], "default-src 'none'");
  assert.equal(own.headers['referrer-policy'], 'no-referrer');
  await app.close();
});

test('a CSP directive that is a function (a nonce per answer) is refused, as it would be computed once', () => {
  assert.throws(
    () =>
      helmetHeaders({
        contentSecurityPolicy: { directives: { scriptSrc: ["'self'", () => "'nonce-x'"] } },
      }),
    /function/,
  );
});
