import { Alert, Badge, Button, Group, Loader, Modal, Radio, Stack, Text, Textarea } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { useApproval } from '../../privacy/index.ts';
import { EXPORT_FORMATS, type ExportFormat, type ExportSource, exportDownloadUrl } from '../api/exports.ts';
import { useCreateExport, useExport } from '../hooks/useExports.ts';

/**
 * Export contacts: choose the format, ask; then either the file is produced (progress, then a
 * download button) or the export waits for the privacy officer's approval (its status shown).
 */
export function ExportModal({
  source,
  sourceLabel,
  onClose,
}: {
  source: ExportSource;
  sourceLabel: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const create = useCreateExport();
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [delimiter, setDelimiter] = useState<',' | ';'>(';');
  const [reason, setReason] = useState('');
  const reasonError =
    create.error instanceof ApiError
      ? create.error.errors.find((e) => e.path.replace(/^body\./, '') === 'reason')?.message
      : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ format, source, delimiter, reason });
  };

  return (
    <Modal opened onClose={onClose} title={t('exports.title')} centered size="lg">
      {create.data ? (
        <ExportProgress
          exportId={create.data.id}
          count={create.data.count}
          approvalId={create.data.approvalId}
          onClose={onClose}
        />
      ) : (
        <form onSubmit={submit} noValidate data-testid="export-form">
          <Stack gap="md">
            <Text size="sm" data-testid="export-source">
              {sourceLabel}
            </Text>
            <Radio.Group
              label={t('exports.format')}
              value={format}
              onChange={(value) => setFormat(value as ExportFormat)}
            >
              <Stack gap={6} mt="xs">
                {EXPORT_FORMATS.map((candidate) => (
                  <Radio
                    key={candidate}
                    value={candidate}
                    label={t(`exports.formats.${candidate}`)}
                    data-testid={`export-format-${candidate}`}
                  />
                ))}
              </Stack>
            </Radio.Group>
            {format === 'csv' && (
              <Radio.Group
                label={t('exports.delimiter')}
                value={delimiter}
                onChange={(value) => setDelimiter(value === ',' ? ',' : ';')}
              >
                <Group mt="xs">
                  <Radio value=";" label={t('exports.delimiters.semicolon')} />
                  <Radio value="," label={t('exports.delimiters.comma')} />
                </Group>
              </Radio.Group>
            )}
            {format === 'vcard' && (
              <Text size="xs" c="dimmed">
                {t('exports.vcardHint')}
              </Text>
            )}
            <Textarea
              label={t('exports.reason')}
              description={t('exports.reasonHint')}
              value={reason}
              onChange={(event) => setReason(event.currentTarget.value)}
              error={reasonError}
              autosize
              minRows={2}
              maxLength={1000}
              data-testid="export-reason"
            />
            {!reasonError && (
              <ErrorAlert
                error={create.error}
                messages={{
                  EXPORTS_NOTHING_TO_EXPORT: t('exports.errors.nothing'),
                  EXPORTS_TOO_LARGE: t('exports.errors.tooLarge'),
                  EXPORTS_SELECTION_NOT_FOUND: t('exports.errors.selectionGone'),
                }}
              />
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending} data-testid="export-submit">
                {t('exports.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function ExportProgress({
  exportId,
  count,
  approvalId,
  onClose,
}: {
  exportId: string;
  count: number;
  approvalId: string | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const current = useExport(exportId);
  const approval = useApproval(approvalId);
  const status = current.data?.status;

  return (
    <Stack gap="md" data-testid="export-status" data-status={status ?? ''}>
      <Text size="sm">{t('exports.count', { count })}</Text>
      {current.isError ? (
        <ErrorAlert error={current.error} />
      ) : status === undefined || status === 'queued' || status === 'running' ? (
        <Group gap="sm">
          <Loader size="sm" />
          <Text size="sm">{t('exports.producing')}</Text>
        </Group>
      ) : status === 'awaiting_approval' ? (
        <Alert
          color="yellow"
          variant="light"
          title={t('exports.awaitingTitle')}
          data-testid="export-awaiting"
        >
          <Stack gap={4}>
            <Text size="sm">{t('exports.awaiting')}</Text>
            {approval.data && (
              <Group gap="xs">
                <Text size="sm">{t('exports.approvalStatus')}</Text>
                <Badge variant="light">{t(`approvals.status.${approval.data.status}`)}</Badge>
              </Group>
            )}
          </Stack>
        </Alert>
      ) : status === 'ready' ? (
        <Group>
          <Button component="a" href={exportDownloadUrl(exportId)} download data-testid="export-download">
            {t('exports.download', { name: current.data?.fileName ?? '' })}
          </Button>
          <Text size="xs" c="dimmed">
            {t('exports.expires')}
          </Text>
        </Group>
      ) : (
        <Alert color="red" variant="light" data-testid="export-ended">
          {t(`exports.ended.${status}`)}
          {current.data?.errorCode ? ` (${current.data.errorCode})` : ''}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.close')}
        </Button>
      </Group>
    </Stack>
  );
}
