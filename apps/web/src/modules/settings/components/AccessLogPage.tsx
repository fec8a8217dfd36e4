import {
  Badge,
  Button,
  Code,
  Group,
  Loader,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useHasRight } from '../../auth/index.ts';
import { type AccessEntry, type AccessFilter, accessKinds, accessRecordTypes } from '../api/accessLog.ts';
import type { User } from '../api/users.ts';
import { useAccessLog } from '../hooks/useAccessLog.ts';
import { useUserDirectory } from '../hooks/useUsers.ts';
import { dayAfter, startOfDay } from './dateRange.ts';
import { LogFilterForm } from './LogFilterForm.tsx';

function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

/** Who saw which contacts and companies, when, and for what purpose. */
export function AccessLogPage() {
  const { t } = useTranslation();
  usePageTitle(t('navSections.accessLog'));
  const [filter, setFilter] = useState<AccessFilter>({});
  const log = useAccessLog(filter);
  const users = useUserDirectory(useHasRight('users:read'));

  const entries = log.data?.pages.flatMap((page) => page.items) ?? [];
  const userName = (userId: string | null) => {
    if (userId === null) return undefined;
    return users.data?.get(userId)?.email ?? shortId(userId);
  };

  return (
    <Stack gap="lg" data-testid="access-log-page">
      <Stack gap={4}>
        <Title order={1}>{t('navSections.accessLog')}</Title>
        <Text c="dimmed">{t('settings.accessLog.intro')}</Text>
      </Stack>

      <AccessFilterForm users={users.data} onApply={setFilter} />

      {log.isPending ? (
        <Loader />
      ) : log.isError ? (
        <ErrorAlert error={log.error} />
      ) : entries.length === 0 ? (
        <Text c="dimmed" data-testid="access-log-empty">
          {t('settings.accessLog.empty')}
        </Text>
      ) : (
        <>
          <AccessTable entries={entries} userName={userName} />
          {log.hasNextPage && (
            <Group justify="center">
              <Button
                variant="default"
                onClick={() => void log.fetchNextPage()}
                loading={log.isFetchingNextPage}
                data-testid="access-log-more"
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

function AccessFilterForm({
  users,
  onApply,
}: {
  users: Map<string, User> | undefined;
  onApply: (filter: AccessFilter) => void;
}) {
  const { t } = useTranslation();
  const [userId, setUserId] = useState<string | null>(null);
  const [recordType, setRecordType] = useState<string | null>(null);
  const [recordId, setRecordId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');

  const userOptions = [...(users?.values() ?? [])].map((user) => ({ value: user.id, label: user.email }));
  const typeOptions = accessRecordTypes.map((type) => ({
    value: type,
    label: t(`settings.accessLog.recordTypes.${type}`),
  }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({
      userId: userId ?? undefined,
      recordType: accessRecordTypes.find((type) => type === recordType),
      recordId: recordId.trim() || undefined,
      from: startOfDay(from),
      to: dayAfter(to),
    });
  };
  const reset = () => {
    setUserId(null);
    setRecordType(null);
    setRecordId('');
    setFrom('');
    setTo('');
    onApply({});
  };

  return (
    <LogFilterForm
      testId="access-log-filter"
      columns={5}
      from={from}
      to={to}
      onFromChange={setFrom}
      onToChange={setTo}
      onSubmit={submit}
      onReset={reset}
    >
      {users ? (
        <Select
          label={t('settings.accessLog.user')}
          placeholder={t('settings.accessLog.anyUser')}
          data={userOptions}
          value={userId}
          onChange={setUserId}
          searchable
          clearable
        />
      ) : (
        <TextInput
          label={t('settings.accessLog.userId')}
          value={userId ?? ''}
          onChange={(event) => setUserId(event.currentTarget.value.trim() || null)}
        />
      )}
      <Select
        label={t('settings.accessLog.recordType')}
        placeholder={t('settings.accessLog.anyType')}
        data={typeOptions}
        value={recordType}
        onChange={setRecordType}
        clearable
      />
      <TextInput
        label={t('settings.accessLog.recordId')}
        value={recordId}
        onChange={(event) => setRecordId(event.currentTarget.value)}
      />
    </LogFilterForm>
  );
}

function AccessTable({
  entries,
  userName,
}: {
  entries: AccessEntry[];
  userName: (userId: string | null) => string | undefined;
}) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();

  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="xs" data-testid="access-log-entries">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('settings.audit.when')}</Table.Th>
            <Table.Th>{t('settings.audit.who')}</Table.Th>
            <Table.Th>{t('settings.accessLog.kind')}</Table.Th>
            <Table.Th>{t('settings.accessLog.records')}</Table.Th>
            <Table.Th>{t('settings.accessLog.purpose')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => {
            const kind = accessKinds.find((known) => known === entry.kind);
            const type = accessRecordTypes.find((known) => known === entry.recordType);
            return (
              <Table.Tr key={entry.id} data-testid="access-log-entry">
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.occurredAt)}</Table.Td>
                <Table.Td>
                  <Text size="sm">{userName(entry.userId) ?? '—'}</Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color="gray" size="sm">
                    {kind ? t(`settings.accessLog.kinds.${kind}`) : entry.kind}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {type
                      ? t(`settings.accessLog.recordCount.${type}`, { count: entry.recordIds.length })
                      : `${entry.recordType} × ${entry.recordIds.length}`}
                  </Text>
                  <Text size="xs" c="dimmed" title={entry.recordIds.join('\n')}>
                    {entry.recordIds.slice(0, 3).map(shortId).join(', ')}
                    {entry.recordIds.length > 3 && ' …'}
                  </Text>
                </Table.Td>
                <Table.Td>{entry.purpose ? <Code>{entry.purpose}</Code> : '—'}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
