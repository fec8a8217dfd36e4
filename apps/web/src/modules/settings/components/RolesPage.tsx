import { Anchor, Badge, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { areas, parseRight } from '../../../api/rights.ts';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useHasRight } from '../../auth/index.ts';
import { useRoleLabel, useRoles } from '../hooks/useRoles.ts';

export function RolesPage() {
  const { t } = useTranslation();
  usePageTitle(t('navSections.roles'));
  const roles = useRoles();
  const roleLabel = useRoleLabel();
  const mayCreate = useHasRight('users:create');

  return (
    <Stack gap="lg" data-testid="roles-page">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1}>{t('navSections.roles')}</Title>
          <Text c="dimmed">{t('settings.roles.intro')}</Text>
        </Stack>
        {mayCreate && (
          <Button component={Link} to="/settings/roles/new" data-testid="role-new">
            {t('settings.roles.new')}
          </Button>
        )}
      </Group>

      {roles.isPending ? (
        <Loader />
      ) : roles.isError ? (
        <ErrorAlert error={roles.error} />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table highlightOnHover verticalSpacing="sm" data-testid="roles">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('settings.roles.name')}</Table.Th>
                <Table.Th>{t('settings.roles.kind')}</Table.Th>
                <Table.Th>{t('settings.roles.areas')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {roles.data.map((role) => {
                const areasOfRole = areas.filter((area) =>
                  role.rights.some((right) => parseRight(right)?.area === area),
                );
                return (
                  <Table.Tr key={role.id} data-testid="role-row" data-builtin={role.builtinKey ?? ''}>
                    <Table.Td>
                      <Anchor component={Link} to={`/settings/roles/${role.id}`} fw={500}>
                        {roleLabel(role)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      {role.builtinKey ? (
                        <Badge variant="light" color={role.builtinKey === 'owner' ? 'grape' : 'blue'}>
                          {t(
                            role.builtinKey === 'owner'
                              ? 'settings.roles.fixed'
                              : 'settings.roles.builtinBadge',
                          )}
                        </Badge>
                      ) : (
                        <Badge variant="light" color="gray">
                          {t('settings.roles.customBadge')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed" lineClamp={2}>
                        {areasOfRole.length === 0
                          ? t('settings.roles.noRights')
                          : areasOfRole.map((area) => t(`rights.areas.${area}`)).join(', ')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
