import {
  Badge,
  Button,
  Card,
  Code,
  DataList,
  Group,
  Loader,
  Modal,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useCurrentUser, useHasRight } from '../../auth/index.ts';
import type { Approval, ApprovalStatus } from '../api/approvals.ts';
import { useApprovalList, useDecideApproval } from '../hooks/useApprovals.ts';

const statusColor: Record<ApprovalStatus, string> = {
  pending: 'yellow',
  approved: 'green',
  rejected: 'red',
  expired: 'gray',
  cancelled: 'gray',
};

/** `/privacy/approvals`: requests waiting for the privacy officer, and the decided ones. */
export function ApprovalsPage() {
  const { t } = useTranslation();
  usePageTitle(t('navSections.approvals'));
  const [view, setView] = useState<'pending' | 'all'>('pending');
  const list = useApprovalList({ status: view === 'pending' ? 'pending' : undefined });

  return (
    <Stack gap="lg" data-testid="approvals-page">
      <Stack gap={4}>
        <Title order={1}>{t('navSections.approvals')}</Title>
        <Text c="dimmed">{t('approvals.intro')}</Text>
      </Stack>
      <SegmentedControl
        value={view}
        onChange={(value) => setView(value === 'all' ? 'all' : 'pending')}
        data={[
          { value: 'pending', label: t('approvals.pending') },
          { value: 'all', label: t('approvals.all') },
        ]}
        w="fit-content"
      />
      {list.isPending ? (
        <Loader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Text c="dimmed" data-testid="approvals-empty">
          {view === 'pending' ? t('approvals.nonePending') : t('approvals.none')}
        </Text>
      ) : (
        <Stack gap="md">
          {list.data.items.map((approval) => (
            <ApprovalCard key={approval.id} approval={approval} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function ApprovalCard({ approval }: { approval: Approval }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const { userId } = useCurrentUser();
  const mayApprove = useHasRight('privacy:approve');
  const [deciding, setDeciding] = useState<'approve' | 'reject' | null>(null);
  const subject = approval.subject;
  const source =
    subject.source !== null && typeof subject.source === 'object'
      ? (subject.source as Record<string, unknown>)
      : {};
  const fields = Array.isArray(subject.fields) ? subject.fields.map(String) : null;
  const own = approval.requestedBy === userId;

  return (
    <Card withBorder radius="md" padding="md" data-testid="approval" data-status={approval.status}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Group gap="xs">
            <Badge variant="light">
              {approval.kind === 'export' ? t('approvals.kinds.export') : approval.kind}
            </Badge>
            <Badge color={statusColor[approval.status]} variant="light">
              {t(`approvals.status.${approval.status}`)}
            </Badge>
          </Group>
          <Text size="xs" c="dimmed">
            {t('approvals.requestedAt', { when: formatDateTime(approval.requestedAt) })}
          </Text>
        </Group>
        <DataList orientation="horizontal" labelWidth={160} size="sm" gap="xs">
          {text(subject.count) && (
            <DataList.Item>
              <DataList.ItemLabel>{t('approvals.count')}</DataList.ItemLabel>
              <DataList.ItemValue data-testid="approval-count">
                {text(subject.count)}
                {text(subject.threshold)
                  ? ` (${t('approvals.threshold', { threshold: text(subject.threshold) })})`
                  : ''}
              </DataList.ItemValue>
            </DataList.Item>
          )}
          {text(subject.format) && (
            <DataList.Item>
              <DataList.ItemLabel>{t('approvals.format')}</DataList.ItemLabel>
              <DataList.ItemValue>{text(subject.format)?.toUpperCase()}</DataList.ItemValue>
            </DataList.Item>
          )}
          {approval.kind === 'export' && (
            <DataList.Item>
              <DataList.ItemLabel>{t('approvals.fields')}</DataList.ItemLabel>
              <DataList.ItemValue>{fields ? fields.join(', ') : t('approvals.allFields')}</DataList.ItemValue>
            </DataList.Item>
          )}
          {typeof source.kind === 'string' && (
            <DataList.Item>
              <DataList.ItemLabel>{t('approvals.source')}</DataList.ItemLabel>
              <DataList.ItemValue>
                <Stack gap={4}>
                  <Text size="sm">
                    {source.kind === 'selection'
                      ? t('approvals.sources.selection', { name: text(source.name) ?? '' })
                      : source.kind === 'filter'
                        ? t('approvals.sources.filter')
                        : source.kind === 'ids'
                          ? t('approvals.sources.ids')
                          : t('approvals.sources.all')}
                  </Text>
                  {source.filter !== undefined && <Code block>{JSON.stringify(source.filter, null, 2)}</Code>}
                </Stack>
              </DataList.ItemValue>
            </DataList.Item>
          )}
          <DataList.Item>
            <DataList.ItemLabel>{t('approvals.requester')}</DataList.ItemLabel>
            <DataList.ItemValue>
              {own ? (
                t('approvals.you')
              ) : (
                <Text span size="sm" ff="monospace">
                  {approval.requestedBy}
                </Text>
              )}
            </DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>{t('approvals.reason')}</DataList.ItemLabel>
            <DataList.ItemValue>{approval.reason ?? '—'}</DataList.ItemValue>
          </DataList.Item>
          {approval.status === 'pending' ? (
            <DataList.Item>
              <DataList.ItemLabel>{t('approvals.expires')}</DataList.ItemLabel>
              <DataList.ItemValue>{formatDateTime(approval.expiresAt)}</DataList.ItemValue>
            </DataList.Item>
          ) : (
            approval.decidedAt && (
              <DataList.Item>
                <DataList.ItemLabel>{t('approvals.decided')}</DataList.ItemLabel>
                <DataList.ItemValue>
                  {formatDateTime(approval.decidedAt)}
                  {approval.decisionNote ? ` — ${approval.decisionNote}` : ''}
                </DataList.ItemValue>
              </DataList.Item>
            )
          )}
        </DataList>
        {approval.status === 'pending' && mayApprove && (
          <Group justify="flex-end">
            {own && (
              <Text size="xs" c="dimmed">
                {t('approvals.ownHint')}
              </Text>
            )}
            <Button
              variant="default"
              color="red"
              disabled={own}
              onClick={() => setDeciding('reject')}
              data-testid="approval-reject"
            >
              {t('approvals.reject')}
            </Button>
            <Button disabled={own} onClick={() => setDeciding('approve')} data-testid="approval-approve">
              {t('approvals.approve')}
            </Button>
          </Group>
        )}
      </Stack>
      {deciding && (
        <DecisionModal approval={approval} decision={deciding} onClose={() => setDeciding(null)} />
      )}
    </Card>
  );
}

function DecisionModal({
  approval,
  decision,
  onClose,
}: {
  approval: Approval;
  decision: 'approve' | 'reject';
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const decide = useDecideApproval();
  const [note, setNote] = useState('');
  return (
    <Modal
      opened
      onClose={onClose}
      centered
      title={decision === 'approve' ? t('approvals.approveTitle') : t('approvals.rejectTitle')}
    >
      <Stack gap="md" data-testid="approval-decision">
        <Textarea
          label={t('approvals.note')}
          description={t('approvals.noteHint')}
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
          maxLength={1000}
          autosize
          minRows={2}
          data-testid="approval-note"
        />
        <ErrorAlert
          error={decide.error}
          messages={{
            APPROVALS_OWN_REQUEST: t('approvals.errors.own'),
            APPROVALS_NOT_PENDING: t('approvals.errors.notPending'),
          }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color={decision === 'approve' ? undefined : 'red'}
            loading={decide.isPending}
            onClick={() => decide.mutate({ id: approval.id, decision, note }, { onSuccess: onClose })}
            data-testid="approval-confirm"
          >
            {decision === 'approve' ? t('approvals.approve') : t('approvals.reject')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
