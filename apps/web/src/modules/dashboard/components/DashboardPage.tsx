import { SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { ServerStatusCard } from './ServerStatusCard.tsx';

export function DashboardPage() {
  const { t } = useTranslation();
  usePageTitle(t('dashboard.title'));

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1}>{t('dashboard.title')}</Title>
        <Text c="dimmed">{t('dashboard.intro')}</Text>
      </Stack>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <ServerStatusCard />
      </SimpleGrid>
    </Stack>
  );
}
