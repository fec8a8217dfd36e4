import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { meQueryKey } from '../../auth/index.ts';
import {
  type BuiltinRoleKey,
  createRole,
  deleteRole,
  listRoles,
  type Role,
  type RoleInput,
  updateRole,
} from '../api/roles.ts';

const rolesKey = ['settings', 'roles'] as const;

export function useRoles() {
  return useQuery({ queryKey: rolesKey, queryFn: ({ signal }) => listRoles(signal) });
}

/** A role change may change the signed-in user's own rights, and the users list shows role names. */
function useInvalidateAfterRoleChange() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: rolesKey }),
      queryClient.invalidateQueries({ queryKey: ['settings', 'users'] }),
      queryClient.invalidateQueries({ queryKey: meQueryKey }),
    ]);
}

export function useCreateRole() {
  const invalidate = useInvalidateAfterRoleChange();
  return useMutation({ mutationFn: createRole, onSuccess: invalidate });
}

export function useUpdateRole() {
  const invalidate = useInvalidateAfterRoleChange();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: Partial<RoleInput> }) => updateRole(id, changes),
    onSuccess: invalidate,
  });
}

export function useDeleteRole() {
  const invalidate = useInvalidateAfterRoleChange();
  return useMutation({ mutationFn: deleteRole, onSuccess: invalidate });
}

// The names the server gives the built-in roles. While a built-in role keeps its name it is shown
// in the UI language; once a business renames it, its own name is shown.
const builtinDefaultNames: Record<BuiltinRoleKey, string> = {
  owner: 'Owner',
  admin: 'Admin',
  sales: 'Sales',
  marketing: 'Marketing',
  accounting: 'Accounting',
  privacy_officer: 'Privacy Officer',
  read_only: 'Read-only',
};

export function useRoleLabel(): (role: Pick<Role, 'name' | 'builtinKey'>) => string {
  const { t } = useTranslation();
  return useCallback(
    (role) =>
      role.builtinKey && role.name === builtinDefaultNames[role.builtinKey]
        ? t(`settings.roles.builtin.${role.builtinKey}`)
        : role.name,
    [t],
  );
}
