import { z } from 'zod';
import { isRight, type Right } from '../../kernel/http/access.ts';
import { ACCESS_LEVELS, DATA_CATEGORIES } from '../privacy/privacy.fields.ts';

/** Per data category: full, masked or none; categories left out are seen in full. */
export const fieldAccessSchema = z.partialRecord(z.enum(DATA_CATEGORIES), z.enum(ACCESS_LEVELS));

export const rightSchema = z
  .string()
  .refine(isRight, 'must be <area>:<action>, e.g. contacts:read')
  .transform((v) => v as Right);

export const roleSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  builtinKey: z.string().nullable(),
  rights: z.array(z.string()),
  fieldAccess: fieldAccessSchema,
  createdAt: z.string().datetime(),
  updatedAt: z.string().datetime(),
});

export const createRoleSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100),
  rights: z.array(rightSchema).max(200).default([]),
  fieldAccess: fieldAccessSchema.optional(),
});

export const updateRoleSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100).optional(),
    rights: z.array(rightSchema).max(200).optional(),
    fieldAccess: fieldAccessSchema.optional(),
  })
  .refine(
    (v) => v.name !== undefined || v.rights !== undefined || v.fieldAccess !== undefined,
    'give a name, rights or field access to change',
  );

const contactScopeSchema = z
  .array(z.string().trim().min(1).max(100))
  .min(1, 'name at least one group, or send null for every contact')
  .max(50)
  .nullable()
  .describe('Tag names the user is limited to; null: every contact of the tenant');

export const userSchema = z.object({
  id: z.string().uuid(),
  email: z.string(),
  displayName: z.string().nullable(),
  roles: z.array(z.object({ id: z.string().uuid(), name: z.string() })),
  contactScope: z.array(z.string()).nullable(),
  createdAt: z.string().datetime(),
  updatedAt: z.string().datetime(),
});

export const createUserSchema = z.object({
  email: z.string().trim().email('must be an email address').max(320),
  displayName: z.string().trim().max(200).nullish(),
  password: z.string().min(12, 'must have at least 12 characters').max(1000).nullish(),
  roleIds: z.array(z.string().uuid()).max(20).default([]),
  contactScope: contactScopeSchema.optional(),
});

export const updateUserSchema = z.object({
  displayName: z.string().trim().max(200).nullish(),
  roleIds: z.array(z.string().uuid()).max(20).optional(),
  contactScope: contactScopeSchema.optional(),
});

export const apiTokenSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  expiresAt: z.string().datetime().nullable(),
  lastUsedAt: z.string().datetime().nullable(),
  createdAt: z.string().datetime(),
});

export const createApiTokenSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100),
  expiresAt: z
    .string()
    .datetime({ offset: true, message: 'must be an ISO 8601 date-time' })
    .refine((v) => new Date(v).getTime() > Date.now(), 'must be in the future')
    .nullish(),
});

export const meSchema = z.object({
  userId: z.string().uuid(),
  tenantId: z.string().uuid(),
  email: z.string(),
  displayName: z.string().nullable(),
  roles: z.array(z.string()),
  rights: z.array(z.string()),
  fieldAccess: z.record(z.enum(DATA_CATEGORIES), z.enum(ACCESS_LEVELS)),
  totpEnabled: z.boolean(),
});
