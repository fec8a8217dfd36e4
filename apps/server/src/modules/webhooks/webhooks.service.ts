import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { SecretBox } from '../../kernel/crypto/secret-box.ts';
import type { TenantTx } from '../../kernel/db/tenancy.ts';
import type { Principal } from '../../kernel/http/auth.ts';
import { decodeCursor, toPage } from '../../kernel/http/pagination.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import { auditBy } from '../audit/index.ts';
import { scheduleAttempt } from './webhooks.delivery.ts';
import { webhooksError } from './webhooks.errors.ts';
import * as repo from './webhooks.repository.ts';
import {
  type CreateEndpointInput,
  type DeliveryView,
  type EndpointView,
  type EndpointWithSecret,
  MAX_PAYLOAD_BYTES,
  storedAttemptLogSchema,
  type UpdateEndpointInput,
  type WebhookEventType,
} from './webhooks.schema.ts';
import type { DeliveryStatus } from './webhooks.tables.ts';
import { type TargetPolicy, urlProblem } from './webhooks.target.ts';

/**
 * Use cases of webhooks: endpoints (create, change, switch off, rotate the secret, delete),
 * emitting events, and looking at and retrying deliveries. Each runs in the caller's tenant
 * transaction; changes to endpoints are audited (kind `settings`; the URL only as its host,
 * since webhook URLs often carry a token in their path).
 */

export type WebhooksDeps = {
  queue: Pick<JobQueue, 'send'>;
  secrets: SecretBox;
  policy: TargetPolicy;
};

/** After a rotation the previous secret keeps signing (as a second signature) this long. */
export const PREVIOUS_SECRET_HOURS = 24;

export type WebhookEvent = {
  type: WebhookEventType;
  data: Record<string, unknown>;
  /** The same key emits once per tenant. */
  key: string;
};

/** `whsec_` + base64 of 32 random bytes, the Standard Webhooks secret format. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** What a sealed secret is bound to: a sealed value copied onto another endpoint does not open. */
export const secretContext = (endpointId: string) => `webhook_endpoint:${endpointId}`;

const iso = (value: Date | string | null): string | null =>
  value === null ? null : (value instanceof Date ? value : new Date(value)).toISOString();

function present(row: repo.EndpointRow): EndpointView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes,
    active: row.active,
    disabledReason: row.disabledReason,
    disabledAt: iso(row.disabledAt),
    secretRotatedAt: iso(row.secretRotatedAt),
    createdAt: iso(row.createdAt) as string,
    updatedAt: iso(row.updatedAt) as string,
  };
}

function presentDelivery(row: repo.DeliveryRow): DeliveryView {
  return {
    id: row.id,
    endpointId: row.endpointId,
    eventId: row.eventId,
    eventType: row.eventType,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: iso(row.nextAttemptAt),
    lastAttemptAt: iso(row.lastAttemptAt),
    lastStatusCode: row.lastStatusCode,
    lastDurationMs: row.lastDurationMs,
    lastError: row.lastError,
    lastResponseSnippet: row.lastResponseSnippet,
    attemptLog: storedAttemptLogSchema.parse(JSON.parse(row.attemptLog)),
    succeededAt: iso(row.succeededAt),
    createdAt: iso(row.createdAt) as string,
  };
}

/** What the audit log keeps of an endpoint: no secret, and of the URL only its host. */
function audited(view: EndpointView) {
  let host: string | null = null;
  try {
    host = new URL(view.url).host;
  } catch {
    host = null;
  }
  return { host, description: view.description, eventTypes: view.eventTypes, active: view.active };
}

function checkUrl(url: string, policy: TargetPolicy): void {
  const problem = urlProblem(url, policy);
  if (problem) {
    throw webhooksError('WEBHOOKS_URL_NOT_ALLOWED', `The endpoint URL ${problem}.`, [
      { path: 'url', message: problem },
    ]);
  }
}

export async function getEndpoint(tx: TenantTx, id: string): Promise<EndpointView> {
  const row = await repo.findEndpoint(tx, id);
  if (!row) throw webhooksError('WEBHOOKS_NOT_FOUND', 'There is no such webhook endpoint.');
  return present(row);
}

export async function listEndpoints(tx: TenantTx, query: { limit: number; cursor?: string | undefined }) {
  const rows = await repo.listEndpoints(tx, { limit: query.limit, after: decodeCursor(query.cursor) });
  return toPage(rows, query.limit, present);
}

