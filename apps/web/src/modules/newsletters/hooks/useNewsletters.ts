import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  addSubscription,
  createNewsletter,
  deleteNewsletter,
  getNewsletter,
  listNewsletters,
  listSubscriptions,
  type SubscriptionStatus,
  unsubscribe,
  updateNewsletter,
} from '../api/newsletters.ts';
import type { NewsletterInput } from '../model/newsletter.ts';

export const newslettersKey = ['newsletters'] as const;
const pageSize = 50;

export function useNewsletterList(archived: boolean) {
  return useInfiniteQuery({
    queryKey: [...newslettersKey, 'list', archived],
    queryFn: ({ pageParam, signal }) =>
      listNewsletters({ limit: pageSize, cursor: pageParam, archived: archived ? 'true' : 'false' }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** The newsletters (first 100, archived ones too), to choose from in forms and filters and to name them. */
export function useNewsletterChoices(enabled = true) {
  return useQuery({
    queryKey: [...newslettersKey, 'choices'],
    queryFn: async ({ signal }) => (await listNewsletters({ limit: 100 }, signal)).items,
    enabled,
    staleTime: 30_000,
  });
}

export function useNewsletter(id: string | undefined) {
  return useQuery({
    queryKey: [...newslettersKey, 'one', id],
    queryFn: ({ signal }) => getNewsletter(id ?? '', signal),
    enabled: id !== undefined,
  });
}

export function useSubscriptions(newsletterId: string, status: SubscriptionStatus | undefined) {
  return useInfiniteQuery({
    queryKey: [...newslettersKey, 'subscriptions', newsletterId, status ?? 'all'],
    queryFn: ({ pageParam, signal }) =>
      listSubscriptions(newsletterId, { status, limit: pageSize, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useCreateNewsletter() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewsletterInput) => createNewsletter(input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: newslettersKey }),
  });
}

export function useUpdateNewsletter() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      changes,
    }: {
      id: string;
      changes: Partial<NewsletterInput> & { archived?: boolean };
    }) => updateNewsletter(id, changes),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: newslettersKey }),
  });
}

export function useDeleteNewsletter() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteNewsletter(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...newslettersKey, 'list'] }),
  });
}

function useInvalidateSubscriptions() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: newslettersKey });
    void queryClient.invalidateQueries({ queryKey: ['consent', 'gdpr'] });
  };
}

export function useAddSubscription() {
  const invalidate = useInvalidateSubscriptions();
  return useMutation({ mutationFn: addSubscription, onSuccess: invalidate });
}

export function useUnsubscribe() {
  const invalidate = useInvalidateSubscriptions();
  return useMutation({ mutationFn: (id: string) => unsubscribe(id), onSuccess: invalidate });
}
