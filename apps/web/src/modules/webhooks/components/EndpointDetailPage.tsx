import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Modal,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useHasRight } from '../../auth/index.ts';
import { type DeliveryStatus, deliveryStatuses, type WebhookEndpoint } from '../api/webhooks.ts';
import {
  useDeleteEndpoint,
  useDeliveries,
  useEndpoint,
  useRetryDelivery,
  useRotateSecret,
  useSendTest,
  useUpdateEndpoint,
} from '../hooks/useWebhooks.ts';
import { EndpointFormModal } from './EndpointFormModal.tsx';
import { deliveryStatusColors, endpointState, endpointStateColors, eventLabelKey } from './labels.ts';
import { SecretModal } from './SecretModal.tsx';

/** One endpoint: its settings and actions (test, rotate, switch off, delete) and its deliveries. */
export function EndpointDetailPage() {
  const { t } = useTranslation();
  usePageTitle(t('navSections.webhooks'));
  const { endpointId = '' } = useParams();
  const endpoint = useEndpoint(endpointId);

  return (
    <Stack gap="lg" data-testid="webhook-detail">
      <Anchor component={Link} to="/settings/webhooks" size="sm">
        ← {t('webhooks.detail.back')}
      </Anchor>
      {endpoint.isPending ? (
        <Loader />
      ) : endpoint.isError ? (
        <ErrorAlert error={endpoint.error} />
      ) : (
        <>
          <EndpointCard endpoint={endpoint.data} />
          <Deliveries endpointId={endpoint.data.id} />
        </>
      )}
    </Stack>
  );
}

/** The server's error codes of these actions, in the user's language. */
function useErrorMessages(): Partial<Record<string, string>> {
  const { t } = useTranslation();
  return {
    WEBHOOKS_ENDPOINT_INACTIVE: t('webhooks.errors.inactive'),
    WEBHOOKS_DELIVERY_IN_FLIGHT: t('webhooks.errors.inFlight'),
    WEBHOOKS_URL_NOT_ALLOWED: t('webhooks.errors.urlNotAllowed'),
  };
}

