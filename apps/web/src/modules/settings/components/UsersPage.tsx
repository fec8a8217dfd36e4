import { Badge, Button, Group, Loader, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useCurrentUser, useHasRight } from '../../auth/index.ts';
import type { User } from '../api/users.ts';
import { useRoleLabel, useRoles } from '../hooks/useRoles.ts';
import { useUsers } from '../hooks/useUsers.ts';
import { UserFormModal } from './UserFormModal.tsx';

export function UsersPage() {
  const { t } = useTranslation();
  usePageTitle(t('navSections.users'));
  const me = useCurrentUser();
  const users = useUsers();
  const roles = useRoles();
  const roleLabel = useRoleLabel();
  const formatDateTime = useFormatDateTime();
  const mayCreate = useHasRight('users:create');
  const mayUpdate = useHasRight('users:update');
  // undefined: no dialog; null: the "add user" dialog; a user: that user's edit dialog.
  const [editing, setEditing] = useState<User | null | undefined>(undefined);

  const roleById = new Map((roles.data ?? []).map((role) => [role.id, role]));
  const labelOf = (role: { id: string; name: string }) => {
    const known = roleById.get(role.id);
    return known ? roleLabel(known) : role.name;
  };
  const rows = users.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack gap="lg" data-testid="users-page">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1}>{t('navSections.users')}</Title>
          <Text c="dimmed">{t('settings.users.intro')}</Text>
        </Stack>
        {mayCreate && (
          <Button onClick={() => setEditing(null)} data-testid="user-new">
            {t('settings.users.new')}
          </Button>
        )}
      </Group>

      {users.isPending ? (
        <Loader />
      ) : users.isError ? (
        <ErrorAlert error={users.error} />
      ) : (
        <>
          <Table.ScrollContainer minWidth={860}>
            <Table highlightOnHover verticalSpacing="sm" data-testid="users">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('settings.users.name')}</Table.Th>
                  <Table.Th>{t('settings.users.email')}</Table.Th>
                  <Table.Th>{t('settings.users.roles')}</Table.Th>
                  <Table.Th>{t('settings.users.scope.column')}</Table.Th>
                  <Table.Th>{t('settings.users.created')}</Table.Th>
                  {mayUpdate && (
                    <Table.Th>
                      <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((user) => (
                  <Table.Tr key={user.id} data-testid="user-row">
                    <Table.Td fw={500}>
                      {user.displayName ?? '—'}
                      {user.id === me.userId && (
                        <Badge ml="xs" size="xs" variant="outline">
                          {t('settings.users.you')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{user.email}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {user.roles.length === 0 ? (
                          <Text size="sm" c="dimmed">
                            {t('settings.users.noRoles')}
                          </Text>
                        ) : (
                          user.roles.map((role) => (
                            <Badge key={role.id} variant="light">
                              {labelOf(role)}
                            </Badge>
                          ))
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td data-testid="user-scope">
                      {user.contactScope === null ? (
                        <Text size="sm" c="dimmed">
                          {t('settings.users.scope.allContacts')}
                        </Text>
                      ) : (
                        <Group gap={4}>
                          {user.contactScope.map((tag) => (
                            <Badge key={tag} variant="outline" color="grape" data-testid="user-scope-tag">
                              {tag}
                            </Badge>
                          ))}
                        </Group>
                      )}
                    </Table.Td>
                    <Table.Td>{formatDateTime(user.createdAt)}</Table.Td>
                    {mayUpdate && (
                      <Table.Td ta="right">
                        <Button size="xs" variant="subtle" onClick={() => setEditing(user)}>
                          {t('common.edit')}
                        </Button>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {users.hasNextPage && (
            <Group justify="center">
              <Button
                variant="default"
                onClick={() => void users.fetchNextPage()}
                loading={users.isFetchingNextPage}
              >
                {t('common.loadMore')}
              </Button>
            </Group>
          )}
        </>
      )}

      {editing !== undefined && (
        <UserFormModal
          user={editing ?? undefined}
          roles={roles.data ?? []}
          onClose={() => setEditing(undefined)}
        />
      )}
    </Stack>
  );
}
