import { Anchor, Badge, Button, Code, Group, Loader, Select, Stack, Table, Text, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useHasRight } from '../../auth/index.ts';
import { type ContactChoice, ContactSelect } from '../../contacts/index.ts';
import { newsletterTitle, useNewsletterChoices } from '../../newsletters/index.ts';
import { dayAfter, LogFilterForm, startOfDay } from '../../settings/index.ts';
import type { LogEntry, LogFilter } from '../api/log.ts';
import { useAllQuestions } from '../hooks/useQuestions.ts';
import { useConsentLog } from '../hooks/useReports.ts';
import { useUserNames } from '../hooks/useUserNames.ts';
import { CONSENT_SOURCES, pickText } from '../model/vocabulary.ts';
import { useConsentLabels } from './labels.ts';

const typeColor: Record<LogEntry['type'], string> = {
  consent: 'blue',
  subscription: 'grape',
  processing: 'teal',
};
const stateColor: Record<string, string> = {
  'dpv:ConsentGiven': 'green',
  'dpv:ConsentRefused': 'red',
  'dpv:ConsentWithdrawn': 'red',
  'dpv:Prohibition': 'red',
};
const subscriptionEvents = ['requested', 'confirmed', 'unsubscribed', 'expired', 'resubscribed'] as const;

/**
 * `/privacy/consent-log`: every consent answer, newsletter event and staff reaction, newest first,
 * with who acted and when; never changed, only added to.
 */
