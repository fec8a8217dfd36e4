import {
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useHasRight } from '../../auth/index.ts';
import { newsletterTitle, useNewsletterChoices } from '../../newsletters/index.ts';
import type { ChangeStatus, ConsentChange } from '../api/changes.ts';
import { useChangeList, useOpenChangeCount, useProcessChange } from '../hooks/useChanges.ts';
import { useUserNames } from '../hooks/useUserNames.ts';
import { between, formatDuration, urgencyColor, urgencyOf } from '../model/duration.ts';
import { DigestSettingsCard } from './DigestSettingsCard.tsx';

const subscriptionStatuses = ['pending', 'subscribed', 'unsubscribed'] as const;

/**
 * `/privacy/consent-changes`: what contacts changed themselves (answers, subscriptions), for the
 * privacy officer to act on (e.g. take them off a brochure list) and mark done with what was done.
 */
export function ConsentChangesPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('navSections.consentChanges'));
  const [status, setStatus] = useState<ChangeStatus>('open');
  const list = useChangeList(status, i18n.language.slice(0, 2));
  const count = useOpenChangeCount(true);
  const [processing, setProcessing] = useState<ConsentChange | null>(null);
  const changes = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack gap="lg" data-testid="consent-changes-page">
      <Stack gap={4}>
        <Title order={1}>{t('navSections.consentChanges')}</Title>
        <Text c="dimmed" maw={760}>
          {t('consent.changes.intro')}
        </Text>
      </Stack>
      <SegmentedControl
        value={status}
        onChange={(value) => setStatus(value === 'done' ? 'done' : 'open')}
        data={[
          {
            value: 'open',
            label:
              count.data !== undefined
                ? t('consent.changes.openN', { count: count.data.open })
                : t('consent.changes.open'),
          },
          { value: 'done', label: t('consent.changes.done') },
        ]}
        w="fit-content"
        data-testid="consent-changes-tabs"
      />
      {list.isPending ? (
        <Loader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} />
      ) : changes.length === 0 ? (
        <Text c="dimmed" data-testid="consent-changes-empty">
          {status === 'open' ? t('consent.changes.noneOpen') : t('consent.changes.noneDone')}
        </Text>
      ) : (
        <>
          <ChangesTable changes={changes} status={status} onProcess={setProcessing} />
          {list.hasNextPage && (
            <Group justify="center">
              <Button
                variant="default"
                onClick={() => void list.fetchNextPage()}
                loading={list.isFetchingNextPage}
              >
                {t('common.loadMore')}
              </Button>
            </Group>
          )}
        </>
      )}
      <DigestSettingsCard />
      {processing && <ProcessModal change={processing} onClose={() => setProcessing(null)} />}
    </Stack>
  );
}

/** What changed, in words: the question or newsletter, and the answer or status before and after. */
function useDescribeChange() {
  const { t, i18n } = useTranslation();
  const newsletters = useNewsletterChoices(useHasRight('marketing:read'));
  const statusLabel = (value: string | null | undefined) => {
    const known = subscriptionStatuses.find((candidate) => candidate === value);
    return known ? t(`newsletters.statuses.${known}`) : (value ?? null);
  };
  return (change: ConsentChange) => {
    if (change.kind === 'subscription') {
      const newsletter = newsletters.data?.find((candidate) => candidate.id === change.summary.newsletterId);
      return {
        subject: newsletter
          ? t('consent.changes.newsletter', { title: newsletterTitle(newsletter, i18n.language) })
          : t('consent.changes.aNewsletter'),
        from: statusLabel(change.summary.from),
        to: statusLabel(change.summary.to) ?? change.summary.to,
      };
    }
    return {
      subject: change.question ?? t('consent.changes.aQuestion'),
      from: change.from ?? change.summary.from,
      to: change.to ?? change.summary.to,
    };
  };
}

