import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../../kernel/db/database.ts';
import { type TenantTx, withPrincipal } from '../../../kernel/db/tenancy.ts';
import { type Principal, principalOf } from '../../../kernel/http/auth.ts';
import { listQuerySchema } from '../../../kernel/http/pagination.ts';
import { presentFields } from '../../privacy/index.ts';
import { CONTACT_FIELD_CATEGORIES, type Contact, contactSchema, pageOf } from '../contacts.schema.ts';
import {
  countBodySchema,
  countSchema,
  createSelectionSchema,
  listSelectionsQuerySchema,
  queryBodySchema,
  selectionIdParams,
  selectionSchema,
  updateSelectionSchema,
} from './selections.schema.ts';
import * as selections from './selections.service.ts';

/** The route pattern, never the URL (see contacts.routes.ts): what a read is logged for. */
function purposeOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url?.replace(/:(\w+)/g, '{$1}') ?? ''}`;
}

/** Every contact leaves through the reader's field access, as in the contacts list. */
const showContact = (principal: Principal) => (c: Contact) =>
  presentFields(c, CONTACT_FIELD_CATEGORIES, principal.fieldAccess);

const TAGS = ['selections'];

export function selectionsRoutes(database: Database) {
  // The principal's contact scope goes with the transaction: counts and pages stay inside it.
  const inTenant = <T>(principal: Principal, work: (tx: TenantTx) => Promise<T>) =>
    withPrincipal(database.db, principal, work);

  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.post(
      '/api/v1/selections/count',
      {
        config: { access: { area: 'contacts', action: 'read' } },
        schema: {
          tags: TAGS,
          summary:
            'How many contacts a filter matches (the live count while a filter is edited); purpose marketing applies the marketing suppressions',
          body: countBodySchema,
          response: { 200: countSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { filter, purpose } = request.body;
        const count = await inTenant(principal, (tx) =>
          selections.countContacts(tx, principal, filter, { purpose }),
        );
        return { count };
      },
    );

    r.post(
      '/api/v1/contacts/query',
      {
        config: { access: { area: 'contacts', action: 'read' } },
        schema: {
          tags: ['contacts', ...TAGS],
          summary:
            'The contacts a filter matches, newest first, a page at a time; purpose marketing applies the marketing suppressions',
          body: queryBodySchema,
          response: { 200: pageOf(contactSchema) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { filter, limit, cursor, purpose } = request.body;
        const page = await inTenant(principal, (tx) =>
          selections.queryContacts(tx, principal, filter, { limit, cursor }, purposeOf(request), { purpose }),
        );
        return { items: page.items.map(showContact(principal)), nextCursor: page.nextCursor };
      },
    );

    r.get(
      '/api/v1/selections',
      {
        config: { access: { area: 'contacts', action: 'read' } },
        schema: {
          tags: TAGS,
          summary: 'Saved selections by name',
          querystring: listSelectionsQuerySchema,
          response: { 200: pageOf(selectionSchema) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return inTenant(principal, (tx) => selections.listSelections(tx, principal, request.query));
      },
    );

    r.post(
      '/api/v1/selections',
      {
        config: { access: { area: 'contacts', action: 'create' } },
        schema: {
          tags: TAGS,
          summary: 'Save a filter as a named selection',
          body: createSelectionSchema,
          response: { 201: selectionSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const created = await inTenant(principal, (tx) =>
          selections.createSelection(tx, principal, request.body),
        );
        return reply.status(201).send(created);
      },
    );

    r.get(
      '/api/v1/selections/:id',
      {
        config: { access: { area: 'contacts', action: 'read' } },
        schema: {
          tags: TAGS,
          summary: 'One saved selection',
          params: selectionIdParams,
          response: { 200: selectionSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return inTenant(principal, (tx) => selections.readSelection(tx, principal, request.params.id));
      },
    );

    r.patch(
      '/api/v1/selections/:id',
      {
        config: { access: { area: 'contacts', action: 'update' } },
        schema: {
          tags: TAGS,
          summary: 'Rename a selection, change its description or its filter',
          params: selectionIdParams,
          body: updateSelectionSchema,
          response: { 200: selectionSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return inTenant(principal, (tx) =>
          selections.updateSelection(tx, principal, request.params.id, request.body),
        );
      },
    );

    r.delete(
      '/api/v1/selections/:id',
      {
        config: { access: { area: 'contacts', action: 'delete' } },
        schema: {
          tags: TAGS,
          summary: 'Delete a saved selection (the contacts stay)',
          params: selectionIdParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        await inTenant(principal, (tx) => selections.deleteSelection(tx, principal, request.params.id));
        return reply.status(204).send(null);
      },
    );

    r.get(
      '/api/v1/selections/:id/count',
      {
        config: { access: { area: 'contacts', action: 'read' } },
        schema: {
          tags: TAGS,
          summary: 'How many contacts a saved selection matches now',
          params: selectionIdParams,
          response: { 200: countSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const count = await inTenant(principal, (tx) =>
          selections.countSelection(tx, principal, request.params.id),
        );
        return { count };
      },
    );

    r.get(
      '/api/v1/selections/:id/contacts',
      {
        config: { access: { area: 'contacts', action: 'read' } },
        schema: {
          tags: TAGS,
          summary: "A saved selection's contacts, newest first, a page at a time",
          params: selectionIdParams,
          querystring: listQuerySchema,
          response: { 200: pageOf(contactSchema) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const page = await inTenant(principal, (tx) =>
          selections.selectionContacts(tx, principal, request.params.id, request.query, purposeOf(request)),
        );
        return { items: page.items.map(showContact(principal)), nextCursor: page.nextCursor };
      },
    );
  };
}
