import { ACCESS_LEVELS, type AccessLevel, DATA_CATEGORIES, type DataCategory } from '@kontor/contracts';
import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { ignoreBody, parseWith } from '../../../api/schemas.ts';

export const builtinRoleKeys = [
  'owner',
  'admin',
  'sales',
  'marketing',
  'accounting',
  'privacy_officer',
  'read_only',
] as const;
export type BuiltinRoleKey = (typeof builtinRoleKeys)[number];

export type { AccessLevel, DataCategory };
export { ACCESS_LEVELS as accessLevels, DATA_CATEGORIES as dataCategories };
export type FieldAccess = Record<DataCategory, AccessLevel>;

/** Every category a role carries; a missing object, category or unknown level reads as 'full'. */
export const fullFieldAccess = (): FieldAccess =>
  Object.fromEntries(DATA_CATEGORIES.map((category) => [category, 'full'])) as FieldAccess;

const fieldAccessSchema = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((raw): FieldAccess => {
    const access = fullFieldAccess();
    for (const category of DATA_CATEGORIES) {
      const level = ACCESS_LEVELS.find((known) => known === raw?.[category]);
      if (level) access[category] = level;
    }
    return access;
  });

const roleSchema = z.object({
  id: z.string(),
  name: z.string(),
  // An unknown key from a newer server is shown as a custom role rather than breaking the page.
  builtinKey: z
    .string()
    .nullable()
    .transform((key) => builtinRoleKeys.find((known) => known === key) ?? null),
  rights: z.array(z.string()),
  fieldAccess: fieldAccessSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Role = z.infer<typeof roleSchema>;

export async function listRoles(signal?: AbortSignal): Promise<Role[]> {
  const result = await apiFetch('/api/v1/roles', parseWith(z.object({ items: z.array(roleSchema) })), {
    signal,
  });
  return result.items;
}

export type RoleInput = { name: string; rights: string[]; fieldAccess?: Partial<FieldAccess> };

export function createRole(input: RoleInput): Promise<Role> {
  return apiFetch('/api/v1/roles', parseWith(roleSchema), { method: 'POST', json: input });
}

export function updateRole(id: string, changes: Partial<RoleInput>): Promise<Role> {
  return apiFetch(`/api/v1/roles/${encodeURIComponent(id)}`, parseWith(roleSchema), {
    method: 'PATCH',
    json: changes,
  });
}

export function deleteRole(id: string): Promise<void> {
  return apiFetch(`/api/v1/roles/${encodeURIComponent(id)}`, ignoreBody, { method: 'DELETE' });
}
