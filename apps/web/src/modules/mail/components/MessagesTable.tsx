import { Badge, Button, Group, Loader, Select, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { MESSAGE_STATUSES, type MessageStatus } from '../api/mail.ts';
import { useMessages } from '../hooks/useMail.ts';
import { statusColors } from './statusColors.ts';

const knownKinds = ['auto-reply', 'notification', 'transactional', 'newsletter'] as const;

/** Every message Kontor sends, with its state, attempts, next attempt and last error; filtered by state. */
export function MessagesTable() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<MessageStatus | undefined>(undefined);
  const messages = useMessages(status);
  const formatDateTime = useFormatDateTime();
  const items = messages.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack gap="md" data-testid="mail-messages">
      <Group justify="space-between" align="flex-end">
        <Select
          label={t('mail.messages.filter')}
          data={[
            { value: 'all', label: t('mail.messages.all') },
            ...MESSAGE_STATUSES.map((state) => ({ value: state, label: t(`mail.statuses.${state}`) })),
          ]}
          value={status ?? 'all'}
          onChange={(value) =>
            setStatus(value === 'all' || value === null ? undefined : (value as MessageStatus))
          }
          allowDeselect={false}
          w={220}
          data-testid="mail-status-filter"
        />
        <Button variant="default" onClick={() => void messages.refetch()} loading={messages.isRefetching}>
          {t('mail.refresh')}
        </Button>
      </Group>
      {messages.isPending ? (
        <Loader />
      ) : messages.isError ? (
        <ErrorAlert error={messages.error} />
      ) : items.length === 0 ? (
        <Text c="dimmed" data-testid="mail-messages-empty">
          {t('mail.messages.empty')}
        </Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="xs" data-testid="mail-messages-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('mail.messages.createdAt')}</Table.Th>
                  <Table.Th>{t('mail.messages.kind')}</Table.Th>
                  <Table.Th>{t('mail.messages.to')}</Table.Th>
                  <Table.Th>{t('mail.messages.subject')}</Table.Th>
                  <Table.Th>{t('mail.messages.status')}</Table.Th>
                  <Table.Th ta="right">{t('mail.messages.attempts')}</Table.Th>
                  <Table.Th>{t('mail.messages.nextAttempt')}</Table.Th>
                  <Table.Th>{t('mail.messages.lastError')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((message) => {
                  const kind = knownKinds.find((known) => known === message.kind);
                  return (
                    <Table.Tr key={message.id} data-testid="mail-message" data-status={message.status}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(message.createdAt)}
                        {message.sentAt && (
                          <Text size="xs" c="dimmed">
                            {t('mail.messages.sentAt', { at: formatDateTime(message.sentAt) })}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{kind ? t(`mail.kinds.${kind}`) : message.kind}</Table.Td>
                      <Table.Td>{message.to}</Table.Td>
                      <Table.Td>{message.subject}</Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={statusColors[message.status]}>
                          {t(`mail.statuses.${message.status}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td ta="right">{message.attempts}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {message.nextAttemptAt ? formatDateTime(message.nextAttemptAt) : '—'}
                      </Table.Td>
                      <Table.Td>
                        {message.lastError ? (
                          <Text size="xs" ff="monospace" lineClamp={3} title={message.lastError}>
                            {message.lastError}
                          </Text>
                        ) : (
                          '—'
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {messages.hasNextPage && (
            <Group justify="center">
              <Button
                variant="default"
                onClick={() => void messages.fetchNextPage()}
                loading={messages.isFetchingNextPage}
              >
                {t('common.loadMore')}
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}