export function ConsentLogPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('navSections.consentLog'));
  const [filter, setFilter] = useState<LogFilter>({});
  const log = useConsentLog(filter, i18n.language.slice(0, 2));
  const entries = log.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack gap="lg" data-testid="consent-log-page">
      <Stack gap={4}>
        <Title order={1}>{t('navSections.consentLog')}</Title>
        <Text c="dimmed" maw={760}>
          {t('consent.log.intro')}
        </Text>
      </Stack>
      <LogFilters onApply={setFilter} />
      {log.isPending ? (
        <Loader />
      ) : log.isError ? (
        <ErrorAlert error={log.error} />
      ) : entries.length === 0 ? (
        <Text c="dimmed" data-testid="consent-log-empty">
          {t('consent.log.empty')}
        </Text>
      ) : (
        <>
          <LogTable entries={entries} />
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

function LogFilters({ onApply }: { onApply: (filter: LogFilter) => void }) {
  const { t, i18n } = useTranslation();
  const labels = useConsentLabels();
  const questions = useAllQuestions();
  const [contact, setContact] = useState<ContactChoice | null>(null);
  const [questionId, setQuestionId] = useState<string | null>(null);
  const [source, setSource] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({
      contactId: contact?.id,
      questionId: questionId ?? undefined,
      source: source ?? undefined,
      from: startOfDay(from),
      to: dayAfter(to),
    });
  };
  const reset = () => {
    setContact(null);
    setQuestionId(null);
    setSource(null);
    setFrom('');
    setTo('');
    onApply({});
  };

  return (
    <LogFilterForm
      testId="consent-log-filter"
      columns={5}
      from={from}
      to={to}
      onFromChange={setFrom}
      onToChange={setTo}
      onSubmit={submit}
      onReset={reset}
    >
      <ContactSelect
        label={t('consent.log.contact')}
        value={contact}
        onChange={setContact}
        testId="consent-log-contact"
      />
      <Select
        label={t('consent.log.question')}
        data={(questions.data ?? []).map((question) => ({
          value: question.id,
          label:
            pickText(
              { de: question.texts.de?.label, en: question.texts.en?.label, fr: question.texts.fr?.label },
              i18n.language,
            ) || question.key,
        }))}
        value={questionId}
        onChange={setQuestionId}
        searchable
        clearable
        data-testid="consent-log-question"
      />
      <Select
        label={t('consent.log.source')}
        data={CONSENT_SOURCES.map((value) => ({ value, label: labels.source(value) }))}
        value={source}
        onChange={setSource}
        clearable
        data-testid="consent-log-source"
      />
    </LogFilterForm>
  );
}

function LogTable({ entries }: { entries: LogEntry[] }) {
  const { t, i18n } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const labels = useConsentLabels();
  const userName = useUserNames();
  const newsletters = useNewsletterChoices(useHasRight('marketing:read'));
  const who = (entry: LogEntry) => {
    if (entry.byContact) return t('consent.log.byContact');
    if (entry.actorUserId) return userName(entry.actorUserId) ?? entry.actorUserId.slice(0, 8);
    return t('consent.log.bySystem');
  };
  const newsletterName = (id: string | null) => {
    const newsletter = newsletters.data?.find((candidate) => candidate.id === id);
    return newsletter ? newsletterTitle(newsletter, i18n.language) : t('consent.changes.aNewsletter');
  };

  return (
    <Table.ScrollContainer minWidth={980}>
      <Table verticalSpacing="xs" data-testid="consent-log">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('consent.log.when')}</Table.Th>
            <Table.Th>{t('consent.log.contact')}</Table.Th>
            <Table.Th>{t('consent.log.what')}</Table.Th>
            <Table.Th>{t('consent.log.who')}</Table.Th>
            <Table.Th>{t('consent.log.source')}</Table.Th>
            <Table.Th>{t('consent.log.evidence')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => {
            const event = subscriptionEvents.find((candidate) => candidate === entry.subscriptionEvent);
            return (
              <Table.Tr
                key={`${entry.type}-${entry.id}`}
                data-testid="consent-log-entry"
                data-type={entry.type}
              >
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.occurredAt)}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/contacts/${entry.contactId}/gdpr`} size="sm">
                    {entry.contactName ?? t('consent.changes.contactN', { id: entry.contactId.slice(0, 8) })}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap" align="flex-start">
                    <Badge variant="light" color={typeColor[entry.type]} size="sm">
                      {t(`consent.log.types.${entry.type}`)}
                    </Badge>
                    <Stack gap={2}>
                      {entry.type === 'consent' && (
                        <>
                          <Text size="sm">
                            {entry.question ?? entry.questionKey}
                            {entry.version !== null && (
                              <Text span size="xs" c="dimmed" ml={6}>
                                {t('consent.questions.versionN', { version: entry.version })}
                              </Text>
                            )}
                          </Text>
                          <Group gap={4}>
                            <Badge
                              size="sm"
                              variant="filled"
                              tt="none"
                              color={(entry.state && stateColor[entry.state]) ?? 'gray'}
                            >
                              {entry.answer ?? entry.optionKey}
                            </Badge>
                            {entry.state && (
                              <Text size="xs" c="dimmed">
                                {labels.state(entry.state)}
                              </Text>
                            )}
                          </Group>
                        </>
                      )}
                      {entry.type === 'subscription' && (
                        <Text size="sm">
                          {newsletterName(entry.newsletterId)}:{' '}
                          {event ? t(`consent.log.subscriptionEvents.${event}`) : entry.subscriptionEvent}
                        </Text>
                      )}
                      {entry.type === 'processing' && <Text size="sm">{entry.actionTaken}</Text>}
                    </Stack>
                  </Group>
                </Table.Td>
                <Table.Td>{who(entry)}</Table.Td>
                <Table.Td>
                  <Text size="sm">{entry.source ? labels.source(entry.source) : '—'}</Text>
                  {entry.legalBasis && (
                    <Text size="xs" c="dimmed">
                      {labels.legalBasis(entry.legalBasis)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {entry.textHash ? (
                    <Code title={t('consent.log.textHash', { hash: entry.textHash })}>
                      {entry.textHash.slice(0, 10)}
                    </Code>
                  ) : (
                    '—'
                  )}
                  {entry.sourceRef && (
                    <Text size="xs" c="dimmed" ff="monospace" title={entry.sourceRef}>
                      {entry.sourceRef.length > 14 ? `${entry.sourceRef.slice(0, 12)}…` : entry.sourceRef}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
