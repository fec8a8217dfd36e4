import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { SecretBox } from '../../kernel/crypto/secret-box.ts';
import type { Database } from '../../kernel/db/database.ts';
import { type TenantTx, withTenant } from '../../kernel/db/tenancy.ts';
import { principalOf } from '../../kernel/http/auth.ts';
import { listQuerySchema } from '../../kernel/http/pagination.ts';
import type { JobQueue } from '../../kernel/jobs/queue.ts';
import {
  createEndpointSchema,
  deliveriesPageSchema,
  deliverySchema,
  endpointSchema,
  endpointsPageSchema,
  endpointWithSecretSchema,
  idParams,
  listDeliveriesQuerySchema,
  testSentSchema,
  updateEndpointSchema,
} from './webhooks.schema.ts';
import * as service from './webhooks.service.ts';
import type { TargetPolicy } from './webhooks.target.ts';

export type WebhooksRoutesDeps = {
  database: Database;
  queue: JobQueue;
  secrets: SecretBox;
  policy: TargetPolicy;
};

const TAGS = ['webhooks'];

/** Webhook endpoints and their deliveries (area `settings`); every change is audited. */
export function webhooksRoutes(deps: WebhooksRoutesDeps) {
  const { database } = deps;
  const inTenant = <T>(tenantId: string, work: (tx: TenantTx) => Promise<T>) =>
    withTenant(database.db, tenantId, work);
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.get(
      '/api/v1/webhooks',
      {
        config: { access: { area: 'settings', action: 'read' } },
        schema: {
          tags: TAGS,
          summary: 'The webhook endpoints, newest first (secrets are never shown again)',
          querystring: listQuerySchema,
          response: { 200: endpointsPageSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return inTenant(principal.tenantId, (tx) => service.listEndpoints(tx, request.query));
      },
    );

    r.post(
      '/api/v1/webhooks',
      {
        config: { access: { area: 'settings', action: 'create' } },
        schema: {
          tags: TAGS,
          summary: 'Add an endpoint: the answer holds its signing secret (whsec_…), shown only this once',
          body: createEndpointSchema,
          response: { 201: endpointWithSecretSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const created = await inTenant(principal.tenantId, (tx) =>
          service.createEndpoint(tx, principal, request.body, deps),
        );
        return reply.status(201).header('cache-control', 'no-store').send(created);
      },
    );

    r.get(
      '/api/v1/webhooks/:id',
      {
        config: { access: { area: 'settings', action: 'read' } },
        schema: { tags: TAGS, summary: 'One endpoint', params: idParams, response: { 200: endpointSchema } },
      },
      async (request) => {
        const principal = principalOf(request);
        return inTenant(principal.tenantId, (tx) => service.getEndpoint(tx, request.params.id));
      },
    );

    r.patch(
      '/api/v1/webhooks/:id',
      {
        config: { access: { area: 'settings', action: 'update' } },
        schema: {
          tags: TAGS,
          summary: 'Change an endpoint: URL, description, event types, switched on or off',
          params: idParams,
          body: updateEndpointSchema,
          response: { 200: endpointSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return inTenant(principal.tenantId, (tx) =>
          service.updateEndpoint(tx, principal, request.params.id, request.body, deps),
        );
      },
    );

    r.delete(
      '/api/v1/webhooks/:id',
      {
        config: { access: { area: 'settings', action: 'delete' } },
        schema: { tags: TAGS, summary: 'Delete an endpoint and its deliveries', params: idParams },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        await inTenant(principal.tenantId, (tx) => service.deleteEndpoint(tx, principal, request.params.id));
        return reply.status(204).send();
      },
    );

    r.post(
      '/api/v1/webhooks/:id/rotate-secret',
      {
        config: { access: { area: 'settings', action: 'update' } },
        schema: {
          tags: TAGS,
          summary:
            'A new signing secret, shown only this once; the old one keeps signing beside it for 24 hours',
          params: idParams,
          response: { 200: endpointWithSecretSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const rotated = await inTenant(principal.tenantId, (tx) =>
          service.rotateSecret(tx, principal, request.params.id, deps),
        );
        return reply.header('cache-control', 'no-store').send(rotated);
      },
    );

    r.post(
      '/api/v1/webhooks/:id/test',
      {
        config: { access: { area: 'settings', action: 'update' } },
        schema: {
          tags: TAGS,
          summary: 'Send a webhook.test event to this endpoint now (whatever it subscribed to)',
          params: idParams,
          response: { 202: testSentSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const sent = await inTenant(principal.tenantId, (tx) =>
          service.sendTestEvent(tx, principal, request.params.id, deps),
        );
        return reply.status(202).send(sent);
      },
    );

    r.get(
      '/api/v1/webhooks/:id/deliveries',
      {
        config: { access: { area: 'settings', action: 'read' } },
        schema: {
          tags: TAGS,
          summary:
            'An endpoint’s deliveries, newest first: status, attempts, last answer (never the payload)',
          params: idParams,
          querystring: listDeliveriesQuerySchema,
          response: { 200: deliveriesPageSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return inTenant(principal.tenantId, (tx) =>
          service.listDeliveries(tx, request.params.id, request.query),
        );
      },
    );

    r.post(
      '/api/v1/webhook-deliveries/:id/retry',
      {
        config: { access: { area: 'settings', action: 'update' } },
        schema: {
          tags: TAGS,
          summary: 'Attempt a delivery again now, with the same webhook-id',
          params: idParams,
          response: { 202: deliverySchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const delivery = await inTenant(principal.tenantId, (tx) =>
          service.retryDelivery(tx, principal, request.params.id, deps),
        );
        return reply.status(202).send(delivery);
      },
    );
  };
}
