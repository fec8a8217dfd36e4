import type { CustomFieldObjectType } from '@kontor/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createCustomField,
  deleteCustomField,
  listCustomFields,
  renameCustomField,
  type UpdateCustomFieldInput,
  updateCustomField,
} from '../api/customFields.ts';

export const customFieldsKey = ['custom-fields'] as const;

/** The tenant's custom-field definitions of contacts or companies, in form order. */
export function useCustomFields(objectType: CustomFieldObjectType) {
  return useQuery({
    queryKey: [...customFieldsKey, objectType],
    queryFn: ({ signal }) => listCustomFields(objectType, signal),
    staleTime: 30_000,
  });
}

function useInvalidate() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: customFieldsKey });
    // Records carry the values under the keys: a rename or delete changes what they show.
    void queryClient.invalidateQueries({ queryKey: ['contacts'] });
    void queryClient.invalidateQueries({ queryKey: ['companies'] });
  };
}

export function useCreateCustomField() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: createCustomField, onSuccess: invalidate });
}

export function useUpdateCustomField() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: UpdateCustomFieldInput }) =>
      updateCustomField(id, changes),
    onSuccess: invalidate,
  });
}

export function useRenameCustomField() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, key }: { id: string; key: string }) => renameCustomField(id, key),
    onSuccess: invalidate,
  });
}

export function useDeleteCustomField() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: deleteCustomField, onSuccess: invalidate });
}
