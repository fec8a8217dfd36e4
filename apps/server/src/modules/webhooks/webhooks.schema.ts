import { z } from 'zod';
import { listQuerySchema } from '../../kernel/http/pagination.ts';
import type { DeliveryStatus } from './webhooks.tables.ts';

/** The events other modules emit (emitWebhookEvent), and the test event of the settings page. */
export const WEBHOOK_EVENT_TYPES = [
  'form.submitted',
  'contact.created',
  'contact.updated',
  'consent.changed',
  'subscription.changed',
  'webhook.test',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const DELIVERY_STATUSES = [
  'pending',
  'succeeded',
  'failed',
  'retrying',
] as const satisfies readonly DeliveryStatus[];

/**
 * Waits before each retry: after the 1st attempt 5 s, then 5 min, 30 min, 2 h, 5 h, 10 h and
 * 10 h — 8 attempts over about 28 hours (the schedule Standard Webhooks senders commonly use).
 */
export const RETRY_DELAYS_SECONDS = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;
/** The largest event payload (JSON) an emit accepts. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

const eventTypesSchema = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1, 'must name at least one event type')
  .max(WEBHOOK_EVENT_TYPES.length)
  .refine((types) => new Set(types).size === types.length, 'must not name an event type twice')
  .describe(`The events sent to the endpoint: ${WEBHOOK_EVENT_TYPES.join(', ')}.`);

const urlSchema = z
  .string()
  .trim()
  .min(10, 'must be an absolute URL such as https://example.com/hooks/kontor')
  .max(2000, 'must be at most 2000 characters')
  .describe(
    'https://…; http:// only for localhost/127.0.0.1/[::1] where private targets are allowed (KONTOR_WEBHOOKS_ALLOW_PRIVATE).',
  );

const descriptionSchema = z
  .string()
  .trim()
  .max(500, 'must be at most 500 characters')
  .transform((v) => (v === '' ? null : v))
  .nullable();

export const createEndpointSchema = z
  .object({
    url: urlSchema,
    description: descriptionSchema.optional(),
    eventTypes: eventTypesSchema,
    active: z.boolean().optional().describe('Default true.'),
  })
  .strict();
export type CreateEndpointInput = z.output<typeof createEndpointSchema>;

export const updateEndpointSchema = z
  .object({
    url: urlSchema.optional(),
    description: descriptionSchema.optional(),
    eventTypes: eventTypesSchema.optional(),
    active: z.boolean().optional().describe('Switching an endpoint on again clears why it was switched off.'),
  })
  .strict();
export type UpdateEndpointInput = z.output<typeof updateEndpointSchema>;

export const endpointSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string().nullable(),
  eventTypes: z.array(z.string()),
  active: z.boolean(),
  disabledReason: z
    .enum(['gone'])
    .nullable()
    .describe('Why Kontor switched the endpoint off: gone = the receiver answered 410 Gone.'),
  disabledAt: z.iso.datetime().nullable(),
  secretRotatedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type EndpointView = z.infer<typeof endpointSchema>;

export const endpointWithSecretSchema = endpointSchema.extend({
  secret: z
    .string()
    .describe('The signing secret (whsec_…): shown only now. Verify deliveries with it (Standard Webhooks).'),
});
export type EndpointWithSecret = z.infer<typeof endpointWithSecretSchema>;

export const endpointsPageSchema = z.object({
  items: z.array(endpointSchema),
  nextCursor: z.string().nullable(),
});

export const attemptSchema = z.object({
  at: z.iso.datetime(),
  statusCode: z.number().int().nullable(),
  durationMs: z.number().int(),
  error: z.string().nullable(),
});
export type Attempt = z.infer<typeof attemptSchema>;

export const deliverySchema = z.object({
  id: z.uuid(),
  endpointId: z.uuid(),
  eventId: z.uuid().describe('Sent as the webhook-id header, the same on every attempt.'),
  eventType: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.iso.datetime().nullable(),
  lastAttemptAt: z.iso.datetime().nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastDurationMs: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastResponseSnippet: z.string().nullable().describe('At most 200 characters of the answer, scrubbed.'),
  attemptLog: z.array(attemptSchema),
  succeededAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type DeliveryView = z.infer<typeof deliverySchema>;

export const deliveriesPageSchema = z.object({
  items: z.array(deliverySchema),
  nextCursor: z.string().nullable(),
});

export const listDeliveriesQuerySchema = listQuerySchema.extend({
  status: z.enum(DELIVERY_STATUSES).optional(),
});

export const idParams = z.object({ id: z.uuid() });

export const testSentSchema = z.object({ eventId: z.uuid(), deliveryId: z.uuid() });

/** The stored attempt log (jsonb), parsed at the edge. */
export const storedAttemptLogSchema = z.array(attemptSchema);
