import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../../kernel/db/database.ts';
import { type TenantTx, withTenant } from '../../../kernel/db/tenancy.ts';
import { AppError, type ErrorDetail } from '../../../kernel/errors.ts';
import { principalOf } from '../../../kernel/http/auth.ts';
import { toProblem } from '../../../kernel/http/problem.ts';
import {
  type CustomFieldObjectType,
  createCustomFieldSchema,
  customFieldListSchema,
  customFieldSchema,
  idParams,
  listCustomFieldsQuerySchema,
  renameCustomFieldSchema,
  updateCustomFieldSchema,
} from './custom-fields.schema.ts';
import * as service from './custom-fields.service.ts';
import { checkCustomFields } from './custom-fields.values.ts';

/**
 * `/api/v1/custom-fields`: whoever may read contacts reads the definitions (forms, lists);
 * changing them is a tenant setting (settings:create/update/delete). Definition changes run
 * with the tenant only, not the user's contact scope: a rename or delete reaches every record.
 */
export function customFieldsRoutes(database: Database) {
  const inTenant = <T>(tenantId: string, work: (tx: TenantTx) => Promise<T>) =>
    withTenant(database.db, tenantId, work);

  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.get(
      '/api/v1/custom-fields',
      {
        config: { access: { area: 'contacts', action: 'read' } },
        schema: {
          tags: ['custom-fields'],
          summary: 'Custom fields of contacts and companies, in form order (all on one page)',
          querystring: listCustomFieldsQuerySchema,
          response: { 200: customFieldListSchema },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const items = await inTenant(tenantId, (tx) => service.listDefinitions(tx, request.query.objectType));
        return { items, nextCursor: null };
      },
    );

    r.get(
      '/api/v1/custom-fields/:id',
      {
        config: { access: { area: 'contacts', action: 'read' } },
        schema: {
          tags: ['custom-fields'],
          summary: 'One custom field',
          params: idParams,
          response: { 200: customFieldSchema },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        return inTenant(tenantId, (tx) => service.getDefinition(tx, request.params.id));
      },
    );

    r.post(
      '/api/v1/custom-fields',
      {
        config: { access: { area: 'settings', action: 'create' } },
        schema: {
          tags: ['custom-fields'],
          summary: 'Define a custom field of contacts or companies',
          body: createCustomFieldSchema,
          response: { 201: customFieldSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const field = await inTenant(principal.tenantId, (tx) =>
          service.createDefinition(tx, principal, request.body),
        );
        return reply.status(201).send(field);
      },
    );

    r.patch(
      '/api/v1/custom-fields/:id',
      {
        config: { access: { area: 'settings', action: 'update' } },
        schema: {
          tags: ['custom-fields'],
          summary:
            'Change labels, options, required, unique, data category or position (removing an option in use: 409)',
          params: idParams,
          body: updateCustomFieldSchema,
          response: { 200: customFieldSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return inTenant(principal.tenantId, (tx) =>
          service.updateDefinition(tx, principal, request.params.id, request.body),
        );
      },
    );

    r.post(
      '/api/v1/custom-fields/:id/rename',
      {
        config: { access: { area: 'settings', action: 'update' } },
        schema: {
          tags: ['custom-fields'],
          summary: "Change a field's key; every record's value moves to the new key in the same transaction",
          params: idParams,
          body: renameCustomFieldSchema,
          response: { 200: customFieldSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return inTenant(principal.tenantId, (tx) =>
          service.renameDefinition(tx, principal, request.params.id, request.body.key),
        );
      },
    );

    r.delete(
      '/api/v1/custom-fields/:id',
      {
        config: { access: { area: 'settings', action: 'delete' } },
        schema: {
          tags: ['custom-fields'],
          summary: 'Delete a custom field and its value from every record, in one transaction',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        await inTenant(principal.tenantId, (tx) =>
          service.deleteDefinition(tx, principal, request.params.id),
        );
        return reply.status(204).send(null);
      },
    );
  };
}

/**
 * For record routes registered with `attachValidation: true`: when a body fails its schema,
 * its custom fields are checked against the definitions as well, so that one 400 names every
 * bad field, standard and custom alike. Throws the 400; does nothing for a valid body.
 */
export async function rejectInvalidRecordBody(
  tx: TenantTx,
  request: FastifyRequest,
  objectType: CustomFieldObjectType,
  mode: 'create' | 'update',
): Promise<void> {
  const failure = request.validationError;
  if (!failure) return;
  const standard = toProblem(failure, request).errors ?? [];
  const body = request.body as { customFields?: unknown } | null | undefined;
  const raw = body && typeof body === 'object' ? body.customFields : undefined;
  const defs = await service.listDefinitions(tx, objectType);
  const custom = checkCustomFields(defs, objectType, raw, mode).errors;
  const covered = new Set(custom.map((e) => e.path));
  const errors: ErrorDetail[] = [...standard.filter((e) => !covered.has(e.path)), ...custom];
  throw new AppError(
    'VALIDATION_FAILED',
    'bad_request',
    'The request is not valid; see errors for what is wrong where.',
    errors,
  );
}
