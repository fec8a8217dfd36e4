import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { type DocumentOwner, deleteDocument, listDocuments, uploadDocument } from '../api/documents.ts';

const pageSize = 50;
const documentsKey = (owner: DocumentOwner, ownerId: string) => ['documents', owner, ownerId] as const;

export function useDocuments(owner: DocumentOwner, ownerId: string) {
  return useInfiniteQuery({
    queryKey: documentsKey(owner, ownerId),
    queryFn: ({ pageParam, signal }) =>
      listDocuments(owner, ownerId, { limit: pageSize, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useUploadDocument(owner: DocumentOwner, ownerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => uploadDocument(owner, ownerId, file),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: documentsKey(owner, ownerId) }),
  });
}

export function useDeleteDocument(owner: DocumentOwner, ownerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (documentId: string) => deleteDocument(documentId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: documentsKey(owner, ownerId) }),
  });
}
