import type { DeliveryStatus, WebhookEndpoint } from '../api/webhooks.ts';

const eventLabelKeys = {
  'form.submitted': 'webhooks.eventTypes.formSubmitted',
  'contact.created': 'webhooks.eventTypes.contactCreated',
  'contact.updated': 'webhooks.eventTypes.contactUpdated',
  'webhook.test': 'webhooks.eventTypes.webhookTest',
} as const;

/** The translation key of an event type's name (i18next keys cannot hold the type's dot). */
export function eventLabelKey(type: string) {
  return eventLabelKeys[type as keyof typeof eventLabelKeys] ?? ('webhooks.eventTypes.unknown' as const);
}

export const deliveryStatusColors: Record<DeliveryStatus, string> = {
  pending: 'gray',
  retrying: 'yellow',
  succeeded: 'green',
  failed: 'red',
};

/** active, off (switched off by a person) or gone (switched off after the receiver answered 410). */
export function endpointState(endpoint: WebhookEndpoint): 'active' | 'inactive' | 'gone' {
  if (endpoint.active) return 'active';
  return endpoint.disabledReason === 'gone' ? 'gone' : 'inactive';
}

export const endpointStateColors = { active: 'green', inactive: 'gray', gone: 'red' } as const;
