import { defineErrors } from '../../kernel/errors.ts';

export const webhooksError = defineErrors({
  /** No such endpoint in the tenant (another tenant's ids alike). */
  WEBHOOKS_NOT_FOUND: 'not_found',
  /** No such delivery in the tenant. */
  WEBHOOKS_DELIVERY_NOT_FOUND: 'not_found',
  /** The URL is not one Kontor calls (scheme, credentials, a private address). */
  WEBHOOKS_URL_NOT_ALLOWED: 'bad_request',
  /** The endpoint is switched off: switch it on before sending to it. */
  WEBHOOKS_ENDPOINT_INACTIVE: 'conflict',
  /** The delivery's first attempt has not run yet, or an attempt is running. */
  WEBHOOKS_DELIVERY_IN_FLIGHT: 'conflict',
});