export async function createEndpoint(
  tx: TenantTx,
  principal: Principal,
  input: CreateEndpointInput,
  deps: Pick<WebhooksDeps, 'secrets' | 'policy'>,
): Promise<EndpointWithSecret> {
  checkUrl(input.url, deps.policy);
  const id = randomUUID();
  const secret = newSecret();
  await repo.insertEndpoint(tx, {
    id,
    tenantId: principal.tenantId,
    url: input.url,
    description: input.description ?? null,
    eventTypes: input.eventTypes,
    secret: deps.secrets.seal(secret, secretContext(id)),
    active: input.active ?? true,
    createdBy: principal.userId,
  });
  const view = await getEndpoint(tx, id);
  await auditBy(tx, principal, 'webhook_endpoint.created', 'webhook_endpoint', id, {
    kind: 'settings',
    before: null,
    after: audited(view),
  });
  return { ...view, secret };
}

export async function updateEndpoint(
  tx: TenantTx,
  principal: Principal,
  id: string,
  input: UpdateEndpointInput,
  deps: Pick<WebhooksDeps, 'policy'>,
): Promise<EndpointView> {
  const before = await getEndpoint(tx, id);
  if (input.url !== undefined) checkUrl(input.url, deps.policy);
  const reactivated = input.active === true && !before.active;
  await repo.updateEndpoint(tx, id, {
    ...(input.url !== undefined ? { url: input.url } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.eventTypes !== undefined ? { eventTypes: input.eventTypes } : {}),
    ...(input.active !== undefined ? { active: input.active } : {}),
    ...(reactivated ? { disabledReason: null, disabledAt: null } : {}),
    ...(input.active === false && before.active ? { disabledAt: new Date() } : {}),
  });
  const after = await getEndpoint(tx, id);
  await auditBy(tx, principal, 'webhook_endpoint.updated', 'webhook_endpoint', id, {
    kind: 'settings',
    before: audited(before),
    after: audited(after),
  });
  return after;
}

export async function deleteEndpoint(tx: TenantTx, principal: Principal, id: string): Promise<void> {
  const before = await getEndpoint(tx, id);
  await repo.deleteEndpoint(tx, id);
  await auditBy(tx, principal, 'webhook_endpoint.deleted', 'webhook_endpoint', id, {
    kind: 'settings',
    before: audited(before),
    after: null,
  });
}

/**
 * A new secret, shown once. The old one keeps signing beside it (a second signature in
 * `webhook-signature`) for 24 hours, so the receiver can switch without losing deliveries.
 */
export async function rotateSecret(
  tx: TenantTx,
  principal: Principal,
  id: string,
  deps: Pick<WebhooksDeps, 'secrets'>,
): Promise<EndpointWithSecret> {
  const current = await repo.lockEndpointSecret(tx, id);
  if (current === undefined) throw webhooksError('WEBHOOKS_NOT_FOUND', 'There is no such webhook endpoint.');
  const secret = newSecret();
  const now = new Date();
  await repo.updateEndpoint(tx, id, {
    secret: deps.secrets.seal(secret, secretContext(id)),
    previousSecret: current,
    previousSecretExpiresAt: new Date(now.getTime() + PREVIOUS_SECRET_HOURS * 3600 * 1000),
    secretRotatedAt: now,
  });
  const view = await getEndpoint(tx, id);
  await auditBy(tx, principal, 'webhook_endpoint.secret-rotated', 'webhook_endpoint', id, {
    kind: 'settings',
    before: null,
    after: { secretRotatedAt: view.secretRotatedAt },
  });
  return { ...view, secret };
}

async function currentTenantId(tx: TenantTx): Promise<string> {
  const result = await sql<{ id: string | null }>`select kontor_current_tenant() as id`.execute(tx);
  const id = result.rows[0]?.id;
  if (!id) throw new Error('emitWebhookEvent needs a tenant transaction (withTenant)');
  return id;
}