function ChangesTable({
  changes,
  status,
  onProcess,
}: {
  changes: ConsentChange[];
  status: ChangeStatus;
  onProcess: (change: ConsentChange) => void;
}) {
  const { t, i18n } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const mayProcess = useHasRight('privacy:update');
  const userName = useUserNames();
  const describe = useDescribeChange();
  const now = new Date();

  return (
    <Table.ScrollContainer minWidth={900}>
      <Table verticalSpacing="sm" data-testid="consent-changes">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('consent.changes.contact')}</Table.Th>
            <Table.Th>{t('consent.changes.what')}</Table.Th>
            <Table.Th>{t('consent.changes.when')}</Table.Th>
            <Table.Th>
              {status === 'open' ? t('consent.changes.age') : t('consent.changes.processed')}
            </Table.Th>
            {(status === 'done' || mayProcess) && <Table.Th />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {changes.map((change) => {
            const { subject, from, to } = describe(change);
            const age = between(change.createdAt, now);
            const urgency = urgencyOf(age);
            return (
              <Table.Tr key={change.id} data-testid="consent-change" data-change-id={change.id}>
                <Table.Td>
                  <Anchor
                    component={Link}
                    to={`/contacts/${change.contactId}/gdpr`}
                    size="sm"
                    fw={500}
                    data-testid="consent-change-contact"
                  >
                    {change.contactName ??
                      t('consent.changes.contactN', { id: change.contactId.slice(0, 8) })}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{subject}</Text>
                  <Group gap={6} mt={2} data-testid="consent-change-what">
                    <Badge variant="outline" color="gray" tt="none">
                      {from ?? t('consent.changes.nothing')}
                    </Badge>
                    <Text size="xs" aria-hidden>
                      →
                    </Text>
                    <VisuallyHidden>{t('consent.changes.to')}</VisuallyHidden>
                    <Badge variant="light" tt="none">
                      {to}
                    </Badge>
                  </Group>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }} data-testid="consent-change-when">
                  {formatDateTime(change.createdAt)}
                </Table.Td>
                <Table.Td>
                  {change.processedAt ? (
                    <Stack gap={2} data-testid="consent-change-processed">
                      <Text size="sm">
                        {t('consent.changes.processedBy', {
                          who: userName(change.processedBy) ?? change.processedBy?.slice(0, 8) ?? '—',
                          when: formatDateTime(change.processedAt),
                        })}
                      </Text>
                      <Text size="xs" c="dimmed" data-testid="consent-change-processing-time">
                        {t('consent.changes.processingTime', {
                          duration: formatDuration(
                            between(change.createdAt, change.processedAt),
                            i18n.language,
                          ),
                        })}
                      </Text>
                    </Stack>
                  ) : (
                    <Badge
                      color={urgencyColor[urgency]}
                      variant="light"
                      data-testid="consent-change-age"
                      data-urgency={urgency}
                    >
                      {formatDuration(age, i18n.language)}
                    </Badge>
                  )}
                </Table.Td>
                {status === 'done' ? (
                  <Table.Td maw={320}>
                    <Text size="sm" data-testid="consent-change-action">
                      {change.actionTaken ?? '—'}
                    </Text>
                  </Table.Td>
                ) : (
                  mayProcess && (
                    <Table.Td ta="right">
                      <Button
                        size="xs"
                        onClick={() => onProcess(change)}
                        data-testid="consent-change-process"
                      >
                        {t('consent.changes.process')}
                      </Button>
                    </Table.Td>
                  )
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ProcessModal({ change, onClose }: { change: ConsentChange; onClose: () => void }) {
  const { t } = useTranslation();
  const process = useProcessChange();
  const describe = useDescribeChange();
  const [actionTaken, setActionTaken] = useState('');
  const { subject, from, to } = describe(change);
  return (
    <Modal opened onClose={onClose} centered title={t('consent.changes.processTitle')}>
      <Stack gap="md" data-testid="consent-change-process-dialog">
        <Text size="sm">
          {subject}: {from ?? t('consent.changes.nothing')} → {to}
        </Text>
        <Textarea
          label={t('consent.changes.actionTaken')}
          description={t('consent.changes.actionTakenHint')}
          placeholder={t('consent.changes.actionTakenPlaceholder')}
          value={actionTaken}
          onChange={(event) => setActionTaken(event.currentTarget.value)}
          maxLength={2000}
          autosize
          minRows={3}
          required
          data-autofocus
          data-testid="consent-change-action-input"
        />
        <ErrorAlert
          error={process.error}
          messages={{ CONSENT_CHANGE_PROCESSED: t('consent.changes.alreadyProcessed') }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            disabled={actionTaken.trim() === ''}
            loading={process.isPending}
            onClick={() =>
              process.mutate({ id: change.id, actionTaken: actionTaken.trim() }, { onSuccess: onClose })
            }
            data-testid="consent-change-process-confirm"
          >
            {t('consent.changes.markDone')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
