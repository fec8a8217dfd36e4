import { Alert, Badge, Button, Card, Group, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { useHasRight } from '../../auth/index.ts';
import { MESSAGE_STATUSES } from '../api/mail.ts';
import { useMailStatus, useResumeMail } from '../hooks/useMail.ts';
import { statusColors } from './statusColors.ts';

/** How mail leaves Kontor, whether sending is paused (and why), and how many messages are in each state. */
export function MailStatusCard() {
  const { t } = useTranslation();
  const status = useMailStatus();
  const resume = useResumeMail();
  const mayUpdate = useHasRight('settings:update');
  const formatDateTime = useFormatDateTime();

  if (status.isPending) return <Loader />;
  if (status.isError) return <ErrorAlert error={status.error} />;
  const { transport, paused, pausedReason, pausedAt, counts } = status.data;

  return (
    <Card withBorder padding="md" data-testid="mail-status" data-transport={transport} data-paused={paused}>
      <Stack gap="sm">
        <Group gap="sm">
          <Text fw={500}>{t('mail.status.transport')}</Text>
          <Badge variant="light" color={transport === 'smtp' ? 'blue' : 'grape'} data-testid="mail-transport">
            {t(`mail.status.transports.${transport}`)}
          </Badge>
          <Text size="sm" c="dimmed">
            {t(`mail.status.transportHints.${transport}`)}
          </Text>
        </Group>
        {paused ? (
          <Alert color="red" variant="light" title={t('mail.status.pausedTitle')} data-testid="mail-paused">
            <Stack gap="xs">
              <Text size="sm">
                {pausedAt
                  ? t('mail.status.pausedSince', { at: formatDateTime(pausedAt) })
                  : t('mail.status.paused')}
              </Text>
              {pausedReason && (
                <Text size="sm" ff="monospace" data-testid="mail-paused-reason">
                  {pausedReason}
                </Text>
              )}
              <Text size="sm">{t('mail.status.pausedHint')}</Text>
              {mayUpdate && (
                <Group>
                  <Button
                    color="red"
                    onClick={() => resume.mutate()}
                    loading={resume.isPending}
                    data-testid="mail-resume"
                  >
                    {t('mail.status.resume')}
                  </Button>
                </Group>
              )}
              <ErrorAlert error={resume.error} />
            </Stack>
          </Alert>
        ) : (
          <Text size="sm" c="green" data-testid="mail-running">
            {t('mail.status.running')}
            {resume.isSuccess && ` ${t('mail.status.resumed', { count: resume.data })}`}
          </Text>
        )}
        <Group gap="xs" data-testid="mail-counts">
          {MESSAGE_STATUSES.map((state) => (
            <Badge
              key={state}
              variant={counts[state] > 0 ? 'light' : 'outline'}
              color={statusColors[state]}
              data-testid={`mail-count-${state}`}
              data-count={counts[state]}
            >
              {t(`mail.statuses.${state}`)}: {counts[state]}
            </Badge>
          ))}
        </Group>
      </Stack>
    </Card>
  );
}
