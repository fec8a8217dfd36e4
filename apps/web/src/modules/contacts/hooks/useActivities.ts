import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { createActivity, listActivities, type NewActivity } from '../api/activities.ts';

const pageSize = 30;
const timelineKey = (contactId: string) => ['timeline', contactId] as const;

export function useActivities(contactId: string) {
  return useInfiniteQuery({
    queryKey: timelineKey(contactId),
    queryFn: ({ pageParam, signal }) =>
      listActivities(contactId, { limit: pageSize, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useCreateActivity(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewActivity) => createActivity(contactId, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: timelineKey(contactId) }),
  });
}
