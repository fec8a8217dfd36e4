import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { ignoreBody, pageSchema, parseWith, queryString } from '../../../api/schemas.ts';

/** The events an endpoint can subscribe to (the server's WEBHOOK_EVENT_TYPES). */
export const webhookEventTypes = [
  'form.submitted',
  'contact.created',
  'contact.updated',
  'webhook.test',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export const deliveryStatuses = ['pending', 'retrying', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

const endpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  eventTypes: z.array(z.string()),
  active: z.boolean(),
  disabledReason: z.string().nullable(),
  disabledAt: z.string().nullable(),
  secretRotatedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type WebhookEndpoint = z.infer<typeof endpointSchema>;

const endpointWithSecretSchema = endpointSchema.extend({ secret: z.string() });
export type WebhookEndpointWithSecret = z.infer<typeof endpointWithSecretSchema>;

const attemptSchema = z.object({
  at: z.string(),
  statusCode: z.number().nullable(),
  durationMs: z.number(),
  error: z.string().nullable(),
});

const deliverySchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  status: z.enum(deliveryStatuses),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  lastStatusCode: z.number().nullable(),
  lastDurationMs: z.number().nullable(),
  lastError: z.string().nullable(),
  lastResponseSnippet: z.string().nullable(),
  attemptLog: z.array(attemptSchema),
  succeededAt: z.string().nullable(),
  createdAt: z.string(),
});
export type WebhookDelivery = z.infer<typeof deliverySchema>;

const endpointsPageSchema = pageSchema(endpointSchema);
const deliveriesPageSchema = pageSchema(deliverySchema);

const base = '/api/v1/webhooks';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

export function listEndpoints(params: { limit?: number; cursor?: string | undefined }, signal?: AbortSignal) {
  return apiFetch(`${base}${queryString(params)}`, parseWith(endpointsPageSchema), { signal });
}

export function getEndpoint(id: string, signal?: AbortSignal): Promise<WebhookEndpoint> {
  return apiFetch(one(id), parseWith(endpointSchema), { signal });
}

export type NewEndpoint = { url: string; description?: string | null; eventTypes: string[] };

export function createEndpoint(input: NewEndpoint): Promise<WebhookEndpointWithSecret> {
  return apiFetch(base, parseWith(endpointWithSecretSchema), { method: 'POST', json: input });
}

export type EndpointChanges = Partial<NewEndpoint & { active: boolean }>;

export function updateEndpoint(id: string, changes: EndpointChanges): Promise<WebhookEndpoint> {
  return apiFetch(one(id), parseWith(endpointSchema), { method: 'PATCH', json: changes });
}

export function deleteEndpoint(id: string): Promise<void> {
  return apiFetch(one(id), ignoreBody, { method: 'DELETE' });
}

export function rotateSecret(id: string): Promise<WebhookEndpointWithSecret> {
  return apiFetch(`${one(id)}/rotate-secret`, parseWith(endpointWithSecretSchema), { method: 'POST' });
}

export function sendTest(id: string): Promise<{ eventId: string; deliveryId: string }> {
  return apiFetch(`${one(id)}/test`, parseWith(z.object({ eventId: z.string(), deliveryId: z.string() })), {
    method: 'POST',
  });
}

export function listDeliveries(
  id: string,
  params: { limit?: number; cursor?: string | undefined; status?: DeliveryStatus | undefined },
  signal?: AbortSignal,
) {
  return apiFetch(`${one(id)}/deliveries${queryString(params)}`, parseWith(deliveriesPageSchema), { signal });
}

export function retryDelivery(id: string): Promise<WebhookDelivery> {
  return apiFetch(`/api/v1/webhook-deliveries/${encodeURIComponent(id)}/retry`, parseWith(deliverySchema), {
    method: 'POST',
  });
}
