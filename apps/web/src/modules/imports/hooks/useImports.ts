import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  cancelImport,
  deleteImport,
  getImport,
  listImports,
  type ReadingInput,
  rereadImport,
  type StartImportInput,
  startImport,
  uploadImport,
} from '../api/imports.ts';

const importsKey = ['imports'] as const;

export function useImportList() {
  return useQuery({ queryKey: [...importsKey, 'list'], queryFn: ({ signal }) => listImports(signal) });
}

/** One import; polled about once a second while it runs, as the server recommends. */
export function useImport(id: string) {
  return useQuery({
    queryKey: [...importsKey, id],
    queryFn: ({ signal }) => getImport(id, signal),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'running' || status === 'uploading' ? 1000 : false;
    },
  });
}

function useSetImport() {
  const queryClient = useQueryClient();
  return (saved: { id: string }) => {
    void queryClient.invalidateQueries({ queryKey: [...importsKey, 'list'] });
    void queryClient.invalidateQueries({ queryKey: [...importsKey, saved.id] });
  };
}

export function useUploadImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: uploadImport,
    onSuccess: (created) => {
      queryClient.setQueryData([...importsKey, created.id], created);
      void queryClient.invalidateQueries({ queryKey: [...importsKey, 'list'] });
    },
  });
}

export function useRereadImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reading }: { id: string; reading: ReadingInput }) => rereadImport(id, reading),
    onSuccess: (saved) => queryClient.setQueryData([...importsKey, saved.id], saved),
  });
}

export function useStartImport() {
  const queryClient = useQueryClient();
  const refresh = useSetImport();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: StartImportInput }) => startImport(id, input),
    onSuccess: (saved) => {
      queryClient.setQueryData([...importsKey, saved.id], saved);
      refresh(saved);
      // New and changed contacts show in the list once the import has run.
      void queryClient.invalidateQueries({ queryKey: ['contacts'] });
    },
  });
}

export function useCancelImport() {
  const refresh = useSetImport();
  return useMutation({ mutationFn: (id: string) => cancelImport(id), onSuccess: (_, id) => refresh({ id }) });
}

export function useDeleteImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteImport(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...importsKey, 'list'] }),
  });
}
