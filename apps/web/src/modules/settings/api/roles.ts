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

const roleSchema = z.object({
  id: z.string(),
  name: z.string(),
  // An unknown key from a newer server is shown as a custom role rather than breaking the page.
  builtinKey: z
    .string()
    .nullable()
    .transform((key) => builtinRoleKeys.find((known) => known === key) ?? null),
  rights: z.array(z.string()),
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

export function createRole(input: { name: string; rights: string[] }): Promise<Role> {
  return apiFetch('/api/v1/roles', parseWith(roleSchema), { method: 'POST', json: input });
}

export function updateRole(id: string, changes: { name?: string; rights?: string[] }): Promise<Role> {
  return apiFetch(`/api/v1/roles/${encodeURIComponent(id)}`, parseWith(roleSchema), {
    method: 'PATCH',
    json: changes,
  });
}

export function deleteRole(id: string): Promise<void> {
  return apiFetch(`/api/v1/roles/${encodeURIComponent(id)}`, ignoreBody, { method: 'DELETE' });
}
