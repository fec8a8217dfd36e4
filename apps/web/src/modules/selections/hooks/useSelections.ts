import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  countFilter,
  createSelection,
  deleteSelection,
  type FilterJson,
  getSelection,
  listSelections,
  updateSelection,
} from '../api/selections.ts';
import type { SelectionPurpose } from '../filter.ts';

export const selectionsKey = ['selections'] as const;

export function useSelectionList() {
  return useQuery({ queryKey: [...selectionsKey, 'list'], queryFn: ({ signal }) => listSelections(signal) });
}

export function useSelection(id: string) {
  return useQuery({ queryKey: [...selectionsKey, id], queryFn: ({ signal }) => getSelection(id, signal) });
}

/** The live count of a filter (the caller debounces it); the last count stays while the next loads. */
export function useFilterCount(filter: FilterJson | null, purpose: SelectionPurpose) {
  const key = filter === null ? null : JSON.stringify(filter);
  return useQuery({
    queryKey: [...selectionsKey, 'count', key, purpose],
    queryFn: ({ signal }) => countFilter(filter ?? {}, purpose, signal),
    enabled: filter !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

function useInvalidate() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: selectionsKey });
}

export function useCreateSelection() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: createSelection, onSuccess: invalidate });
}

export function useUpdateSelection() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: Parameters<typeof updateSelection>[1] }) =>
      updateSelection(id, changes),
    onSuccess: invalidate,
  });
}

export function useDeleteSelection() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: deleteSelection, onSuccess: invalidate });
}
