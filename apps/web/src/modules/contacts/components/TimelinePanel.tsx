import type { FieldAccess } from '@kontor/contracts';
import {
  Badge,
  Button,
  Card,
  Group,
  Loader,
  NumberInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, fieldError } from '../../../app/ErrorAlert.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { useHasRight } from '../../auth/index.ts';
import {
  type Activity,
  activityKinds,
  activityLimits,
  type Direction,
  directions,
  type NewActivity,
} from '../api/activities.ts';
import { useActivities, useCreateActivity } from '../hooks/useActivities.ts';
import { FeatureUnavailable, isMissingRoute } from './FeatureUnavailable.tsx';
import { HiddenValue } from './FieldValue.tsx';

/**
 * A contact's timeline, newest first: notes, calls, meetings, emails, form submissions, consent
 * and system events. Users who may add to it and see notes in full can write a note or log a
 * call here (subject and text are notes: a user who may not read them is not offered to write
 * them).
 */
export function TimelinePanel({ contactId, access }: { contactId: string; access: FieldAccess }) {
  const { t } = useTranslation();
  const activities = useActivities(contactId);
  const mayAdd = useHasRight('contacts:create') && access.notes === 'full';
  const items = activities.data?.pages.flatMap((page) => page.items) ?? [];

  if (activities.isError && isMissingRoute(activities.error)) {
    return (
      <FeatureUnavailable
        title={t('contacts.timeline.unavailableTitle')}
        description={t('contacts.timeline.unavailable')}
        testId="timeline-unavailable"
      />
    );
  }

  return (
    <Stack gap="lg" data-testid="contact-timeline">
      {mayAdd && <AddActivityForm contactId={contactId} />}
      {activities.isPending ? (
        <Loader />
      ) : activities.isError ? (
        <ErrorAlert error={activities.error} />
      ) : items.length === 0 ? (
        <Text c="dimmed" data-testid="timeline-empty">
          {t('contacts.timeline.empty')}
        </Text>
      ) : (
        <>
          <Timeline bulletSize={14} lineWidth={2} data-testid="timeline-entries">
            {items.map((activity) => (
              <Timeline.Item key={activity.id} data-testid="timeline-entry" data-kind={activity.kind}>
                <ActivityEntry activity={activity} notes={access.notes} />
              </Timeline.Item>
            ))}
          </Timeline>
          {activities.hasNextPage && (
            <Group justify="center">
              <Button
                variant="default"
                onClick={() => void activities.fetchNextPage()}
                loading={activities.isFetchingNextPage}
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

function ActivityEntry({ activity, notes }: { activity: Activity; notes: FieldAccess['notes'] }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const kind = activityKinds.find((known) => known === activity.kind);
  const direction = directions.find((known) => known === activity.direction);
  const meta = [
    formatDateTime(activity.occurredAt),
    activity.durationMinutes != null
      ? t('contacts.timeline.minutes', { count: activity.durationMinutes })
      : null,
    activity.createdBy ? t('contacts.timeline.by', { email: activity.createdBy.email }) : null,
  ].filter(Boolean);

  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Badge size="sm" variant="light">
          {kind ? t(`contacts.timeline.kinds.${kind}`) : activity.kind}
        </Badge>
        {direction && (
          <Badge size="sm" variant="outline" color="gray">
            {t(`contacts.timeline.directions.${direction}`)}
          </Badge>
        )}
        {notes === 'none' ? null : activity.subject ? (
          <Text size="sm" fw={600} data-testid="timeline-subject">
            {activity.subject}
          </Text>
        ) : null}
      </Group>
      {notes === 'none' ? (
        <HiddenValue />
      ) : activity.body ? (
        <Text
          size="sm"
          style={{ whiteSpace: 'pre-wrap' }}
          ff={notes === 'masked' ? 'monospace' : undefined}
          c={notes === 'masked' ? 'dimmed' : undefined}
          title={notes === 'masked' ? t('contacts.access.maskedHint') : undefined}
          data-testid="timeline-body"
          data-access={notes}
        >
          {activity.body}
        </Text>
      ) : null}
      <Text size="xs" c="dimmed">
        {meta.join(' · ')}
      </Text>
    </Stack>
  );
}

/** `datetime-local` gives local wall time without a zone; the API wants an ISO instant. */
function toInstant(local: string): string | undefined {
  if (local === '') return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function AddActivityForm({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const create = useCreateActivity(contactId);
  const [kind, setKind] = useState<'note' | 'call'>('note');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [occurredAt, setOccurredAt] = useState('');
  const [duration, setDuration] = useState<string | number>('');
  const [direction, setDirection] = useState<Direction>('outbound');
  const [checked, setChecked] = useState(false);

  const bodyMissing = kind === 'note' && body.trim() === '';
  const instant = toInstant(occurredAt);
  const inFuture = instant !== undefined && Date.parse(instant) > Date.now() + 60_000;
  const minutes = typeof duration === 'number' ? duration : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (bodyMissing || inFuture) return;
    const input: NewActivity = {
      kind,
      body: body.trim(),
      subject: subject.trim() || undefined,
      occurredAt: instant,
      ...(kind === 'call' ? { direction, durationMinutes: minutes } : {}),
    };
    create.mutate(input, {
      onSuccess: () => {
        setSubject('');
        setBody('');
        setOccurredAt('');
        setDuration('');
        setChecked(false);
      },
    });
  };

  const inline = ['kind', 'subject', 'body', 'occurredAt', 'durationMinutes', 'direction'].some((path) =>
    fieldError(create.error, path),
  );

  return (
    <Card withBorder radius="md" padding="md">
      <form onSubmit={submit} noValidate data-testid="activity-form">
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={2} size="h5">
              {t('contacts.timeline.add')}
            </Title>
            <SegmentedControl
              value={kind}
              onChange={(value) => setKind(value === 'call' ? 'call' : 'note')}
              data={[
                { value: 'note', label: t('contacts.timeline.kinds.note') },
                { value: 'call', label: t('contacts.timeline.kinds.call') },
              ]}
              data-testid="activity-kind"
            />
          </Group>
          {!inline && <ErrorAlert error={create.error} />}
          <TextInput
            label={t('contacts.timeline.subject')}
            value={subject}
            onChange={(event) => setSubject(event.currentTarget.value)}
            maxLength={activityLimits.subject}
            error={fieldError(create.error, 'subject')}
            data-testid="activity-subject"
          />
          <Textarea
            label={t('contacts.timeline.body')}
            value={body}
            onChange={(event) => setBody(event.currentTarget.value)}
            autosize
            minRows={3}
            maxRows={12}
            maxLength={activityLimits.body}
            required={kind === 'note'}
            error={
              (checked && bodyMissing ? t('contacts.timeline.bodyRequired') : undefined) ??
              fieldError(create.error, 'body')
            }
            data-testid="activity-body"
          />
          <SimpleGrid cols={{ base: 1, sm: kind === 'call' ? 3 : 1 }}>
            <TextInput
              type="datetime-local"
              label={t('contacts.timeline.occurredAt')}
              description={t('contacts.timeline.occurredAtHint')}
              value={occurredAt}
              onChange={(event) => setOccurredAt(event.currentTarget.value)}
              error={
                (checked && inFuture ? t('contacts.timeline.future') : undefined) ??
                fieldError(create.error, 'occurredAt')
              }
              data-testid="activity-occurred-at"
            />
            {kind === 'call' && (
              <>
                <NumberInput
                  label={t('contacts.timeline.duration')}
                  min={0}
                  max={activityLimits.durationMinutes}
                  allowDecimal={false}
                  allowNegative={false}
                  value={duration}
                  onChange={setDuration}
                  error={fieldError(create.error, 'durationMinutes')}
                  data-testid="activity-duration"
                />
                <Stack gap={4}>
                  <Text size="sm" fw={500}>
                    {t('contacts.timeline.direction')}
                  </Text>
                  <SegmentedControl
                    value={direction}
                    onChange={(value) => setDirection(value === 'inbound' ? 'inbound' : 'outbound')}
                    data={directions.map((value) => ({
                      value,
                      label: t(`contacts.timeline.directions.${value}`),
                    }))}
                    data-testid="activity-direction"
                  />
                </Stack>
              </>
            )}
          </SimpleGrid>
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending} data-testid="activity-submit">
              {kind === 'note' ? t('contacts.timeline.submitNote') : t('contacts.timeline.submitCall')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
