import { Badge, Button, Code, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { RequireRight, useCurrentUser, useHasRight } from '../../auth/index.ts';
import { useRecordAccess, useUserDirectory } from '../hooks/useRecordAccess.ts';

const accessKinds = ['read', 'search', 'export'] as const;

/**
 * "Who looked at this person": the access log entries that name this record — each detail read,
 * each search or list page it appeared on, each export — newest first. Only for users with the
 * right the server asks for (`privacy:read`).
 */
export function RecordAccessPanel({ recordId, kind }: { recordId: string; kind: 'contact' | 'company' }) {
  return (
    <RequireRight right="privacy:read">
      <AccessEntries recordId={recordId} kind={kind} />
    </RequireRight>
  );
}

function AccessEntries({ recordId, kind }: { recordId: string; kind: 'contact' | 'company' }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const me = useCurrentUser();
  const log = useRecordAccess(recordId);
  const users = useUserDirectory(useHasRight('users:read'));
  const entries = log.data?.pages.flatMap((page) => page.items) ?? [];

  const who = (userId: string | null) => {
    if (userId === null) return t('contacts.accessLog.unknownUser');
    if (userId === me.userId) return t('contacts.accessLog.you', { email: me.email });
    const user = users.data?.get(userId);
    return user
      ? user.displayName
        ? `${user.displayName} (${user.email})`
        : user.email
      : `${userId.slice(0, 8)}…`;
  };

  return (
    <Stack gap="md" data-testid="record-access-log">
      <Text size="sm" c="dimmed">
        {t(kind === 'contact' ? 'contacts.accessLog.introContact' : 'contacts.accessLog.introCompany')}
      </Text>
      {log.isPending ? (
        <Loader />
      ) : log.isError ? (
        <ErrorAlert error={log.error} />
      ) : entries.length === 0 ? (
        <Text c="dimmed" data-testid="record-access-empty">
          {t('contacts.accessLog.empty')}
        </Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="xs" data-testid="record-access-entries">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('contacts.accessLog.when')}</Table.Th>
                  <Table.Th>{t('contacts.accessLog.who')}</Table.Th>
                  <Table.Th>{t('contacts.accessLog.kind')}</Table.Th>
                  <Table.Th>{t('contacts.accessLog.purpose')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.map((entry) => {
                  const known = accessKinds.find((candidate) => candidate === entry.kind);
                  return (
                    <Table.Tr key={entry.id} data-testid="record-access-entry" data-kind={entry.kind}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.occurredAt)}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{who(entry.userId)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color="gray" size="sm">
                          {known ? t(`contacts.accessLog.kinds.${known}`) : entry.kind}
                        </Badge>
                        {entry.recordIds.length > 1 && (
                          <Text size="xs" c="dimmed">
                            {t('contacts.accessLog.withOthers', { count: entry.recordIds.length - 1 })}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{entry.purpose ? <Code>{entry.purpose}</Code> : '—'}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {log.hasNextPage && (
            <Group justify="center">
              <Button
                variant="default"
                onClick={() => void log.fetchNextPage()}
                loading={log.isFetchingNextPage}
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
