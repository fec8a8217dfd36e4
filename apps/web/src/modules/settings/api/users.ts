import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { pageSchema, parseWith, queryString } from '../../../api/schemas.ts';

const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string().nullable(),
  roles: z.array(z.object({ id: z.string(), name: z.string() })),
  // Tag names the user is limited to; null (or absent, from an older server): every contact.
  contactScope: z
    .array(z.string())
    .nullish()
    .transform((scope) => scope ?? null),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

const usersPageSchema = pageSchema(userSchema);
export type UsersPage = z.infer<typeof usersPageSchema>;

export function listUsers(params: { limit?: number; cursor?: string | undefined }, signal?: AbortSignal) {
  return apiFetch(`/api/v1/users${queryString(params)}`, parseWith(usersPageSchema), { signal });
}

export type NewUser = {
  email: string;
  displayName?: string | undefined;
  password?: string | undefined;
  roleIds: string[];
  contactScope?: string[] | null | undefined;
};

export function createUser(input: NewUser): Promise<User> {
  return apiFetch('/api/v1/users', parseWith(userSchema), { method: 'POST', json: input });
}

export type UserChanges = {
  displayName?: string | null;
  roleIds?: string[];
  contactScope?: string[] | null;
};

export function updateUser(id: string, changes: UserChanges): Promise<User> {
  return apiFetch(`/api/v1/users/${encodeURIComponent(id)}`, parseWith(userSchema), {
    method: 'PATCH',
    json: changes,
  });
}
