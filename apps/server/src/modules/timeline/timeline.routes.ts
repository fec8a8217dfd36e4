import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../kernel/db/database.ts';
import { type TenantTx, withPrincipal } from '../../kernel/db/tenancy.ts';
import { type Principal, principalOf } from '../../kernel/http/auth.ts';
import { presentFields } from '../privacy/index.ts';
import {
  ACTIVITY_FIELD_CATEGORIES,
  type Activity,
  activityPageSchema,
  activitySchema,
  createActivitySchema,
  idParams,
  listActivitiesQuerySchema,
  updateActivitySchema,
} from './timeline.schema.ts';
import * as timeline from './timeline.service.ts';

/** The route pattern (`GET /api/v1/contacts/{id}/activities`), never the URL with its query. */
function purposeOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url?.replace(/:(\w+)/g, '{$1}') ?? ''}`;
}

/** Subject and text are notes: the reader's field access shows, masks or hides them. */
const show = (principal: Principal) => (a: Activity) =>
  presentFields(a, ACTIVITY_FIELD_CATEGORIES, principal.fieldAccess);

export function timelineRoutes(database: Database) {
  // The principal's contact scope goes with the transaction: RLS limits activities to it.
  const inTenant = <T>(principal: Principal, work: (tx: TenantTx) => Promise<T>) =>
    withPrincipal(database.db, principal, work);

  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.get(
      '/api/v1/contacts/:id/activities',
      {
        config: { access: { area: 'contacts', action: 'read' } },
        schema: {
          tags: ['timeline'],
          summary:
            "A contact's timeline: notes, calls, meetings, emails, form submissions, consent; newest first",
          params: idParams,
          querystring: listActivitiesQuerySchema,
          response: { 200: activityPageSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const page = await inTenant(principal, (tx) =>
          timeline.listActivities(tx, principal, request.params.id, request.query, purposeOf(request)),
        );
        return { items: page.items.map(show(principal)), nextCursor: page.nextCursor };
      },
    );

    r.post(
      '/api/v1/contacts/:id/activities',
      {
        config: { access: { area: 'contacts', action: 'create' } },
        schema: {
          tags: ['timeline'],
          summary: 'Add a note, a logged call, meeting or email (not a sent one) to a contact',
          params: idParams,
          body: createActivitySchema,
          response: { 201: activitySchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const activity = await inTenant(principal, (tx) =>
          timeline.createActivity(tx, principal, request.params.id, request.body),
        );
        return reply.status(201).send(show(principal)(activity));
      },
    );

    r.patch(
      '/api/v1/activities/:id',
      {
        config: { access: { area: 'contacts', action: 'update' } },
        schema: {
          tags: ['timeline'],
          summary:
            'Change a note, call, meeting or logged email; entries of forms, consent, mail, system: 409',
          params: idParams,
          body: updateActivitySchema,
          response: { 200: activitySchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const activity = await inTenant(principal, (tx) =>
          timeline.updateActivity(tx, principal, request.params.id, request.body),
        );
        return show(principal)(activity);
      },
    );

    r.delete(
      '/api/v1/activities/:id',
      {
        config: { access: { area: 'contacts', action: 'delete' } },
        schema: {
          tags: ['timeline'],
          summary:
            'Delete a note, call, meeting or logged email; entries of forms, consent, mail, system: 409',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        await inTenant(principal, (tx) => timeline.deleteActivity(tx, principal, request.params.id));
        return reply.status(204).send(null);
      },
    );
  };
}