/** Records the event (once per key) and one delivery per endpoint, each with its first attempt's job. */
async function emitTo(
  tx: TenantTx,
  queue: Pick<JobQueue, 'send'>,
  endpointIds: string[],
  event: WebhookEvent,
): Promise<{ eventId: string; deliveryIds: string[] } | undefined> {
  const tenantId = await currentTenantId(tx);
  const payload = JSON.stringify({ type: event.type, timestamp: new Date().toISOString(), data: event.data });
  if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
    throw new Error(`webhook event ${event.type} is larger than ${MAX_PAYLOAD_BYTES} bytes`);
  }
  const eventId = await repo.insertEvent(tx, { tenantId, key: event.key, type: event.type, payload });
  if (!eventId) return undefined;
  const now = new Date();
  const deliveryIds = await repo.insertDeliveries(
    tx,
    endpointIds.map((endpointId) => ({
      tenantId,
      endpointId,
      eventId,
      eventType: event.type,
      nextAttemptAt: now,
    })),
  );
  for (const deliveryId of deliveryIds)
    await scheduleAttempt(tx, queue, { tenantId, deliveryId, attempt: 0 });
  return { eventId, deliveryIds };
}

/**
 * Queues one delivery per active endpoint subscribed to `event.type`, inside the caller's tenant
 * transaction (the deliveries exist only if the caller's change commits). The same `key` emits
 * once per tenant. Without a subscribed endpoint nothing is written at all.
 */
export async function emitWebhookEvent(
  tx: TenantTx,
  queue: Pick<JobQueue, 'send'>,
  event: WebhookEvent,
): Promise<void> {
  const endpointIds = await repo.subscribedEndpointIds(tx, event.type);
  if (endpointIds.length === 0) return;
  await emitTo(tx, queue, endpointIds, event);
}

/** Sends a `webhook.test` event to one endpoint, whatever it subscribed to. */
export async function sendTestEvent(
  tx: TenantTx,
  principal: Principal,
  id: string,
  deps: Pick<WebhooksDeps, 'queue'>,
): Promise<{ eventId: string; deliveryId: string }> {
  const endpoint = await getEndpoint(tx, id);
  if (!endpoint.active) {
    throw webhooksError(
      'WEBHOOKS_ENDPOINT_INACTIVE',
      'The endpoint is switched off; switch it on to send to it.',
    );
  }
  const testId = randomUUID();
  const sent = await emitTo(tx, deps.queue, [id], {
    type: 'webhook.test',
    key: `webhook.test:${testId}`,
    data: { endpointId: id, testId, requestedBy: principal.userId, message: 'A test event from Kontor.' },
  });
  if (!sent?.deliveryIds[0]) throw new Error('the test event was not recorded');
  return { eventId: sent.eventId, deliveryId: sent.deliveryIds[0] };
}

export async function listDeliveries(
  tx: TenantTx,
  endpointId: string,
  query: { limit: number; cursor?: string | undefined; status?: DeliveryStatus | undefined },
) {
  await getEndpoint(tx, endpointId);
  const rows = await repo.listDeliveries(
    tx,
    endpointId,
    { status: query.status },
    { limit: query.limit, after: decodeCursor(query.cursor) },
  );
  return toPage(rows, query.limit, presentDelivery);
}

export async function getDelivery(tx: TenantTx, id: string): Promise<DeliveryView> {
  const row = await repo.findDelivery(tx, id);
  if (!row) throw webhooksError('WEBHOOKS_DELIVERY_NOT_FOUND', 'There is no such webhook delivery.');
  return presentDelivery(row);
}

/**
 * One more attempt now, with the same `webhook-id`: for a failed delivery, one still retrying
 * (its next attempt moves to now) or a succeeded one (sent again). A failed delivery that fails
 * again stays failed; one that was retrying continues its schedule.
 */
export async function retryDelivery(
  tx: TenantTx,
  principal: Principal,
  id: string,
  deps: Pick<WebhooksDeps, 'queue'>,
): Promise<DeliveryView> {
  const row = await repo.findDelivery(tx, id);
  if (!row) throw webhooksError('WEBHOOKS_DELIVERY_NOT_FOUND', 'There is no such webhook delivery.');
  const inFlight = row.claimedUntil !== null && new Date(row.claimedUntil).getTime() > Date.now();
  if (row.status === 'pending' || inFlight) {
    throw webhooksError(
      'WEBHOOKS_DELIVERY_IN_FLIGHT',
      'An attempt of this delivery is on its way; wait for it.',
    );
  }
  const endpoint = await getEndpoint(tx, row.endpointId);
  if (!endpoint.active) {
    throw webhooksError(
      'WEBHOOKS_ENDPOINT_INACTIVE',
      'The endpoint is switched off; switch it on to send to it.',
    );
  }
  const now = new Date();
  await repo.requeueDelivery(tx, id, now);
  await scheduleAttempt(tx, deps.queue, {
    tenantId: principal.tenantId,
    deliveryId: id,
    attempt: row.attempts,
  });
  return getDelivery(tx, id);
}
