import {
  Alert,
  Badge,
  Button,
  EmptyState,
  Group,
  Loader,
  Modal,
  Radio,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { useHasRight } from '../../auth/index.ts';
import { newsletterTitle, useNewsletterChoices } from '../../newsletters/index.ts';
import type { GdprConsent, GdprSubscription } from '../api/gdpr.ts';
import { useGdpr, useSetConsent } from '../hooks/useGdpr.ts';
import { useQuestionChoices } from '../hooks/useQuestions.ts';
import { answerTone, toneColor } from '../model/answer.ts';
import { type Polarity, pickText } from '../model/vocabulary.ts';
import { useConsentLabels } from './labels.ts';

/** Answers staff recorded (or imported) leave nothing for staff to process. */
const staffSources: ReadonlySet<string> = new Set(['staff', 'import']);

type Row = GdprConsent & { choices: { key: string; label: string; polarity: Polarity }[] };

/**
 * A contact's GDPR tab: every consent question with the current answer (green granted, red
 * refused, withdrawn or prohibited), when it changed, from where, and when staff reacted to it;
 * then the newsletter subscriptions. Staff with `contacts:update` may record an answer (source
 * "staff", kept as evidence like any other).
 */
export function GdprPanel({ contactId }: { contactId: string }) {
  const { t, i18n } = useTranslation();
  const gdpr = useGdpr(contactId, i18n.language.slice(0, 2));
  const mayUpdate = useHasRight('contacts:update');
  // Every signed-in user may read the questions' wording (the server answers it to any role).
  const mayReadQuestions = true;
  const questions = useQuestionChoices(mayReadQuestions);
  const [editing, setEditing] = useState<Row | null>(null);

  if (gdpr.isPending) return <Loader />;
  if (gdpr.isError) {
    if (
      gdpr.error instanceof ApiError &&
      gdpr.error.status === 404 &&
      gdpr.error.code === 'ROUTE_NOT_FOUND'
    ) {
      return (
        <EmptyState
          mt="md"
          title={t('contacts.gdpr.title')}
          description={t('contacts.gdpr.pending')}
          data-testid="contact-gdpr-unavailable"
        />
      );
    }
    return <ErrorAlert error={gdpr.error} />;
  }

  // Every active question is listed, answered or not; answers to archived questions stay listed too.
  const answered = new Map(gdpr.data.consents.map((consent) => [consent.questionId, consent]));
  const rows: Row[] = gdpr.data.consents.map((consent) => {
    const question = questions.data?.find((candidate) => candidate.id === consent.questionId);
    return {
      ...consent,
      choices:
        consent.options ??
        (question?.options ?? []).map((option) => ({
          key: option.key,
          label: pickText(option.label, i18n.language) || option.key,
          polarity: option.polarity,
        })),
    };
  });
  for (const question of questions.data ?? []) {
    if (answered.has(question.id) || question.archivedAt !== null) continue;
    rows.push({
      questionId: question.id,
      question:
        pickText(
          { de: question.texts.de?.label, en: question.texts.en?.label, fr: question.texts.fr?.label },
          i18n.language,
        ) || question.key,
      answer: null,
      granted: false,
      prohibition: false,
      changedAt: null,
      source: null,
      processedAt: null,
      choices: question.options.map((option) => ({
        key: option.key,
        label: pickText(option.label, i18n.language) || option.key,
        polarity: option.polarity,
      })),
    });
  }

  return (
    <Stack gap="lg" data-testid="contact-gdpr">
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('consent.gdpr.consents')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('consent.gdpr.consentsHint')}
        </Text>
        {rows.length === 0 ? (
          <Text c="dimmed" size="sm" data-testid="gdpr-consents-empty">
            {t('consent.gdpr.noConsents')}
          </Text>
        ) : (
          <ConsentTable rows={rows} mayUpdate={mayUpdate} onEdit={setEditing} />
        )}
      </Stack>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('consent.gdpr.subscriptions')}
        </Title>
        {gdpr.data.subscriptions.length === 0 ? (
          <Text c="dimmed" size="sm" data-testid="gdpr-subscriptions-empty">
            {t('consent.gdpr.noSubscriptions')}
          </Text>
        ) : (
          <SubscriptionTable subscriptions={gdpr.data.subscriptions} />
        )}
      </Stack>
      {editing && <AnswerModal contactId={contactId} row={editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

function ConsentTable({
  rows,
  mayUpdate,
  onEdit,
}: {
  rows: Row[];
  mayUpdate: boolean;
  onEdit: (row: Row) => void;
}) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const labels = useConsentLabels();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="sm" data-testid="gdpr-consents">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('consent.gdpr.question')}</Table.Th>
            <Table.Th>{t('consent.gdpr.answer')}</Table.Th>
            <Table.Th>{t('consent.gdpr.changedAt')}</Table.Th>
            <Table.Th>{t('consent.gdpr.source')}</Table.Th>
            <Table.Th>{t('consent.gdpr.processedAt')}</Table.Th>
            {mayUpdate && <Table.Th />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => {
            const tone = answerTone(row);
            return (
              <Table.Tr key={row.questionId} data-testid="gdpr-consent" data-question-id={row.questionId}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {row.question}
                  </Text>
                  {row.answer !== null &&
                    row.version &&
                    row.currentVersion &&
                    row.version !== row.currentVersion && (
                      <Text size="xs" c="dimmed" data-testid="gdpr-older-version">
                        {t('consent.gdpr.olderVersion', {
                          version: row.version,
                          current: row.currentVersion,
                        })}
                      </Text>
                    )}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    <Badge
                      color={toneColor[tone]}
                      variant={tone === 'none' ? 'outline' : 'filled'}
                      tt="none"
                      data-testid="gdpr-answer"
                      data-tone={tone}
                    >
                      {row.answer ?? t('consent.gdpr.noAnswer')}
                    </Badge>
                    {row.prohibition && (
                      <Badge color="red" variant="light" size="sm" data-testid="gdpr-prohibition">
                        {t('consent.polarities.prohibition')}
                      </Badge>
                    )}
                    {row.state && !row.prohibition && (
                      <Text size="xs" c="dimmed">
                        {labels.state(row.state)}
                      </Text>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }} data-testid="gdpr-changed-at">
                  {row.changedAt ? formatDateTime(row.changedAt) : '—'}
                </Table.Td>
                <Table.Td data-testid="gdpr-source">{row.source ? labels.source(row.source) : '—'}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }} data-testid="gdpr-processed-at">
                  {row.processedAt ? (
                    formatDateTime(row.processedAt)
                  ) : row.changedAt && row.source !== null && !staffSources.has(row.source) ? (
                    <Badge color="orange" variant="light" data-testid="gdpr-unprocessed">
                      {t('consent.gdpr.unprocessed')}
                    </Badge>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                {mayUpdate && (
                  <Table.Td ta="right">
                    <Button
                      size="xs"
                      variant="subtle"
                      disabled={row.choices.length === 0}
                      title={row.choices.length === 0 ? t('consent.gdpr.noOptions') : undefined}
                      onClick={() => onEdit(row)}
                      data-testid="gdpr-set-answer"
                    >
                      {t('consent.gdpr.setAnswer')}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

const subscriptionColor: Record<GdprSubscription['status'], string> = {
  pending: 'yellow',
  subscribed: 'green',
  unsubscribed: 'red',
};

function SubscriptionTable({ subscriptions }: { subscriptions: GdprSubscription[] }) {
  const { t, i18n } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const newsletters = useNewsletterChoices(useHasRight('marketing:read'));
  const when = (iso: string | null) => (iso ? formatDateTime(iso) : '—');
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing="sm" data-testid="gdpr-subscriptions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('consent.gdpr.newsletter')}</Table.Th>
            <Table.Th>{t('consent.gdpr.status')}</Table.Th>
            <Table.Th>{t('consent.gdpr.requestedAt')}</Table.Th>
            <Table.Th>{t('consent.gdpr.confirmedAt')}</Table.Th>
            <Table.Th>{t('consent.gdpr.unsubscribedAt')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {subscriptions.map((subscription) => {
            const newsletter = newsletters.data?.find((n) => n.id === subscription.newsletterId);
            return (
              <Table.Tr
                key={subscription.newsletterId}
                data-testid="gdpr-subscription"
                data-status={subscription.status}
              >
                <Table.Td>
                  {subscription.newsletter ??
                    (newsletter ? newsletterTitle(newsletter, i18n.language) : subscription.newsletterId)}
                </Table.Td>
                <Table.Td>
                  <Badge color={subscriptionColor[subscription.status]} variant="light">
                    {t(`newsletters.statuses.${subscription.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{when(subscription.requestedAt)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{when(subscription.confirmedAt)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{when(subscription.unsubscribedAt)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function AnswerModal({ contactId, row, onClose }: { contactId: string; row: Row; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSetConsent(contactId);
  const [choice, setChoice] = useState<string | null>(row.optionKey ?? null);
  const [note, setNote] = useState('');
  return (
    <Modal opened onClose={onClose} centered title={t('consent.gdpr.setAnswerTitle')}>
      <Stack gap="md" data-testid="gdpr-answer-dialog">
        <Radio.Group label={row.question} value={choice} onChange={setChoice}>
          <Stack gap={6} mt="xs">
            {row.choices.map((option) => (
              <Radio
                key={option.key}
                value={option.key}
                label={option.label}
                data-testid={`gdpr-option-${option.key}`}
              />
            ))}
          </Stack>
        </Radio.Group>
        <TextInput
          label={t('consent.gdpr.note')}
          description={t('consent.gdpr.noteHint')}
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
          maxLength={200}
          data-testid="gdpr-answer-note"
        />
        <Alert color="gray" variant="light">
          <Text size="xs">{t('consent.gdpr.staffHint')}</Text>
        </Alert>
        <ErrorAlert error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            disabled={choice === null}
            loading={save.isPending}
            onClick={() =>
              choice &&
              save.mutate(
                { questionId: row.questionId, optionKey: choice, note: note.trim() || undefined },
                { onSuccess: onClose },
              )
            }
            data-testid="gdpr-answer-save"
          >
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
