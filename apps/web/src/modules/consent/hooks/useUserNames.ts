import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { pageSchema, parseWith, queryString } from '../../../api/schemas.ts';
import { useHasRight } from '../../auth/index.ts';

const userSchema = z.object({ id: z.string(), email: z.string(), displayName: z.string().nullable() });

/**
 * Names for user ids (who processed a change, who wrote a version): the first 200 users, only for
 * those who may read the user list; without it the caller shows the id.
 */
export function useUserNames(): (id: string | null | undefined) => string | undefined {
  const mayRead = useHasRight('users:read');
  const users = useQuery({
    queryKey: ['settings', 'users', 'names'],
    queryFn: async ({ signal }) => {
      const page = await apiFetch(
        `/api/v1/users${queryString({ limit: 200 })}`,
        parseWith(pageSchema(userSchema)),
        { signal },
      );
      return new Map(page.items.map((user) => [user.id, user.displayName ?? user.email]));
    },
    enabled: mayRead,
    staleTime: 60_000,
  });
  return (id) => (id ? users.data?.get(id) : undefined);
}
