import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createUser, listUsers, type NewUser, type UserChanges, updateUser } from '../api/users.ts';

const usersKey = ['settings', 'users'] as const;
const pageSize = 50;

export function useUsers() {
  return useInfiniteQuery({
    queryKey: [...usersKey, 'pages'],
    queryFn: ({ pageParam, signal }) => listUsers({ limit: pageSize, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Up to 200 users by id, to put names to ids (e.g. who did what in the audit log). */
export function useUserDirectory(enabled: boolean) {
  return useQuery({
    queryKey: [...usersKey, 'directory'],
    queryFn: async ({ signal }) => {
      const page = await listUsers({ limit: 200 }, signal);
      return new Map(page.items.map((user) => [user.id, user]));
    },
    enabled,
  });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewUser) => createUser(input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersKey }),
  });
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: UserChanges }) => updateUser(id, changes),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersKey }),
  });
}
