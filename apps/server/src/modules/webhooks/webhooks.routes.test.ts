import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { bearer, type TestContext, testContext } from '../../../test/support/app.ts';
import { silentLogger } from '../../../test/support/logger.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import type { JobContext } from '../../kernel/jobs/jobs.ts';
import { emitWebhookEvent, pruneWebhookEventsJob, type WebhooksTables } from './index.ts';

// The real application with its job workers running, and real HTTP receivers on 127.0.0.1
// (private targets are allowed in tests, as KONTOR_WEBHOOKS_ALLOW_PRIVATE is outside production).
let ctx: TestContext;
before(async () => {
  ctx = await testContext({ work: true });
});
after(() => ctx.close());

type Json = Record<string, unknown>;
type Received = { headers: http.IncomingHttpHeaders; body: string };

/** A receiver that answers each request with the next status of `script` (the last one repeats). */
async function receiver(script: number[] = [200]) {
  const requests: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = script[Math.min(requests.length - 1, script.length - 1)] ?? 200;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(`answer ${status} from jane@example.com`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${port}/hooks`, requests };
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function call(token: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Json) {
  return ctx.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
}

async function newEndpoint(token: string, url: string, eventTypes: string[] = ['contact.created']) {
  const response = await call(token, 'POST', '/api/v1/webhooks', {
    url,
    eventTypes,
    description: 'CRM sync',
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json() as { id: string; secret: string; active: boolean };
}

async function emit(tenantId: string, type: 'contact.created' | 'form.submitted', key: string, data: Json) {
  await withTenant(ctx.database.db, tenantId, (tx) => emitWebhookEvent(tx, ctx.queue, { type, key, data }));
}

async function deliveries(token: string, endpointId: string) {
  const response = await call(token, 'GET', `/api/v1/webhooks/${endpointId}/deliveries`);
  assert.equal(response.statusCode, 200, response.body);
  return (response.json() as { items: Json[] }).items;
}

test('a delivery is signed per Standard Webhooks: Webhook.verify with the endpoint secret accepts it', async () => {
  const tenant = await ctx.newTenant();
  const hook = await receiver();
  const endpoint = await newEndpoint(tenant.apiToken, hook.url);
  assert.match(endpoint.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);

  await emit(tenant.tenantId, 'contact.created', 'contact.created:1', {
    contactId: 'c-1',
    firstName: 'Jane',
  });
  const [request] = await until('the delivery', () => (hook.requests.length > 0 ? hook.requests : undefined));
  assert.ok(request);
  const headers = request.headers as Record<string, string>;
  const verified = new Webhook(endpoint.secret).verify(request.body, headers) as Json;
  assert.equal(verified.type, 'contact.created');
  assert.deepEqual(verified.data, { contactId: 'c-1', firstName: 'Jane' });
  assert.equal(headers['content-type'], 'application/json');
  assert.match(headers['webhook-signature'] ?? '', /^v1,/);
  assert.throws(() =>
    new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(request.body, headers),
  );
  assert.throws(() => new Webhook(endpoint.secret).verify(`${request.body} `, headers));

  const [delivery] = await until('the delivery to succeed', async () => {
    const items = await deliveries(tenant.apiToken, endpoint.id);
    return items[0]?.status === 'succeeded' ? items : undefined;
  });
  assert.equal(delivery?.eventId, headers['webhook-id']);
  assert.equal(delivery?.attempts, 1);
  assert.equal(delivery?.lastStatusCode, 200);
  // Only a scrubbed snippet of the answer is kept.
  assert.equal(delivery?.lastResponseSnippet, 'answer 200 from [email]');
});

test('a receiver answering 500 then 200 gets the same webhook-id twice; the delivery ends succeeded after 2 attempts', async () => {
  const tenant = await ctx.newTenant();
  const hook = await receiver([500, 200]);
  const endpoint = await newEndpoint(tenant.apiToken, hook.url, ['form.submitted']);
  await emit(tenant.tenantId, 'form.submitted', 'submission:1', { formId: 'f-1' });

  const [delivery] = await until('the delivery to succeed', async () => {
    const items = await deliveries(tenant.apiToken, endpoint.id);
    return items[0]?.status === 'succeeded' ? items : undefined;
  });
  assert.equal(hook.requests.length, 2);
  const [first, second] = hook.requests as [Received, Received];
  assert.equal(first.headers['webhook-id'], second.headers['webhook-id']);
  assert.equal(first.body, second.body);
  assert.equal(delivery?.attempts, 2);
  assert.equal(delivery?.lastStatusCode, 200);
  const log = delivery?.attemptLog as { statusCode: number; error: string | null }[];
  assert.deepEqual(
    log.map((a) => [a.statusCode, a.error]),
    [
      [500, 'HTTP 500'],
      [200, null],
    ],
  );
  // Each attempt is verifiable on its own (fresh timestamp, same id).
  for (const r of hook.requests)
    new Webhook(endpoint.secret).verify(r.body, r.headers as Record<string, string>);
});

test('410 Gone switches the endpoint off, fails the delivery without retrying, and is audited', async () => {
  const tenant = await ctx.newTenant();
  const hook = await receiver([410]);
  const endpoint = await newEndpoint(tenant.apiToken, hook.url);
  await emit(tenant.tenantId, 'contact.created', 'contact.created:gone', { contactId: 'c-2' });

  const [delivery] = await until('the delivery to fail', async () => {
    const items = await deliveries(tenant.apiToken, endpoint.id);
    return items[0]?.status === 'failed' ? items : undefined;
  });
  assert.equal(delivery?.attempts, 1);
  assert.equal(delivery?.lastStatusCode, 410);
  assert.equal(delivery?.nextAttemptAt, null);
  const shown = (await call(tenant.apiToken, 'GET', `/api/v1/webhooks/${endpoint.id}`)).json() as Json;
  assert.equal(shown.active, false);
  assert.equal(shown.disabledReason, 'gone');

  // Nothing more goes to it; the test button and retry say why.
  await emit(tenant.tenantId, 'contact.created', 'contact.created:after-gone', { contactId: 'c-3' });
  assert.equal((await deliveries(tenant.apiToken, endpoint.id)).length, 1);
  assert.equal((await call(tenant.apiToken, 'POST', `/api/v1/webhooks/${endpoint.id}/test`)).statusCode, 409);
  assert.equal(
    (await call(tenant.apiToken, 'POST', `/api/v1/webhook-deliveries/${delivery?.id}/retry`)).statusCode,
    409,
  );
  assert.equal(hook.requests.length, 1);

  const audit = (await call(tenant.apiToken, 'GET', '/api/v1/audit-log')).json() as { items: Json[] };
  const actions = audit.items.map((e) => e.action);
  assert.ok(actions.includes('webhook_endpoint.created'));
  assert.ok(actions.includes('webhook_endpoint.disabled'));
  // Switching it on again clears the reason.
  const on = await call(tenant.apiToken, 'PATCH', `/api/v1/webhooks/${endpoint.id}`, { active: true });
  assert.equal(on.statusCode, 200, on.body);
  assert.equal((on.json() as Json).disabledReason, null);
});

test("another tenant's endpoint never receives an event, and its ids are 404 to others", async () => {
  const a = await ctx.newTenant();
  const b = await ctx.newTenant();
  const hookA = await receiver();
  const hookB = await receiver();
  const endpointA = await newEndpoint(a.apiToken, hookA.url);
  const endpointB = await newEndpoint(b.apiToken, hookB.url);

  await emit(a.tenantId, 'contact.created', 'contact.created:same-key', { contactId: 'a-1' });
  await until('A to receive', () => (hookA.requests.length > 0 ? true : undefined));
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(hookB.requests.length, 0);

  for (const [method, url] of [
    ['GET', `/api/v1/webhooks/${endpointA.id}`],
    ['PATCH', `/api/v1/webhooks/${endpointA.id}`],
    ['GET', `/api/v1/webhooks/${endpointA.id}/deliveries`],
    ['POST', `/api/v1/webhooks/${endpointA.id}/test`],
    ['POST', `/api/v1/webhooks/${endpointA.id}/rotate-secret`],
    ['DELETE', `/api/v1/webhooks/${endpointA.id}`],
  ] as const) {
    const response = await call(b.apiToken, method, url, method === 'PATCH' ? { active: false } : undefined);
    assert.equal(response.statusCode, 404, `${method} ${url}`);
  }
  const [deliveryA] = await deliveries(a.apiToken, endpointA.id);
  assert.equal(
    (await call(b.apiToken, 'POST', `/api/v1/webhook-deliveries/${deliveryA?.id}/retry`)).statusCode,
    404,
  );
  const listB = (await call(b.apiToken, 'GET', '/api/v1/webhooks')).json() as { items: Json[] };
  assert.deepEqual(
    listB.items.map((e) => e.id),
    [endpointB.id],
  );
});

test('the secret is stored sealed, never readable in the table; rotation shows a new one and signs with both for a day', async () => {
  const tenant = await ctx.newTenant();
  const hook = await receiver();
  const endpoint = await newEndpoint(tenant.apiToken, hook.url, ['contact.created', 'webhook.test']);
  const stored = await withTenant(ctx.database.db, tenant.tenantId, (tx) =>
    tx
      .$extendTables<WebhooksTables>()
      .selectFrom('webhookEndpoint')
      .select(['secret', 'previousSecret'])
      .where('id', '=', endpoint.id)
      .executeTakeFirstOrThrow(),
  );
  assert.match(stored.secret, /^kb1\./);
  const raw = endpoint.secret.slice('whsec_'.length);
  assert.ok(!stored.secret.includes(raw) && !stored.secret.includes(endpoint.secret));
  assert.ok(!Buffer.from(stored.secret).toString('base64').includes(raw));
  // Reads never show it again.
  const listed = (await call(tenant.apiToken, 'GET', '/api/v1/webhooks')).body;
  assert.ok(!listed.includes(raw) && !listed.includes('kb1.'));

  const rotated = await call(tenant.apiToken, 'POST', `/api/v1/webhooks/${endpoint.id}/rotate-secret`);
  assert.equal(rotated.statusCode, 200, rotated.body);
  const { secret: newSecret } = rotated.json() as { secret: string };
  assert.notEqual(newSecret, endpoint.secret);
  const sent = await call(tenant.apiToken, 'POST', `/api/v1/webhooks/${endpoint.id}/test`);
  assert.equal(sent.statusCode, 202, sent.body);
  const [request] = await until('the test event', () =>
    hook.requests.length > 0 ? hook.requests : undefined,
  );
  const headers = request?.headers as Record<string, string>;
  assert.equal(headers['webhook-signature']?.split(' ').length, 2);
  for (const secret of [newSecret, endpoint.secret]) {
    assert.equal((new Webhook(secret).verify(request?.body ?? '', headers) as Json).type, 'webhook.test');
  }
});

test('the test button delivers webhook.test; a failed delivery retried by hand goes out again with the same webhook-id', async () => {
  const tenant = await ctx.newTenant();
  // Answers 500, then 200: the retry by hand comes before the scheduled one (5 s later).
  const hook = await receiver([500, 200]);
  const endpoint = await newEndpoint(tenant.apiToken, hook.url);
  const sent = await call(tenant.apiToken, 'POST', `/api/v1/webhooks/${endpoint.id}/test`);
  assert.equal(sent.statusCode, 202, sent.body);
  const { deliveryId, eventId } = sent.json() as { deliveryId: string; eventId: string };
  await until('the first attempt', async () => {
    const items = await deliveries(tenant.apiToken, endpoint.id);
    return items[0]?.status === 'retrying' ? true : undefined;
  });
  const retried = await call(tenant.apiToken, 'POST', `/api/v1/webhook-deliveries/${deliveryId}/retry`);
  assert.equal(retried.statusCode, 202, retried.body);
  const [delivery] = await until('the retried delivery to succeed', async () => {
    const items = await deliveries(tenant.apiToken, endpoint.id);
    return items[0]?.status === 'succeeded' ? items : undefined;
  });
  assert.equal(delivery?.eventType, 'webhook.test');
  assert.equal(delivery?.attempts, 2);
  assert.deepEqual(
    hook.requests.map((r) => r.headers['webhook-id']),
    [eventId, eventId],
  );
  // The scheduled retry of the first attempt finds the attempt made, and sends nothing more.
  await new Promise((r) => setTimeout(r, 6000));
  assert.equal(hook.requests.length, 2);
});

test('the same emit key emits once; without a subscribed endpoint nothing is written', async () => {
  const tenant = await ctx.newTenant();
  const hook = await receiver();
  const endpoint = await newEndpoint(tenant.apiToken, hook.url, ['form.submitted']);
  await emit(tenant.tenantId, 'form.submitted', 'submission:twice', { n: 1 });
  await emit(tenant.tenantId, 'form.submitted', 'submission:twice', { n: 2 });
  await emit(tenant.tenantId, 'contact.created', 'contact.created:unsubscribed', { n: 3 });
  await until('the delivery', () => (hook.requests.length > 0 ? true : undefined));
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(hook.requests.length, 1);
  assert.equal((await deliveries(tenant.apiToken, endpoint.id)).length, 1);
  const events = await withTenant(ctx.database.db, tenant.tenantId, (tx) =>
    tx.$extendTables<WebhooksTables>().selectFrom('webhookEvent').select('type').execute(),
  );
  assert.deepEqual(
    events.map((e) => e.type),
    ['form.submitted'],
  );
});

test('endpoint URLs: https, http only on localhost, no credentials; bad input answers 400 naming the field', async () => {
  const tenant = await ctx.newTenant();
  for (const [url, ok] of [
    ['https://hooks.example.com/kontor', true],
    ['http://localhost:9999/hooks', true],
    ['http://hooks.example.com/kontor', false],
    ['ftp://hooks.example.com/kontor', false],
    ['https://user:pass@hooks.example.com/kontor', false],
    ['not a url at all', false],
  ] as const) {
    const response = await call(tenant.apiToken, 'POST', '/api/v1/webhooks', {
      url,
      eventTypes: ['contact.created'],
    });
    assert.equal(response.statusCode, ok ? 201 : 400, `${url}: ${response.body}`);
    if (!ok) assert.equal((response.json() as { errors: { path: string }[] }).errors[0]?.path, 'url');
  }
  const unknownType = await call(tenant.apiToken, 'POST', '/api/v1/webhooks', {
    url: 'https://hooks.example.com/x',
    eventTypes: ['contact.deleted'],
  });
  assert.equal(unknownType.statusCode, 400);
  const endpoint = await newEndpoint(tenant.apiToken, 'https://hooks.example.com/y');
  const changed = await call(tenant.apiToken, 'PATCH', `/api/v1/webhooks/${endpoint.id}`, {
    eventTypes: ['form.submitted', 'contact.updated'],
    description: '',
  });
  assert.equal(changed.statusCode, 200, changed.body);
  assert.deepEqual((changed.json() as Json).eventTypes, ['form.submitted', 'contact.updated']);
  assert.equal((changed.json() as Json).description, null);
  assert.equal((await call(tenant.apiToken, 'DELETE', `/api/v1/webhooks/${endpoint.id}`)).statusCode, 204);
  assert.equal((await call(tenant.apiToken, 'GET', `/api/v1/webhooks/${endpoint.id}`)).statusCode, 404);
});

test('events older than 30 days whose deliveries are done are deleted with their deliveries', async () => {
  const tenant = await ctx.newTenant();
  const hook = await receiver();
  const endpoint = await newEndpoint(tenant.apiToken, hook.url);
  await emit(tenant.tenantId, 'contact.created', 'contact.created:old', { contactId: 'c-old' });
  await until('the delivery to succeed', async () => {
    const items = await deliveries(tenant.apiToken, endpoint.id);
    return items[0]?.status === 'succeeded' ? true : undefined;
  });
  const DAY = 24 * 3600 * 1000;
  const pruneAt = async (days: number) => {
    const job = pruneWebhookEventsJob({
      db: ctx.database.db,
      logger: silentLogger(),
      now: () => new Date(Date.now() + days * DAY),
    });
    await job.handler(
      { id: 'prune', queue: job.name, data: {}, tenantId: null, idempotencyKey: 'prune', attempt: 0 },
      {} as JobContext,
    );
  };
  await pruneAt(29);
  assert.equal((await deliveries(tenant.apiToken, endpoint.id)).length, 1);
  await pruneAt(31);
  assert.equal((await deliveries(tenant.apiToken, endpoint.id)).length, 0);
});
