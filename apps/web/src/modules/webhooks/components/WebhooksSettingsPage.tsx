import { Anchor, Badge, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useNavigate } from 'react-router-dom';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { NotFoundPage } from '../../../app/NotFoundPage.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useHasRight } from '../../auth/index.ts';
import { useEndpoints } from '../hooks/useWebhooks.ts';
import { EndpointDetailPage } from './EndpointDetailPage.tsx';
import { EndpointFormModal } from './EndpointFormModal.tsx';
import { endpointState, endpointStateColors, eventLabelKey } from './labels.ts';
import { SecretModal } from './SecretModal.tsx';

/** `/settings/webhooks/*`: the endpoints, and one endpoint with its deliveries. */
export function WebhooksSettingsPage() {
  return (
    <Routes>
      <Route index element={<EndpointsPage />} />
      <Route path=":endpointId" element={<EndpointDetailPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}

function EndpointsPage() {
  const { t } = useTranslation();
  usePageTitle(t('navSections.webhooks'));
  const navigate = useNavigate();
  const endpoints = useEndpoints();
  const formatDateTime = useFormatDateTime();
  const mayCreate = useHasRight('settings:create');
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<{ id: string; secret: string } | undefined>(undefined);
  const rows = endpoints.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack gap="lg" data-testid="webhooks-page">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1}>{t('navSections.webhooks')}</Title>
          <Text c="dimmed" maw={760}>
            {t('webhooks.intro')}
          </Text>
        </Stack>
        {mayCreate && (
          <Button onClick={() => setAdding(true)} data-testid="webhook-new">
            {t('webhooks.new')}
          </Button>
        )}
      </Group>

      {endpoints.isPending ? (
        <Loader />
      ) : endpoints.isError ? (
        <ErrorAlert error={endpoints.error} />
      ) : rows.length === 0 ? (
        <Text c="dimmed" data-testid="webhooks-empty">
          {t('webhooks.empty')}
        </Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={760}>
            <Table highlightOnHover verticalSpacing="sm" data-testid="webhooks">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('webhooks.url')}</Table.Th>
                  <Table.Th>{t('webhooks.events')}</Table.Th>
                  <Table.Th>{t('webhooks.state')}</Table.Th>
                  <Table.Th>{t('webhooks.created')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((endpoint) => {
                  const state = endpointState(endpoint);
                  return (
                    <Table.Tr key={endpoint.id} data-testid="webhook-row">
                      <Table.Td>
                        <Anchor
                          component={Link}
                          to={`/settings/webhooks/${endpoint.id}`}
                          fw={500}
                          style={{ wordBreak: 'break-all' }}
                          data-testid="webhook-open"
                        >
                          {endpoint.url}
                        </Anchor>
                        {endpoint.description && (
                          <Text size="xs" c="dimmed">
                            {endpoint.description}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {endpoint.eventTypes.map((type) => (
                            <Badge key={type} variant="light" title={type}>
                              {t(eventLabelKey(type))}
                            </Badge>
                          ))}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Badge color={endpointStateColors[state]} variant="dot" data-testid="webhook-state">
                          {t(`webhooks.states.${state}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(endpoint.createdAt)}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {endpoints.hasNextPage && (
            <Group justify="center">
              <Button
                variant="default"
                onClick={() => void endpoints.fetchNextPage()}
                loading={endpoints.isFetchingNextPage}
              >
                {t('common.loadMore')}
              </Button>
            </Group>
          )}
        </>
      )}

      {adding && (
        <EndpointFormModal
          onClose={() => setAdding(false)}
          onCreated={(endpoint) => {
            setAdding(false);
            setCreated({ id: endpoint.id, secret: endpoint.secret });
          }}
        />
      )}
      {created && (
        <SecretModal
          secret={created.secret}
          onClose={() => {
            const id = created.id;
            setCreated(undefined);
            void navigate(`/settings/webhooks/${id}`);
          }}
        />
      )}
    </Stack>
  );
}
