import { Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useCurrentUser } from '../../auth/index.ts';
import { ApiTokensCard } from './ApiTokensCard.tsx';
import { PasswordCard } from './PasswordCard.tsx';
import { TwoFactorCard } from './TwoFactorCard.tsx';

export function ProfilePage() {
  const { t } = useTranslation();
  usePageTitle(t('profile.title'));
  const me = useCurrentUser();

  return (
    <Stack gap="lg" maw={820} data-testid="profile-page">
      <Stack gap={4}>
        <Title order={1}>{t('profile.title')}</Title>
        <Text c="dimmed">{t('profile.intro')}</Text>
      </Stack>

      <Card withBorder radius="md" padding="lg">
        <Title order={2} size="h4" mb="sm">
          {t('profile.account.title')}
        </Title>
        <Table variant="vertical" layout="fixed" withRowBorders={false} verticalSpacing={4}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={180}>{t('profile.account.name')}</Table.Th>
              <Table.Td>{me.displayName ?? '—'}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('profile.account.email')}</Table.Th>
              <Table.Td data-testid="profile-email">{me.email}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('profile.account.roles')}</Table.Th>
              <Table.Td>
                <Group gap={6}>
                  {me.roles.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      {t('profile.account.noRoles')}
                    </Text>
                  ) : (
                    me.roles.map((role) => (
                      <Badge key={role} variant="light">
                        {role}
                      </Badge>
                    ))
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Card>

      <PasswordCard />
      <TwoFactorCard />
      <ApiTokensCard />
    </Stack>
  );
}
