import {
  Badge,
  Button,
  Code,
  EmptyState,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { type FormEvent, Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useHasRight } from '../../auth/index.ts';
import type { AuditChanges, AuditEntry, AuditFilter } from '../api/auditLog.ts';
import { useAuditLog } from '../hooks/useAuditLog.ts';
import { useUserDirectory } from '../hooks/useUsers.ts';
import { dayAfter, startOfDay } from './dateRange.ts';
import { LogFilterForm } from './LogFilterForm.tsx';

const actorKinds = ['user', 'api_token', 'system', 'cli'] as const;

export function AuditLogPage() {
  const { t } = useTranslation();
  usePageTitle(t('navSections.auditLog'));
  const [filter, setFilter] = useState<AuditFilter>({});
  const log = useAuditLog(filter);
  const users = useUserDirectory(useHasRight('users:read'));

  if (log.error instanceof ApiError && log.error.status === 404) {
    return (
      <EmptyState
        data-testid="audit-unavailable"
        mt="xl"
        title={t('settings.audit.unavailableTitle')}
        description={t('settings.audit.unavailable')}
      />
    );
  }

  const entries = log.data?.pages.flatMap((page) => page.items) ?? [];
  const actorName = (entry: AuditEntry) => {
    if (entry.actorUserId) {
      const user = users.data?.get(entry.actorUserId);
      return user ? (user.displayName ?? user.email) : entry.actorUserId.slice(0, 8);
    }
    return undefined;
  };

  return (
    <Stack gap="lg" data-testid="audit-log-page">
      <Stack gap={4}>
        <Title order={1}>{t('navSections.auditLog')}</Title>
        <Text c="dimmed">{t('settings.audit.intro')}</Text>
      </Stack>

      <AuditFilterForm onApply={setFilter} />

      {log.isPending ? (
        <Loader />
      ) : log.isError ? (
        <ErrorAlert error={log.error} />
      ) : entries.length === 0 ? (
        <Text c="dimmed" data-testid="audit-empty">
          {t('settings.audit.empty')}
        </Text>
      ) : (
        <>
          <AuditTable entries={entries} actorName={actorName} />
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

function AuditFilterForm({ onApply }: { onApply: (filter: AuditFilter) => void }) {
  const { t } = useTranslation();
  const [action, setAction] = useState('');
  const [entityType, setEntityType] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({
      action: action.trim() || undefined,
      entityType: entityType.trim() || undefined,
      from: startOfDay(from),
      to: dayAfter(to),
    });
  };
  const reset = () => {
    setAction('');
    setEntityType('');
    setFrom('');
    setTo('');
    onApply({});
  };

  return (
    <LogFilterForm
      testId="audit-filter"
      from={from}
      to={to}
      onFromChange={setFrom}
      onToChange={setTo}
      onSubmit={submit}
      onReset={reset}
    >
      <TextInput
        label={t('settings.audit.action')}
        placeholder="role.updated"
        value={action}
        onChange={(event) => setAction(event.currentTarget.value)}
      />
      <TextInput
        label={t('settings.audit.entityType')}
        placeholder="role"
        value={entityType}
        onChange={(event) => setEntityType(event.currentTarget.value)}
      />
    </LogFilterForm>
  );
}

function AuditTable({
  entries,
  actorName,
}: {
  entries: AuditEntry[];
  actorName: (entry: AuditEntry) => string | undefined;
}) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="xs" data-testid="audit-entries">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('settings.audit.when')}</Table.Th>
            <Table.Th>{t('settings.audit.who')}</Table.Th>
            <Table.Th>{t('settings.audit.action')}</Table.Th>
            <Table.Th>{t('settings.audit.entity')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('settings.audit.details')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => {
            const kind = actorKinds.find((known) => known === entry.actorKind);
            const name = actorName(entry);
            const expanded = open.has(entry.id);
            return (
              <Fragment key={entry.id}>
                <Table.Tr data-testid="audit-entry">
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.occurredAt)}</Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Badge variant="light" color="gray" size="sm">
                        {t(`settings.audit.actors.${kind ?? 'unknown'}`)}
                      </Badge>
                      {name && <Text size="sm">{name}</Text>}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Code>{entry.action}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {entry.entityType}
                      {entry.entityId && (
                        <Text span c="dimmed" size="xs" ml={6} title={entry.entityId}>
                          {entry.entityId.length > 12 ? `${entry.entityId.slice(0, 8)}…` : entry.entityId}
                        </Text>
                      )}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Button
                      size="xs"
                      variant="subtle"
                      onClick={() => toggle(entry.id)}
                      aria-expanded={expanded}
                    >
                      {t(expanded ? 'settings.audit.hideDetails' : 'settings.audit.showDetails')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
                {expanded && (
                  <Table.Tr>
                    <Table.Td colSpan={5} bg="var(--mantine-color-default-hover)">
                      <ChangesView changes={entry.changes} />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function json(value: unknown): string {
  return value === undefined ? '—' : JSON.stringify(value, null, 2);
}

function ChangesView({ changes }: { changes: AuditChanges }) {
  const { t } = useTranslation();
  switch (changes.kind) {
    case 'settings':
      return (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
          <Stack gap={4}>
            <Text size="xs" fw={600}>
              {t('settings.audit.before')}
            </Text>
            <Code block>{json(changes.before)}</Code>
          </Stack>
          <Stack gap={4}>
            <Text size="xs" fw={600}>
              {t('settings.audit.after')}
            </Text>
            <Code block>{json(changes.after)}</Code>
          </Stack>
        </SimpleGrid>
      );
    case 'personal-data':
      return (
        <Stack gap={4}>
          <Text size="sm">{t('settings.audit.personalData')}</Text>
          <Group gap={4}>
            {changes.fields.map((field) => (
              <Code key={field}>{field}</Code>
            ))}
          </Group>
        </Stack>
      );
    case 'other':
      return <Code block>{json(changes.raw)}</Code>;
  }
}
