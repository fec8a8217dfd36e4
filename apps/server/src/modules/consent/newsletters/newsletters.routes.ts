import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../../kernel/db/database.ts';
import { withPrincipal, withTenant } from '../../../kernel/db/tenancy.ts';
import { principalOf } from '../../../kernel/http/auth.ts';
import type { JobQueue } from '../../../kernel/jobs/queue.ts';
import { recordAccess } from '../../privacy/index.ts';
import {
  addSubscriptionBodySchema,
  addSubscriptionResultSchema,
  createNewsletterBodySchema,
  idParams,
  listNewslettersQuerySchema,
  listSubscriptionsQuerySchema,
  newsletterSchema,
  newslettersPageSchema,
  subscriptionsPageSchema,
  updateNewsletterBodySchema,
} from './newsletters.schema.ts';
import * as service from './newsletters.service.ts';

/**
 * Newsletters and their subscriptions (area marketing). Changes are audited (settings for a
 * newsletter; field names only for a subscription, which is personal data); a page of
 * subscriptions goes to the access log. Subscriptions are read and changed with the principal's
 * contact scope.
 */
export function newslettersAdminRoutes(deps: { database: Database; queue: JobQueue; baseUrl: string }) {
  const { database, baseUrl } = deps;
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['newsletters'];

    r.get(
      '/api/v1/newsletters',
      {
        config: { access: { area: 'marketing', action: 'read' } },
        schema: {
          tags,
          summary: 'Newsletters, newest first, with their subscriptions by status',
          querystring: listNewslettersQuerySchema,
          response: { 200: newslettersPageSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return withTenant(database.db, principal.tenantId, (tx) =>
          service.listNewsletters(tx, request.query, baseUrl),
        );
      },
    );

    r.post(
      '/api/v1/newsletters',
      {
        config: { access: { area: 'marketing', action: 'create' } },
        schema: {
          tags,
          summary: 'Create a newsletter (double opt-in and the welcome mail on unless switched off)',
          body: createNewsletterBodySchema,
          response: { 201: newsletterSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const created = await withTenant(database.db, principal.tenantId, (tx) =>
          service.createNewsletter(tx, principal, request.body, baseUrl),
        );
        return reply.status(201).send(created);
      },
    );

    r.get(
      '/api/v1/newsletters/:id',
      {
        config: { access: { area: 'marketing', action: 'read' } },
        schema: { tags, summary: 'One newsletter', params: idParams, response: { 200: newsletterSchema } },
      },
      async (request) => {
        const principal = principalOf(request);
        return withTenant(database.db, principal.tenantId, (tx) =>
          service.getNewsletter(tx, request.params.id, baseUrl),
        );
      },
    );

    r.patch(
      '/api/v1/newsletters/:id',
      {
        config: { access: { area: 'marketing', action: 'update' } },
        schema: {
          tags,
          summary: 'Change a newsletter (texts, switches, welcome mail) or archive it',
          params: idParams,
          body: updateNewsletterBodySchema,
          response: { 200: newsletterSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return withTenant(database.db, principal.tenantId, (tx) =>
          service.updateNewsletter(tx, principal, request.params.id, request.body, baseUrl),
        );
      },
    );

    r.delete(
      '/api/v1/newsletters/:id',
      {
        config: { access: { area: 'marketing', action: 'delete' } },
        schema: {
          tags,
          summary: 'Delete a newsletter nobody subscribed to; once used, it is archived instead',
          params: idParams,
          response: { 204: z.null().describe('Deleted or archived') },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        await withTenant(database.db, principal.tenantId, (tx) =>
          service.deleteNewsletter(tx, principal, request.params.id),
        );
        return reply.status(204).send(null);
      },
    );

    r.get(
      '/api/v1/newsletters/:id/subscriptions',
      {
        config: { access: { area: 'marketing', action: 'read' } },
        schema: {
          tags,
          summary: "A newsletter's subscriptions, newest first (?status=pending|subscribed|unsubscribed)",
          params: idParams,
          querystring: listSubscriptionsQuerySchema,
          response: { 200: subscriptionsPageSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return withPrincipal(database.db, principal, async (tx) => {
          const page = await service.listSubscriptions(tx, request.params.id, request.query);
          const ids = [...new Set(page.items.map((s) => s.contactId))];
          if (ids.length > 0) {
            await recordAccess(tx, {
              tenantId: principal.tenantId,
              userId: principal.userId,
              recordType: 'contact',
              recordIds: ids,
              purpose: 'GET /api/v1/newsletters/:id/subscriptions',
              kind: 'read',
            });
          }
          return page;
        });
      },
    );

    r.post(
      '/api/v1/subscriptions',
      {
        config: { access: { area: 'marketing', action: 'create' } },
        schema: {
          tags,
          summary:
            'Subscribe a contact: double opt-in starts (the confirmation mail goes out; status pending), or subscribed at once when the newsletter has double opt-in off',
          body: addSubscriptionBodySchema,
          response: { 201: addSubscriptionResultSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const result = await withPrincipal(database.db, principal, (tx) =>
          service.addSubscription(tx, principal, deps.queue, request.body, baseUrl),
        );
        return reply.status(201).send(result);
      },
    );

    r.delete(
      '/api/v1/subscriptions/:id',
      {
        config: { access: { area: 'marketing', action: 'delete' } },
        schema: {
          tags,
          summary: 'Unsubscribe (staff): the subscription ends at once; the history stays',
          params: idParams,
          response: { 204: z.null().describe('Unsubscribed (or it was already)') },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        await withPrincipal(database.db, principal, (tx) =>
          service.removeSubscription(tx, principal, deps.queue, request.params.id),
        );
        return reply.status(204).send(null);
      },
    );
  };
}
