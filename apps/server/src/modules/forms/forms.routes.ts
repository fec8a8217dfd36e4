import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../kernel/db/database.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { principalOf } from '../../kernel/http/auth.ts';
import { listQuerySchema } from '../../kernel/http/pagination.ts';
import { recordAccess } from '../privacy/index.ts';
import {
  createFormBodySchema,
  formSchema,
  formsPageSchema,
  idParams,
  listSubmissionsQuerySchema,
  spamSchema,
  submissionsPageSchema,
  updateFormBodySchema,
} from './forms.schema.ts';
import * as service from './forms.service.ts';

/**
 * The form builder's API (area marketing). Create, update and delete are audited; a PATCH that
 * changes the definition makes a new version (submissions keep the version they were made with).
 * Submission pages hold personal data: they are written to the access log (kind read).
 */
export function formsAdminRoutes(database: Database) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['forms'];

    r.get(
      '/api/v1/forms',
      {
        config: { access: { area: 'marketing', action: 'read' } },
        schema: {
          tags,
          summary: 'Forms, newest first',
          querystring: listQuerySchema,
          response: { 200: formsPageSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return withTenant(database.db, principal.tenantId, (tx) => service.listForms(tx, request.query));
      },
    );

    r.post(
      '/api/v1/forms',
      {
        config: { access: { area: 'marketing', action: 'create' } },
        schema: {
          tags,
          summary: 'Create a form (version 1)',
          body: createFormBodySchema,
          response: { 201: formSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const form = await withTenant(database.db, principal.tenantId, (tx) =>
          service.createForm(tx, principal, request.body),
        );
        return reply.status(201).send(form);
      },
    );

    r.get(
      '/api/v1/forms/:id',
      {
        config: { access: { area: 'marketing', action: 'read' } },
        schema: {
          tags,
          summary: 'One form with its current definition',
          params: idParams,
          response: { 200: formSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return withTenant(database.db, principal.tenantId, (tx) => service.getForm(tx, request.params.id));
      },
    );

    r.patch(
      '/api/v1/forms/:id',
      {
        config: { access: { area: 'marketing', action: 'update' } },
        schema: {
          tags,
          summary: 'Change name, status or definition (a changed definition is a new version)',
          params: idParams,
          body: updateFormBodySchema,
          response: { 200: formSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return withTenant(database.db, principal.tenantId, (tx) =>
          service.updateForm(tx, principal, request.params.id, request.body),
        );
      },
    );

    r.delete(
      '/api/v1/forms/:id',
      {
        config: { access: { area: 'marketing', action: 'delete' } },
        schema: {
          tags,
          summary: 'Delete a form with its versions, submissions and spam counts (contacts stay)',
          params: idParams,
          response: { 204: z.null().describe('Deleted') },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        await withTenant(database.db, principal.tenantId, (tx) =>
          service.deleteForm(tx, principal, request.params.id),
        );
        return reply.status(204).send(null);
      },
    );

    const submissionsPage = async (
      principal: ReturnType<typeof principalOf>,
      query: z.output<typeof listSubmissionsQuerySchema>,
      purpose: string,
    ) =>
      withTenant(database.db, principal.tenantId, async (tx) => {
        if (query.formId) await service.getForm(tx, query.formId);
        const page = await service.listSubmissions(tx, query);
        const ids = [...new Set(page.items.flatMap((s) => (s.contactId ? [s.contactId] : [])))];
        if (ids.length > 0) {
          await recordAccess(tx, {
            tenantId: principal.tenantId,
            userId: principal.userId,
            recordType: 'contact',
            recordIds: ids,
            purpose,
            kind: 'read',
          });
        }
        return page;
      });

    r.get(
      '/api/v1/forms/:id/submissions',
      {
        config: { access: { area: 'marketing', action: 'read' } },
        schema: {
          tags,
          summary: "A form's submissions, newest first",
          params: idParams,
          querystring: listQuerySchema,
          response: { 200: submissionsPageSchema },
        },
      },
      async (request) =>
        submissionsPage(
          principalOf(request),
          { ...request.query, formId: request.params.id },
          'GET /api/v1/forms/:id/submissions',
        ),
    );

    r.get(
      '/api/v1/submissions',
      {
        config: { access: { area: 'marketing', action: 'read' } },
        schema: {
          tags,
          summary: 'Submissions of every form (or of ?formId=), newest first',
          querystring: listSubmissionsQuerySchema,
          response: { 200: submissionsPageSchema },
        },
      },
      async (request) => submissionsPage(principalOf(request), request.query, 'GET /api/v1/submissions'),
    );

    r.get(
      '/api/v1/forms/:id/spam',
      {
        config: { access: { area: 'marketing', action: 'read' } },
        schema: {
          tags,
          summary:
            'Rejected spam per UTC day and reason, last 90 days (counts only: nothing of the posts is kept)',
          params: idParams,
          response: { 200: spamSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return withTenant(database.db, principal.tenantId, (tx) => service.spamCounts(tx, request.params.id));
      },
    );
  };
}