function EndpointCard({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const formatDateTime = useFormatDateTime();
  const mayUpdate = useHasRight('settings:update');
  const mayDelete = useHasRight('settings:delete');
  const update = useUpdateEndpoint();
  const test = useSendTest();
  const rotate = useRotateSecret();
  const remove = useDeleteEndpoint();
  const [editing, setEditing] = useState(false);
  const [confirm, setConfirm] = useState<'rotate' | 'delete' | undefined>(undefined);
  const [secret, setSecret] = useState<string | undefined>(undefined);
  const errorMessages = useErrorMessages();
  const state = endpointState(endpoint);
  const error = update.error ?? test.error ?? rotate.error;

  return (
    <Card withBorder radius="md" padding="lg">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={4}>
            <Title order={1} size="h3" style={{ wordBreak: 'break-all' }} data-testid="webhook-detail-url">
              {endpoint.url}
            </Title>
            {endpoint.description && <Text c="dimmed">{endpoint.description}</Text>}
          </Stack>
          <Badge
            color={endpointStateColors[state]}
            variant="dot"
            size="lg"
            data-testid="webhook-detail-state"
          >
            {t(`webhooks.states.${state}`)}
          </Badge>
        </Group>
        {state === 'gone' && endpoint.disabledAt && (
          <Alert color="red" variant="light">
            {t('webhooks.detail.gone', { at: formatDateTime(endpoint.disabledAt) })}
          </Alert>
        )}
        <Group gap={4}>
          <Text size="sm" fw={500} mr={4}>
            {t('webhooks.events')}:
          </Text>
          {endpoint.eventTypes.map((type) => (
            <Badge key={type} variant="light" title={type}>
              {t(eventLabelKey(type))}
            </Badge>
          ))}
        </Group>
        <Text size="sm" c="dimmed">
          {endpoint.secretRotatedAt
            ? t('webhooks.detail.secretRotated', { at: formatDateTime(endpoint.secretRotatedAt) })
            : t('webhooks.detail.secretSince', { at: formatDateTime(endpoint.createdAt) })}
        </Text>
        <ErrorAlert error={error} messages={errorMessages} />
        {test.isSuccess && (
          <Alert color="green" variant="light" data-testid="webhook-test-sent">
            {t('webhooks.detail.testSent')}
          </Alert>
        )}
        {mayUpdate && (
          <Group gap="sm">
            <Button
              onClick={() => test.mutate(endpoint.id)}
              loading={test.isPending}
              disabled={!endpoint.active}
              data-testid="webhook-test"
            >
              {t('webhooks.detail.test')}
            </Button>
            <Button variant="default" onClick={() => setEditing(true)} data-testid="webhook-edit">
              {t('common.edit')}
            </Button>
            <Button variant="default" onClick={() => setConfirm('rotate')} data-testid="webhook-rotate">
              {t('webhooks.detail.rotate')}
            </Button>
            <Switch
              label={t('webhooks.detail.active')}
              checked={endpoint.active}
              disabled={update.isPending}
              onChange={(e) =>
                update.mutate({ id: endpoint.id, changes: { active: e.currentTarget.checked } })
              }
              data-testid="webhook-active"
            />
            {mayDelete && (
              <Button
                color="red"
                variant="light"
                ml="auto"
                onClick={() => setConfirm('delete')}
                data-testid="webhook-delete"
              >
                {t('webhooks.detail.delete')}
              </Button>
            )}
          </Group>
        )}
      </Stack>

      {editing && <EndpointFormModal endpoint={endpoint} onClose={() => setEditing(false)} />}
      {confirm && (
        <Modal
          opened
          onClose={() => setConfirm(undefined)}
          title={confirm === 'rotate' ? t('webhooks.detail.rotateTitle') : t('webhooks.detail.deleteTitle')}
          centered
        >
          <Stack gap="md">
            <Text size="sm">
              {confirm === 'rotate' ? t('webhooks.detail.rotateConfirm') : t('webhooks.detail.deleteConfirm')}
            </Text>
            <ErrorAlert error={confirm === 'rotate' ? rotate.error : remove.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirm(undefined)}>
                {t('common.cancel')}
              </Button>
              <Button
                color={confirm === 'delete' ? 'red' : undefined}
                loading={rotate.isPending || remove.isPending}
                data-testid="webhook-confirm"
                onClick={() =>
                  confirm === 'rotate'
                    ? rotate.mutate(endpoint.id, {
                        onSuccess: (rotated) => {
                          setConfirm(undefined);
                          setSecret(rotated.secret);
                        },
                      })
                    : remove.mutate(endpoint.id, {
                        onSuccess: () => void navigate('/settings/webhooks', { replace: true }),
                      })
                }
              >
                {confirm === 'rotate' ? t('webhooks.detail.rotate') : t('webhooks.detail.delete')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
      {secret && <SecretModal secret={secret} onClose={() => setSecret(undefined)} />}
    </Card>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const mayUpdate = useHasRight('settings:update');
  const [status, setStatus] = useState<DeliveryStatus | undefined>(undefined);
  const deliveries = useDeliveries(endpointId, status);
  const retry = useRetryDelivery();
  const errorMessages = useErrorMessages();
  const items = deliveries.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack gap="md" data-testid="webhook-deliveries">
      <Group justify="space-between" align="flex-end">
        <Title order={2} size="h4">
          {t('webhooks.deliveries.title')}
        </Title>
        <Group gap="sm" align="flex-end">
          <Select
            label={t('webhooks.deliveries.filter')}
            data={[
              { value: 'all', label: t('webhooks.deliveries.all') },
              ...deliveryStatuses.map((s) => ({ value: s, label: t(`webhooks.deliveries.statuses.${s}`) })),
            ]}
            value={status ?? 'all'}
            onChange={(value) =>
              setStatus(value === 'all' || value === null ? undefined : (value as DeliveryStatus))
            }
            allowDeselect={false}
            w={200}
          />
          <Button
            variant="default"
            onClick={() => void deliveries.refetch()}
            loading={deliveries.isRefetching}
            data-testid="webhook-deliveries-refresh"
          >
            {t('webhooks.deliveries.refresh')}
          </Button>
        </Group>
      </Group>
      <ErrorAlert error={retry.error} messages={errorMessages} />
      {deliveries.isPending ? (
        <Loader />
      ) : deliveries.isError ? (
        <ErrorAlert error={deliveries.error} />
      ) : items.length === 0 ? (
        <Text c="dimmed" data-testid="webhook-deliveries-empty">
          {t('webhooks.deliveries.empty')}
        </Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="xs" data-testid="webhook-deliveries-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('webhooks.deliveries.createdAt')}</Table.Th>
                  <Table.Th>{t('webhooks.deliveries.event')}</Table.Th>
                  <Table.Th>{t('webhooks.deliveries.status')}</Table.Th>
                  <Table.Th ta="right">{t('webhooks.deliveries.attempts')}</Table.Th>
                  <Table.Th ta="right">{t('webhooks.deliveries.response')}</Table.Th>
                  <Table.Th>{t('webhooks.deliveries.lastError')}</Table.Th>
                  <Table.Th>{t('webhooks.deliveries.nextAttempt')}</Table.Th>
                  {mayUpdate && <Table.Th />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((delivery) => (
                  <Table.Tr key={delivery.id} data-testid="webhook-delivery" data-status={delivery.status}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(delivery.createdAt)}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{t(eventLabelKey(delivery.eventType))}</Text>
                      <Text size="xs" c="dimmed" ff="monospace" title={t('webhooks.deliveries.webhookId')}>
                        {delivery.eventId}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ minWidth: 140 }}>
                      <Badge
                        color={deliveryStatusColors[delivery.status]}
                        variant="light"
                        data-testid="webhook-delivery-status"
                      >
                        {t(`webhooks.deliveries.statuses.${delivery.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td ta="right" data-testid="webhook-delivery-attempts">
                      {delivery.attempts}
                    </Table.Td>
                    <Table.Td ta="right" data-testid="webhook-delivery-code">
                      {delivery.lastStatusCode ?? '—'}
                      {delivery.lastDurationMs !== null && (
                        <Text size="xs" c="dimmed">
                          {t('webhooks.deliveries.duration', { ms: delivery.lastDurationMs })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{delivery.lastError ?? '—'}</Text>
                      {delivery.lastResponseSnippet && (
                        <Text size="xs" c="dimmed" lineClamp={2} title={delivery.lastResponseSnippet}>
                          {delivery.lastResponseSnippet}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {delivery.status === 'retrying' && delivery.nextAttemptAt
                        ? formatDateTime(delivery.nextAttemptAt)
                        : '—'}
                    </Table.Td>
                    {mayUpdate && (
                      <Table.Td ta="right">
                        {delivery.status !== 'pending' && (
                          <Button
                            size="xs"
                            variant="subtle"
                            loading={retry.isPending && retry.variables === delivery.id}
                            onClick={() => retry.mutate(delivery.id)}
                            data-testid="webhook-delivery-retry"
                          >
                            {delivery.status === 'succeeded'
                              ? t('webhooks.deliveries.resend')
                              : t('webhooks.deliveries.retry')}
                          </Button>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {deliveries.hasNextPage && (
            <Group justify="center">
              <Button
                variant="default"
                onClick={() => void deliveries.fetchNextPage()}
                loading={deliveries.isFetchingNextPage}
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
