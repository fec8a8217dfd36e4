import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../kernel/db/database.ts';
import { type TenantTx, withPrincipal } from '../../kernel/db/tenancy.ts';
import { type Principal, principalOf } from '../../kernel/http/auth.ts';
import { listQuerySchema } from '../../kernel/http/pagination.ts';
import { type DataCategory, presentFields } from '../privacy/index.ts';
import * as companies from './companies.service.ts';
import { registerBulkTagRoute } from './contacts.bulk.ts';
import {
  COMPANY_FIELD_CATEGORIES,
  CONTACT_FIELD_CATEGORIES,
  type Company,
  type Contact,
  companySchema,
  contactSchema,
  createCompanySchema,
  createContactSchema,
  idParams,
  listCompaniesQuerySchema,
  listContactsQuerySchema,
  pageOf,
  tagSchema,
  updateCompanySchema,
  updateContactSchema,
} from './contacts.schema.ts';
import * as contacts from './contacts.service.ts';
import { customFieldsRoutes, rejectInvalidRecordBody } from './custom-fields/custom-fields.routes.ts';
import { categoriesByKey } from './custom-fields/custom-fields.service.ts';

/**
 * What a read is logged for: the route pattern (`GET /api/v1/contacts/{id}`), never the URL —
 * a query string may hold search terms, which may be personal data.
 */
function purposeOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url?.replace(/:(\w+)/g, '{$1}') ?? ''}`;
}

/**
 * Every contact and company leaves through the reader's field access; each custom field by the
 * data category of its definition (`custom`: the categories by key, read in the same transaction).
 */
type CustomCategories = Record<string, DataCategory>;
const showContact = (principal: Principal, custom: CustomCategories) => (c: Contact) =>
  presentFields(c, CONTACT_FIELD_CATEGORIES, principal.fieldAccess, { customFields: custom });
const showCompany = (principal: Principal, custom: CustomCategories) => (c: Company) =>
  presentFields(c, COMPANY_FIELD_CATEGORIES, principal.fieldAccess, { customFields: custom });

export function contactsRoutes(database: Database) {
  // The principal's contact scope goes with the transaction: RLS limits every contact query to it.
  const inTenant = <T>(principal: Principal, work: (tx: TenantTx) => Promise<T>) =>
    withPrincipal(database.db, principal, work);
  /** The work's result and the categories of the object type's custom fields. */
  const withCategories = <T>(
    principal: Principal,
    objectType: 'contact' | 'company',
    work: (tx: TenantTx) => Promise<T>,
  ) =>
    inTenant(principal, async (tx) => {
      const result = await work(tx);
      return { result, custom: await categoriesByKey(tx, objectType) };
    });

  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    await app.register(customFieldsRoutes(database));

    // -- contacts ------------------------------------------------------------------------------

    r.get(
      '/api/v1/contacts',
      {
        config: { access: { area: 'contacts', action: 'read' } },
        schema: {
          tags: ['contacts'],
          summary: 'List contacts (newest first, cursor pages) or search them with q (ranked, one page)',
          querystring: listContactsQuerySchema,
          response: { 200: pageOf(contactSchema) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { result: page, custom } = await withCategories(principal, 'contact', (tx) =>
          contacts.listContacts(tx, principal, request.query, purposeOf(request)),
        );
        return { items: page.items.map(showContact(principal, custom)), nextCursor: page.nextCursor };
      },
    );

    r.get(
      '/api/v1/contacts/:id',
      {
        config: { access: { area: 'contacts', action: 'read' } },
        schema: {
          tags: ['contacts'],
          summary: 'One contact',
          params: idParams,
          response: { 200: contactSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { result: contact, custom } = await withCategories(principal, 'contact', (tx) =>
          contacts.readContact(tx, principal, request.params.id, purposeOf(request)),
        );
        return showContact(principal, custom)(contact);
      },
    );

    r.post(
      '/api/v1/contacts',
      {
        config: { access: { area: 'contacts', action: 'create' } },
        // A body that fails its schema still gets its custom fields checked: one 400 for all.
        attachValidation: true,
        schema: {
          tags: ['contacts'],
          summary: 'Add a contact (a person); unknown tags are created',
          body: createContactSchema,
          response: { 201: contactSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { result: contact, custom } = await withCategories(principal, 'contact', async (tx) => {
          await rejectInvalidRecordBody(tx, request, 'contact', 'create');
          return contacts.createContact(tx, principal, request.body);
        });
        return reply.status(201).send(showContact(principal, custom)(contact));
      },
    );

    r.patch(
      '/api/v1/contacts/:id',
      {
        config: { access: { area: 'contacts', action: 'update' } },
        attachValidation: true,
        schema: {
          tags: ['contacts'],
          summary: 'Change some fields of a contact; null clears a field, tags replace the tags',
          params: idParams,
          body: updateContactSchema,
          response: { 200: contactSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { result: contact, custom } = await withCategories(principal, 'contact', async (tx) => {
          await rejectInvalidRecordBody(tx, request, 'contact', 'update');
          return contacts.updateContact(tx, principal, request.params.id, request.body);
        });
        return showContact(principal, custom)(contact);
      },
    );

    r.delete(
      '/api/v1/contacts/:id',
      {
        config: { access: { area: 'contacts', action: 'delete' } },
        schema: {
          tags: ['contacts'],
          summary: 'Delete a contact with its tags',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        await inTenant(principal, (tx) => contacts.deleteContact(tx, principal, request.params.id));
        return reply.status(204).send(null);
      },
    );

    // -- companies -----------------------------------------------------------------------------

    r.get(
      '/api/v1/companies',
      {
        config: { access: { area: 'companies', action: 'read' } },
        schema: {
          tags: ['companies'],
          summary: 'List companies (newest first, cursor pages) or search them with q (ranked, one page)',
          querystring: listCompaniesQuerySchema,
          response: { 200: pageOf(companySchema) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { result: page, custom } = await withCategories(principal, 'company', (tx) =>
          companies.listCompanies(tx, principal, request.query, purposeOf(request)),
        );
        return { items: page.items.map(showCompany(principal, custom)), nextCursor: page.nextCursor };
      },
    );

    r.get(
      '/api/v1/companies/:id',
      {
        config: { access: { area: 'companies', action: 'read' } },
        schema: {
          tags: ['companies'],
          summary: 'One company, with how many persons it has',
          params: idParams,
          response: { 200: companySchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { result: company, custom } = await withCategories(principal, 'company', (tx) =>
          companies.readCompany(tx, principal, request.params.id, purposeOf(request)),
        );
        return showCompany(principal, custom)(company);
      },
    );

    r.post(
      '/api/v1/companies',
      {
        config: { access: { area: 'companies', action: 'create' } },
        attachValidation: true,
        schema: {
          tags: ['companies'],
          summary: 'Add a company; unknown tags are created',
          body: createCompanySchema,
          response: { 201: companySchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { result: company, custom } = await withCategories(principal, 'company', async (tx) => {
          await rejectInvalidRecordBody(tx, request, 'company', 'create');
          return companies.createCompany(tx, principal, request.body);
        });
        return reply.status(201).send(showCompany(principal, custom)(company));
      },
    );

    r.patch(
      '/api/v1/companies/:id',
      {
        config: { access: { area: 'companies', action: 'update' } },
        attachValidation: true,
        schema: {
          tags: ['companies'],
          summary: 'Change some fields of a company; null clears a field, tags replace the tags',
          params: idParams,
          body: updateCompanySchema,
          response: { 200: companySchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { result: company, custom } = await withCategories(principal, 'company', async (tx) => {
          await rejectInvalidRecordBody(tx, request, 'company', 'update');
          return companies.updateCompany(tx, principal, request.params.id, request.body);
        });
        return showCompany(principal, custom)(company);
      },
    );

    r.delete(
      '/api/v1/companies/:id',
      {
        config: { access: { area: 'companies', action: 'delete' } },
        schema: {
          tags: ['companies'],
          summary: 'Delete a company and its persons (needs contacts:delete too when it has persons)',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        await inTenant(principal, (tx) => companies.deleteCompany(tx, principal, request.params.id));
        return reply.status(204).send(null);
      },
    );

    // -- tags ----------------------------------------------------------------------------------

    registerBulkTagRoute(app, database);

    r.get(
      '/api/v1/tags',
      {
        config: { access: { area: 'contacts', action: 'read' } },
        schema: {
          tags: ['tags'],
          summary: 'Tags by name, with how many contacts and companies carry each',
          querystring: listQuerySchema,
          response: { 200: pageOf(tagSchema) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return inTenant(principal, (tx) =>
          contacts.listTags(tx, { limit: request.query.limit, cursor: request.query.cursor }),
        );
      },
    );
  };
}
