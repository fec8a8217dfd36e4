import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  bulkTagContacts,
  type ContactFilter,
  type ContactInput,
  createContact,
  deleteContact,
  getContact,
  listContacts,
  updateContact,
} from '../api/contacts.ts';

export const contactsKey = ['contacts'] as const;
const listKey = [...contactsKey, 'list'] as const;
const detailKey = (id: string) => [...contactsKey, 'detail', id] as const;
const pageSize = 100;

/** Contacts page by page (newest first), or the ranked hits of a search (one page). */
export function useContactList(filter: ContactFilter) {
  return useInfiniteQuery({
    queryKey: [...listKey, filter],
    queryFn: ({ pageParam, signal }) =>
      listContacts({ ...filter, limit: pageSize, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useContact(id: string) {
  return useQuery({ queryKey: detailKey(id), queryFn: ({ signal }) => getContact(id, signal) });
}

/**
 * After a write the lists, the tag counts and the companies' person counts may be out of date.
 * The changed contact's own page is set from the answer instead of being read again (each read
 * is an entry in the access log).
 */
function useAfterContactWrite() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: listKey }),
      queryClient.invalidateQueries({ queryKey: [...contactsKey, 'tags'] }),
      queryClient.invalidateQueries({ queryKey: ['companies'] }),
    ]);
}

export function useCreateContact() {
  const queryClient = useQueryClient();
  const afterWrite = useAfterContactWrite();
  return useMutation({
    mutationFn: (input: ContactInput) => createContact(input),
    onSuccess: async (contact) => {
      queryClient.setQueryData(detailKey(contact.id), contact);
      await afterWrite();
    },
  });
}

export function useUpdateContact() {
  const queryClient = useQueryClient();
  const afterWrite = useAfterContactWrite();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: ContactInput }) => updateContact(id, changes),
    onSuccess: async (contact) => {
      queryClient.setQueryData(detailKey(contact.id), contact);
      await afterWrite();
    },
  });
}

export function useDeleteContact() {
  const queryClient = useQueryClient();
  const afterWrite = useAfterContactWrite();
  return useMutation({
    mutationFn: (id: string) => deleteContact(id),
    onSuccess: async (_nothing, id) => {
      // Removed, not invalidated: reading it again would only answer 404.
      queryClient.removeQueries({ queryKey: detailKey(id) });
      queryClient.removeQueries({ queryKey: ['timeline', id] });
      queryClient.removeQueries({ queryKey: ['documents', 'contacts', id] });
      await afterWrite();
    },
  });
}

export function useBulkTagContacts() {
  const queryClient = useQueryClient();
  const afterWrite = useAfterContactWrite();
  return useMutation({
    mutationFn: bulkTagContacts,
    onSuccess: async () => {
      // The detail pages of the changed contacts show their tags: read them again when opened.
      await queryClient.invalidateQueries({ queryKey: [...contactsKey, 'detail'], refetchType: 'none' });
      await afterWrite();
    },
  });
}
