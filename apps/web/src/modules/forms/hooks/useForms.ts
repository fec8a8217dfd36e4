import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createForm,
  deleteForm,
  type FormInput,
  getEmbedCode,
  getForm,
  getSpamCounts,
  listForms,
  listMessageStates,
  listSubmissions,
  listUserChoices,
  updateForm,
} from '../api/forms.ts';

export const formsKey = ['forms'] as const;
const pageSize = 50;

export function useFormList() {
  return useInfiniteQuery({
    queryKey: [...formsKey, 'list'],
    queryFn: ({ pageParam, signal }) => listForms({ limit: pageSize, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useForm(id: string | undefined) {
  return useQuery({
    queryKey: [...formsKey, 'one', id],
    queryFn: ({ signal }) => getForm(id ?? '', signal),
    enabled: id !== undefined,
  });
}

export function useSubmissions(formId: string) {
  return useInfiniteQuery({
    queryKey: [...formsKey, 'submissions', formId],
    queryFn: ({ pageParam, signal }) =>
      listSubmissions(formId, { limit: pageSize, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useEmbedCode(formId: string) {
  return useQuery({
    queryKey: [...formsKey, 'embed', formId],
    queryFn: ({ signal }) => getEmbedCode(formId, signal),
  });
}

export function useSpamCounts(formId: string) {
  return useQuery({
    queryKey: [...formsKey, 'spam', formId],
    queryFn: ({ signal }) => getSpamCounts(formId, signal),
    retry: false,
  });
}

/** Users to notify; only fetched for users who may read the user list (else the ids are kept as they are). */
export function useUserChoices(enabled: boolean) {
  return useQuery({
    queryKey: [...formsKey, 'user-choices'],
    queryFn: ({ signal }) => listUserChoices(signal),
    enabled,
    staleTime: 60_000,
  });
}

/** How the latest mails went, for the auto-reply column; only for users who may read the mail settings. */
export function useMessageStates(enabled: boolean) {
  return useQuery({
    queryKey: ['mail', 'message-states'],
    queryFn: ({ signal }) => listMessageStates(signal),
    enabled,
    retry: false,
  });
}

export function useCreateForm() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: FormInput) => createForm(input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: formsKey }),
  });
}

export function useUpdateForm() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: Partial<FormInput> }) => updateForm(id, changes),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: formsKey }),
  });
}

/**
 * The deleted form's own query is left alone (a refetch would answer 404 while its page is still
 * open); the caller navigates away, and the list is fetched again.
 */
export function useDeleteForm() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteForm(id),
    onSuccess: (_result, id) => {
      void queryClient.invalidateQueries({ queryKey: [...formsKey, 'list'] });
      queryClient.removeQueries({ queryKey: [...formsKey, 'submissions', id] });
    },
  });
}
