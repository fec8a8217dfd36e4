import { Anchor, Badge, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { NotFoundPage } from '../../../app/NotFoundPage.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useHasRight } from '../../auth/index.ts';
import { isUuid } from '../../contacts/index.ts';
import type { Submission } from '../api/forms.ts';
import { useForm, useMessageStates, useSpamCounts, useSubmissions } from '../hooks/useForms.ts';

/** `/forms/:formId/submissions`: what visitors sent, newest first, with the contact and the auto-reply. */
export function SubmissionsPage() {
  const { formId = '' } = useParams();
  if (!isUuid(formId)) return <NotFoundPage />;
  return <Submissions formId={formId} />;
}

const messageColors: Record<string, string> = {
  queued: 'blue',
  sending: 'blue',
  sent: 'green',
  deferred: 'yellow',
  failed: 'red',
  held: 'orange',
};

function Submissions({ formId }: { formId: string }) {
  const { t } = useTranslation();
  const form = useForm(formId);
  const submissions = useSubmissions(formId);
  const spam = useSpamCounts(formId);
  const mayReadMail = useHasRight('settings:read');
  const states = useMessageStates(mayReadMail);
  const formatDateTime = useFormatDateTime();
  usePageTitle(t('forms.submissionsOf', { name: form.data?.name ?? '' }));
  const items = submissions.data?.pages.flatMap((page) => page.items) ?? [];
  if (form.error instanceof ApiError && form.error.status === 404) return <NotFoundPage />;

  const autoReply = (submission: Submission) => {
    if (submission.autoReplyMessageId === null) return <Text c="dimmed">—</Text>;
    const status = states.data?.get(submission.autoReplyMessageId);
    const known = status !== undefined && status in messageColors ? (status as 'sent') : undefined;
    return (
      <Badge
        variant="light"
        color={known ? messageColors[known] : 'gray'}
        data-testid="submission-auto-reply"
        data-status={status ?? ''}
      >
        {known ? t(`mail.statuses.${known}`) : t('forms.submission.autoReplyQueued')}
      </Badge>
    );
  };

  return (
    <Stack gap="lg" data-testid="submissions-page">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Anchor component={Link} to={`/forms/${formId}`} size="sm">
            ← {form.data?.name ?? t('modules.forms')}
          </Anchor>
          <Title order={1}>{t('forms.submissions')}</Title>
        </Stack>
        <Button
          variant="default"
          onClick={() => void submissions.refetch()}
          loading={submissions.isRefetching}
        >
          {t('forms.submission.refresh')}
        </Button>
      </Group>
      {submissions.isPending ? (
        <Loader />
      ) : submissions.isError ? (
        <ErrorAlert error={submissions.error} />
      ) : items.length === 0 ? (
        <Text c="dimmed" data-testid="submissions-empty">
          {t('forms.submission.empty')}
        </Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" data-testid="submissions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('forms.submission.date')}</Table.Th>
                  <Table.Th>{t('forms.submission.contact')}</Table.Th>
                  <Table.Th>{t('forms.submission.language')}</Table.Th>
                  <Table.Th>{t('forms.submission.values')}</Table.Th>
                  <Table.Th>{t('forms.submission.autoReply')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((submission) => (
                  <Table.Tr key={submission.id} data-testid="submission-row">
                    <Table.Td style={{ whiteSpace: 'nowrap', verticalAlign: 'top' }}>
                      {formatDateTime(submission.createdAt)}
                      <Text size="xs" c="dimmed">
                        {t('forms.versionN', { version: submission.formVersion })}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ verticalAlign: 'top' }}>
                      {submission.status === 'received' ? (
                        <Badge
                          variant="light"
                          color="blue"
                          data-testid="submission-status"
                          data-status="received"
                        >
                          {t('forms.submission.processing')}
                        </Badge>
                      ) : submission.status === 'failed' ? (
                        <Stack gap={2}>
                          <Badge
                            variant="light"
                            color="red"
                            data-testid="submission-status"
                            data-status="failed"
                          >
                            {t('forms.submission.failed')}
                          </Badge>
                          {submission.failure && (
                            <Text size="xs" c="dimmed">
                              {submission.failure}
                            </Text>
                          )}
                        </Stack>
                      ) : submission.contactId ? (
                        <Anchor
                          component={Link}
                          to={`/contacts/${submission.contactId}`}
                          data-testid="submission-contact"
                        >
                          {t('forms.submission.openContact')}
                        </Anchor>
                      ) : (
                        <Text c="dimmed">—</Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ verticalAlign: 'top' }}>
                      {submission.language?.toUpperCase() ?? '—'}
                    </Table.Td>
                    <Table.Td style={{ verticalAlign: 'top' }}>
                      <Values data={submission.data} />
                    </Table.Td>
                    <Table.Td style={{ verticalAlign: 'top' }}>{autoReply(submission)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {submissions.hasNextPage && (
            <Group justify="center">
              <Button
                variant="default"
                onClick={() => void submissions.fetchNextPage()}
                loading={submissions.isFetchingNextPage}
              >
                {t('common.loadMore')}
              </Button>
            </Group>
          )}
        </>
      )}
      {spam.data && spam.data.length > 0 && (
        <Stack gap="xs" data-testid="spam-counts">
          <Title order={2} size="h4">
            {t('forms.spam.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('forms.spam.hint')}
          </Text>
          <Table maw={520}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('forms.spam.day')}</Table.Th>
                <Table.Th>{t('forms.spam.reason')}</Table.Th>
                <Table.Th ta="right">{t('forms.spam.count')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {spam.data.map((row) => (
                <Table.Tr key={`${row.day}-${row.reason}`}>
                  <Table.Td>{row.day}</Table.Td>
                  <Table.Td>
                    <Text span ff="monospace" size="sm">
                      {row.reason}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{row.count}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Stack>
  );
}

function Values({ data }: { data: Record<string, unknown> }) {
  const entries = Object.entries(data);
  if (entries.length === 0) return <Text c="dimmed">—</Text>;
  return (
    <Stack gap={2} data-testid="submission-values">
      {entries.map(([name, value]) => (
        <Text key={name} size="sm" lineClamp={3}>
          <Text span ff="monospace" size="xs" c="dimmed">
            {name}:
          </Text>{' '}
          {show(value)}
        </Text>
      ))}
    </Stack>
  );
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(show).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
