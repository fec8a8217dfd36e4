import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../kernel/db/database.ts';
import { withTenant } from '../../kernel/db/tenancy.ts';
import { principalOf } from '../../kernel/http/auth.ts';
import { decodeCursor, listQuerySchema, toPage } from '../../kernel/http/pagination.ts';
import { auditBy as audit } from '../audit/index.ts';
import { fieldAccessOf } from '../privacy/privacy.fields.ts';
import * as repo from './identity.repository.ts';
import {
  apiTokenSchema,
  createApiTokenSchema,
  createRoleSchema,
  createUserSchema,
  meSchema,
  roleSchema,
  updateRoleSchema,
  updateUserSchema,
  userSchema,
} from './identity.schema.ts';
import * as identity from './identity.service.ts';

const idParams = z.object({ id: z.string().uuid() });
const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

function presentUser(u: {
  id: string;
  email: string;
  displayName: string | null;
  contactScope: string[] | null;
  createdAt: Date;
  updatedAt: Date;
  roles: { id: string; name: string }[];
}) {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    roles: u.roles,
    contactScope: u.contactScope,
    createdAt: iso(u.createdAt),
    updatedAt: iso(u.updatedAt),
  };
}

function presentRole(r: {
  id: string;
  name: string;
  builtinKey: string | null;
  rights: string[];
  fieldAccess: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
}) {
  return {
    id: r.id,
    name: r.name,
    builtinKey: r.builtinKey,
    rights: r.rights,
    fieldAccess: fieldAccessOf(r.fieldAccess),
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}

/** What the audit log keeps of a role: its settings, before and after a change. */
function roleSettings(role: { name: string; rights: string[]; fieldAccess: Record<string, string> }) {
  return { name: role.name, rights: [...role.rights].sort(), fieldAccess: role.fieldAccess };
}

export function identityRoutes(database: Database) {
  const inTenant = <T>(tenantId: string, work: Parameters<typeof withTenant<T>>[2]) =>
    withTenant(database.db, tenantId, work);

  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.get(
      '/api/v1/auth/me',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['auth'],
          summary: 'Who am I, with my roles and rights',
          response: { 200: meSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const me = await inTenant(principal.tenantId, (tx) => identity.describeMe(tx, principal.userId));
        return { ...me, tenantId: principal.tenantId };
      },
    );

    r.get(
      '/api/v1/users',
      {
        config: { access: { area: 'users', action: 'read' } },
        schema: {
          tags: ['users'],
          summary: "List the tenant's users",
          querystring: listQuerySchema,
          response: { 200: z.object({ items: z.array(userSchema), nextCursor: z.string().nullable() }) },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const { limit, cursor } = request.query;
        return inTenant(tenantId, async (tx) => {
          const rows = await repo.listUsers(tx, { limit, after: decodeCursor(cursor) });
          return toPage(rows, limit, presentUser);
        });
      },
    );

    r.get(
      '/api/v1/users/:id',
      {
        config: { access: { area: 'users', action: 'read' } },
        schema: { tags: ['users'], summary: 'One user', params: idParams, response: { 200: userSchema } },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        return presentUser(await inTenant(tenantId, (tx) => identity.getUser(tx, request.params.id)));
      },
    );

    r.post(
      '/api/v1/users',
      {
        config: { access: { area: 'users', action: 'create' } },
        schema: {
          tags: ['users'],
          summary: 'Add a user',
          body: createUserSchema,
          response: { 201: userSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { tenantId } = principal;
        const user = await inTenant(tenantId, async (tx) => {
          const created = await identity.createUser(tx, { tenantId, ...request.body });
          const fields = [
            'email',
            ...(request.body.displayName ? ['displayName'] : []),
            ...(request.body.password ? ['password'] : []),
          ];
          await audit(tx, principal, 'user.created', 'user', created.id, { kind: 'personal-data', fields });
          if (request.body.roleIds.length > 0) {
            await audit(tx, principal, 'user.roles-changed', 'user', created.id, {
              kind: 'settings',
              before: [],
              after: [...request.body.roleIds].sort(),
            });
          }
          return identity.getUser(tx, created.id);
        });
        return reply.status(201).send(presentUser(user));
      },
    );

    r.patch(
      '/api/v1/users/:id',
      {
        config: { access: { area: 'users', action: 'update' } },
        schema: {
          tags: ['users'],
          summary: "Change a user's name or roles",
          params: idParams,
          body: updateUserSchema,
          response: { 200: userSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { tenantId } = principal;
        const { id } = request.params;
        return presentUser(
          await inTenant(tenantId, async (tx) => {
            const before = await identity.getUser(tx, id);
            const after = await identity.updateUser(tx, tenantId, id, request.body);
            if (request.body.displayName !== undefined && request.body.displayName !== before.displayName) {
              await audit(tx, principal, 'user.updated', 'user', id, {
                kind: 'personal-data',
                fields: ['displayName'],
              });
            }
            if (
              request.body.contactScope !== undefined &&
              JSON.stringify(before.contactScope) !== JSON.stringify(after.contactScope)
            ) {
              await audit(tx, principal, 'user.scope-changed', 'user', id, {
                kind: 'settings',
                before: before.contactScope,
                after: after.contactScope,
              });
            }
            const roleIds = (u: typeof before) => u.roles.map((r) => r.id).sort();
            if (request.body.roleIds && JSON.stringify(roleIds(before)) !== JSON.stringify(roleIds(after))) {
              await audit(tx, principal, 'user.roles-changed', 'user', id, {
                kind: 'settings',
                before: roleIds(before),
                after: roleIds(after),
              });
            }
            return after;
          }),
        );
      },
    );

    r.get(
      '/api/v1/roles',
      {
        config: { access: { area: 'users', action: 'read' } },
        schema: {
          tags: ['roles'],
          summary: 'Roles and their rights',
          response: { 200: z.object({ items: z.array(roleSchema) }) },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        return { items: (await inTenant(tenantId, (tx) => repo.listRoles(tx))).map(presentRole) };
      },
    );

    r.post(
      '/api/v1/roles',
      {
        config: { access: { area: 'users', action: 'create' } },
        schema: {
          tags: ['roles'],
          summary: 'Define a role',
          body: createRoleSchema,
          response: { 201: roleSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { tenantId } = principal;
        const role = await inTenant(tenantId, async (tx) => {
          const created = await identity.createRole(tx, tenantId, request.body);
          await audit(tx, principal, 'role.created', 'role', created.id, {
            kind: 'settings',
            before: null,
            after: roleSettings(created),
          });
          return created;
        });
        return reply.status(201).send(presentRole(role));
      },
    );

    r.patch(
      '/api/v1/roles/:id',
      {
        config: { access: { area: 'users', action: 'update' } },
        schema: {
          tags: ['roles'],
          summary: 'Rename a role or change its rights',
          params: idParams,
          body: updateRoleSchema,
          response: { 200: roleSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { after } = await inTenant(principal.tenantId, async (tx) => {
          const changed = await identity.updateRole(tx, request.params.id, request.body);
          await audit(tx, principal, 'role.updated', 'role', request.params.id, {
            kind: 'settings',
            before: roleSettings(changed.before),
            after: roleSettings(changed.after),
          });
          return changed;
        });
        return presentRole(after);
      },
    );

    r.delete(
      '/api/v1/roles/:id',
      {
        config: { access: { area: 'users', action: 'delete' } },
        schema: {
          tags: ['roles'],
          summary: 'Delete a role nobody holds',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        await inTenant(principal.tenantId, async (tx) => {
          const deleted = await identity.deleteRole(tx, request.params.id);
          await audit(tx, principal, 'role.deleted', 'role', request.params.id, {
            kind: 'settings',
            before: roleSettings(deleted),
            after: null,
          });
        });
        return reply.status(204).send(null);
      },
    );

    r.get(
      '/api/v1/api-tokens',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['api-tokens'],
          summary: 'My API tokens (never their secrets)',
          response: { 200: z.object({ items: z.array(apiTokenSchema) }) },
        },
      },
      async (request) => {
        const { tenantId, userId } = principalOf(request);
        const rows = await inTenant(tenantId, (tx) => repo.listApiTokens(tx, userId));
        return {
          items: rows.map((t) => ({
            id: t.id,
            name: t.name,
            expiresAt: isoOrNull(t.expiresAt),
            lastUsedAt: isoOrNull(t.lastUsedAt),
            createdAt: iso(t.createdAt),
          })),
        };
      },
    );

    r.post(
      '/api/v1/api-tokens',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['api-tokens'],
          summary: 'Create an API token with my rights; the secret is shown once',
          body: createApiTokenSchema,
          response: { 201: apiTokenSchema.extend({ token: z.string() }) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { tenantId, userId } = principal;
        const expiresAt = request.body.expiresAt ? new Date(request.body.expiresAt) : null;
        const issued = await inTenant(tenantId, async (tx) => {
          const token = await identity.issueApiToken(tx, {
            tenantId,
            userId,
            name: request.body.name,
            expiresAt,
          });
          await audit(tx, principal, 'api-token.created', 'api-token', token.id, {
            kind: 'settings',
            before: null,
            after: { name: request.body.name, expiresAt: isoOrNull(expiresAt) },
          });
          return token;
        });
        return reply.status(201).send({
          id: issued.id,
          name: request.body.name,
          token: issued.token,
          expiresAt: isoOrNull(expiresAt),
          lastUsedAt: null,
          createdAt: iso(issued.createdAt),
        });
      },
    );

    r.delete(
      '/api/v1/api-tokens/:id',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['api-tokens'],
          summary: 'Revoke one of my API tokens',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        await inTenant(principal.tenantId, async (tx) => {
          await identity.revokeApiToken(tx, principal.userId, request.params.id);
          await audit(tx, principal, 'api-token.revoked', 'api-token', request.params.id, {
            kind: 'settings',
            before: { revoked: false },
            after: { revoked: true },
          });
        });
        return reply.status(204).send(null);
      },
    );
  };
}
