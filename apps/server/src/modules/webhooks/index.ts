/** Webhooks: signed outgoing events (Standard Webhooks) to the tenant's endpoints, with retries. */
export { deliverJobSpec } from './webhooks.delivery.ts';
export {
  deliverOnce,
  deliverWebhookJob,
  EVENT_RETENTION_DAYS,
  pruneWebhookEventsJob,
  type WebhookJobDeps,
  webhooksJobs,
} from './webhooks.jobs.ts';
export { type WebhooksRoutesDeps, webhooksRoutes } from './webhooks.routes.ts';
export {
  type DeliveryView,
  type EndpointView,
  MAX_ATTEMPTS,
  RETRY_DELAYS_SECONDS,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
} from './webhooks.schema.ts';
export { emitWebhookEvent, type WebhookEvent } from './webhooks.service.ts';
export type {
  DeliveryStatus,
  WebhookDeliveryTable,
  WebhookEndpointTable,
  WebhookEventTable,
  WebhooksTables,
} from './webhooks.tables.ts';
export { isReservedAddress, type TargetPolicy, urlProblem } from './webhooks.target.ts';
