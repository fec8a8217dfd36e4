import {
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes } from 'react-router-dom';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { NotFoundPage } from '../../../app/NotFoundPage.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { RequireRight, useHasRight } from '../../auth/index.ts';
import { useNewsletterList } from '../hooks/useNewsletters.ts';
import { newsletterTitle } from '../model/newsletter.ts';
import { NewsletterEditorPage } from './NewsletterEditorPage.tsx';
import { SubscriptionsPage } from './SubscriptionsPage.tsx';

/** `/newsletters/*`: the list, a new newsletter, one to edit, and its subscriptions. */
export function NewslettersPage() {
  return (
    <RequireRight right="marketing:read">
      <Routes>
        <Route index element={<NewsletterListPage />} />
        <Route
          path="new"
          element={
            <RequireRight right="marketing:create">
              <NewsletterEditorPage />
            </RequireRight>
          }
        />
        <Route path=":newsletterId" element={<NewsletterEditorPage />} />
        <Route path=":newsletterId/subscriptions" element={<SubscriptionsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </RequireRight>
  );
}

function NewsletterListPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('modules.newsletters'));
  const [view, setView] = useState<'active' | 'archived'>('active');
  const list = useNewsletterList(view === 'archived');
  const formatDateTime = useFormatDateTime();
  const mayCreate = useHasRight('marketing:create');
  const newsletters = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack gap="lg" data-testid="newsletters-page">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1}>{t('modules.newsletters')}</Title>
          <Text c="dimmed" maw={760}>
            {t('newsletters.intro')}
          </Text>
        </Stack>
        {mayCreate && (
          <Button component={Link} to="/newsletters/new" data-testid="newsletter-new">
            {t('newsletters.new')}
          </Button>
        )}
      </Group>
      <SegmentedControl
        value={view}
        onChange={(value) => setView(value === 'archived' ? 'archived' : 'active')}
        data={[
          { value: 'active', label: t('newsletters.active') },
          { value: 'archived', label: t('newsletters.archived') },
        ]}
        w="fit-content"
      />
      {list.isPending ? (
        <Loader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} />
      ) : newsletters.length === 0 ? (
        <Text c="dimmed" data-testid="newsletters-empty">
          {view === 'archived' ? t('newsletters.noneArchived') : t('newsletters.none')}
        </Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={820}>
            <Table verticalSpacing="sm" data-testid="newsletters">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('newsletters.title')}</Table.Th>
                  <Table.Th>{t('newsletters.settings')}</Table.Th>
                  <Table.Th ta="right">{t('newsletters.statuses.subscribed')}</Table.Th>
                  <Table.Th ta="right">{t('newsletters.statuses.pending')}</Table.Th>
                  <Table.Th ta="right">{t('newsletters.statuses.unsubscribed')}</Table.Th>
                  <Table.Th>{t('newsletters.updatedAt')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {newsletters.map((newsletter) => (
                  <Table.Tr
                    key={newsletter.id}
                    data-testid="newsletter-row"
                    data-newsletter-id={newsletter.id}
                  >
                    <Table.Td>
                      <Anchor component={Link} to={`/newsletters/${newsletter.id}`} fw={500}>
                        {newsletterTitle(newsletter, i18n.language)}
                      </Anchor>
                      <Text size="xs" c="dimmed">
                        {newsletter.name} ·{' '}
                        <Text span ff="monospace" size="xs">
                          {newsletter.listId}
                        </Text>
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        <Badge variant="light" color={newsletter.doubleOptIn ? 'green' : 'orange'}>
                          {newsletter.doubleOptIn ? t('newsletters.doiOn') : t('newsletters.doiOff')}
                        </Badge>
                        {newsletter.welcomeEnabled && (
                          <Badge variant="light" color="blue">
                            {t('newsletters.welcomeOn')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Anchor
                        component={Link}
                        to={`/newsletters/${newsletter.id}/subscriptions?status=subscribed`}
                        data-testid="newsletter-subscribed-count"
                      >
                        {newsletter.counts?.subscribed ?? '—'}
                      </Anchor>
                    </Table.Td>
                    <Table.Td ta="right">{newsletter.counts?.pending ?? '—'}</Table.Td>
                    <Table.Td ta="right">{newsletter.counts?.unsubscribed ?? '—'}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTime(newsletter.updatedAt)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
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
    </Stack>
  );
}
