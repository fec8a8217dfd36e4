import {
  Badge,
  Button,
  Card,
  Group,
  Loader,
  type MantineColor,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type ServerState, useServerStatus } from '../hooks/useServerStatus.ts';

const stateLabelKey = {
  checking: 'serverStatus.checking',
  ready: 'serverStatus.ready',
  not_ready: 'serverStatus.notReady',
  unreachable: 'serverStatus.unreachable',
} as const satisfies Record<ServerState, string>;

const stateDescriptionKey = {
  checking: 'serverStatus.checkingDescription',
  ready: 'serverStatus.readyDescription',
  not_ready: 'serverStatus.notReadyDescription',
  unreachable: 'serverStatus.unreachableDescription',
} as const satisfies Record<ServerState, string>;

const stateColor: Record<ServerState, MantineColor> = {
  checking: 'gray',
  ready: 'green',
  not_ready: 'orange',
  unreachable: 'red',
};

export function ServerStatusCard() {
  const { t, i18n } = useTranslation();
  const status = useServerStatus();
  const showDetails = status.state === 'ready' || status.state === 'not_ready';

  return (
    <Card withBorder radius="md" padding="lg" data-testid="server-status" data-status={status.state}>
      <Stack gap="md">
        <Group justify="space-between" wrap="nowrap">
          <Title order={2} size="h4">
            {t('serverStatus.title')}
          </Title>
          <Badge
            size="lg"
            variant="light"
            color={stateColor[status.state]}
            leftSection={status.state === 'checking' ? <Loader size={10} color="gray" /> : undefined}
          >
            {t(stateLabelKey[status.state])}
          </Badge>
        </Group>
        <Text c="dimmed" size="sm">
          {t(stateDescriptionKey[status.state])}
        </Text>
        {showDetails && (
          <Table variant="vertical" layout="fixed" withRowBorders={false} verticalSpacing={4}>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w="50%">{t('serverStatus.database')}</Table.Th>
                <Table.Td data-testid="server-status-database">
                  {t(`serverStatus.databases.${status.database ?? 'unknown'}`)}
                </Table.Td>
              </Table.Tr>
              {status.migrations !== undefined && (
                <Table.Tr>
                  <Table.Th>{t('serverStatus.migrations')}</Table.Th>
                  <Table.Td>{status.migrations.toLocaleString(i18n.language)}</Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        )}
        <Group justify="space-between">
          <Text c="dimmed" size="xs">
            {status.checkedAt &&
              t('serverStatus.checkedAt', { time: status.checkedAt.toLocaleTimeString(i18n.language) })}
          </Text>
          <Button variant="default" size="xs" onClick={status.refresh} loading={status.isRefreshing}>
            {t('serverStatus.retry')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
