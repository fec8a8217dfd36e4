import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { NotFoundPage } from '../../../app/NotFoundPage.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useHasRight } from '../../auth/index.ts';
import { useConsentLabels } from '../../consent/index.ts';
import { ConfirmDeleteModal, type ContactChoice, ContactSelect, isUuid } from '../../contacts/index.ts';
import {
  type Newsletter,
  SUBSCRIPTION_STATUSES,
  type Subscription,
  type SubscriptionStatus,
} from '../api/newsletters.ts';
import {
  useAddSubscription,
  useNewsletter,
  useSubscriptions,
  useUnsubscribe,
} from '../hooks/useNewsletters.ts';
import { type NewsletterLanguage, newsletterTitle } from '../model/newsletter.ts';

export const subscriptionStatusColor: Record<SubscriptionStatus, string> = {
  pending: 'yellow',
  subscribed: 'green',
  unsubscribed: 'red',
};

/** `/newsletters/:newsletterId/subscriptions`: who subscribed, who waits for confirmation, who left. */
export function SubscriptionsPage() {
  const { newsletterId = '' } = useParams();
  const newsletter = useNewsletter(isUuid(newsletterId) ? newsletterId : undefined);
  if (!isUuid(newsletterId)) return <NotFoundPage />;
  if (newsletter.isPending) return <Loader />;
  if (newsletter.isError) return <ErrorAlert error={newsletter.error} />;
  return <Subscriptions newsletter={newsletter.data} />;
}

function Subscriptions({ newsletter }: { newsletter: Newsletter }) {
  const { t, i18n } = useTranslation();
  const title = newsletterTitle(newsletter, i18n.language);
  usePageTitle(`${title} · ${t('newsletters.subscriptions')}`);
  const [params, setParams] = useSearchParams();
  const status = SUBSCRIPTION_STATUSES.find((candidate) => candidate === params.get('status'));
  const list = useSubscriptions(newsletter.id, status);
  const formatDateTime = useFormatDateTime();
  const labels = useConsentLabels();
  const mayAdd = useHasRight('marketing:create');
  const mayRemove = useHasRight('marketing:delete');
  const [adding, setAdding] = useState(false);
  const [leaving, setLeaving] = useState<Subscription | null>(null);
  const [added, setAdded] = useState<'pending' | 'subscribed' | null>(null);
  const remove = useUnsubscribe();
  const archived = newsletter.archivedAt != null || newsletter.archived === true;
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];
  const when = (iso: string | null | undefined) => (iso ? formatDateTime(iso) : '—');

  return (
    <Stack gap="lg" data-testid="subscriptions-page">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Anchor component={Link} to={`/newsletters/${newsletter.id}`} size="sm">
            ← {title}
          </Anchor>
          <Title order={1}>{t('newsletters.subscriptions')}</Title>
          <Text c="dimmed" maw={760}>
            {newsletter.doubleOptIn
              ? t('newsletters.subscriptionsIntroDoi')
              : t('newsletters.subscriptionsIntro')}
          </Text>
        </Stack>
        {mayAdd && !archived && (
          <Button onClick={() => setAdding(true)} data-testid="subscription-add">
            {t('newsletters.addContact')}
          </Button>
        )}
      </Group>
      {added && (
        <Alert
          color="green"
          variant="light"
          withCloseButton
          onClose={() => setAdded(null)}
          data-testid="subscription-added"
        >
          {added === 'pending' ? t('newsletters.addedPending') : t('newsletters.addedSubscribed')}
        </Alert>
      )}
      <SegmentedControl
        value={status ?? 'all'}
        onChange={(value) => {
          const next = new URLSearchParams(params);
          if (value === 'all') next.delete('status');
          else next.set('status', value);
          setParams(next, { replace: true });
        }}
        data={[
          { value: 'all', label: t('newsletters.allStatuses') },
          ...SUBSCRIPTION_STATUSES.map((value) => ({ value, label: t(`newsletters.statuses.${value}`) })),
        ]}
        w="fit-content"
        data-testid="subscription-status-filter"
      />
      {list.isPending ? (
        <Loader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} />
      ) : rows.length === 0 ? (
        <Text c="dimmed" data-testid="subscriptions-empty">
          {t('newsletters.noSubscriptions')}
        </Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="sm" data-testid="subscriptions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('newsletters.contact')}</Table.Th>
                  <Table.Th>{t('newsletters.status')}</Table.Th>
                  <Table.Th>{t('newsletters.source')}</Table.Th>
                  <Table.Th>{t('newsletters.requestedAt')}</Table.Th>
                  <Table.Th>{t('newsletters.confirmedAt')}</Table.Th>
                  <Table.Th>{t('newsletters.unsubscribedAt')}</Table.Th>
                  {mayRemove && <Table.Th />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((subscription) => (
                  <Table.Tr
                    key={subscription.id}
                    data-testid="subscription-row"
                    data-status={subscription.status}
                  >
                    <Table.Td>
                      <Anchor component={Link} to={`/contacts/${subscription.contactId}/gdpr`} size="sm">
                        {subscription.contactName ??
                          subscription.contactEmail ??
                          t('newsletters.contactN', { id: subscription.contactId.slice(0, 8) })}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={subscriptionStatusColor[subscription.status]} variant="light">
                        {t(`newsletters.statuses.${subscription.status}`)}
                      </Badge>
                      {subscription.status === 'pending' && subscription.expiresAt && (
                        <Text size="xs" c="dimmed">
                          {t('newsletters.expiresAt', { when: formatDateTime(subscription.expiresAt) })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{subscription.source ? labels.source(subscription.source) : '—'}</Text>
                      {subscription.legalBasis && (
                        <Text size="xs" c="dimmed">
                          {t(`newsletters.legalBases.${legalBasisKey(subscription.legalBasis)}`)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{when(subscription.requestedAt)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{when(subscription.confirmedAt)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{when(subscription.unsubscribedAt)}</Table.Td>
                    {mayRemove && (
                      <Table.Td ta="right">
                        {subscription.status !== 'unsubscribed' && (
                          <Button
                            size="xs"
                            variant="subtle"
                            color="red"
                            onClick={() => setLeaving(subscription)}
                            data-testid="subscription-unsubscribe"
                          >
                            {t('newsletters.unsubscribe')}
                          </Button>
                        )}
                      </Table.Td>
                    )}
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
      {adding && (
        <AddContactModal
          newsletter={newsletter}
          onClose={() => setAdding(false)}
          onAdded={(result) => {
            setAdding(false);
            setAdded(result);
          }}
        />
      )}
      {leaving && (
        <ConfirmDeleteModal
          title={t('newsletters.unsubscribeTitle')}
          confirmLabel={t('newsletters.unsubscribe')}
          pending={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate(leaving.id, { onSuccess: () => setLeaving(null) })}
          onClose={() => {
            remove.reset();
            setLeaving(null);
          }}
          testId="subscription-unsubscribe-confirm"
        >
          {t('newsletters.unsubscribeText', { newsletter: title })}
        </ConfirmDeleteModal>
      )}
    </Stack>
  );
}

const legalBasisKeys = {
  'consent-doi': 'consentDoi',
  'customer-exemption': 'customerExemption',
  import: 'import',
} as const;

function legalBasisKey(basis: string): (typeof legalBasisKeys)[keyof typeof legalBasisKeys] {
  return legalBasisKeys[basis as keyof typeof legalBasisKeys] ?? 'consentDoi';
}

function AddContactModal({
  newsletter,
  onClose,
  onAdded,
}: {
  newsletter: Newsletter;
  onClose: () => void;
  onAdded: (status: 'pending' | 'subscribed') => void;
}) {
  const { t } = useTranslation();
  const add = useAddSubscription();
  const [contact, setContact] = useState<ContactChoice | null>(null);
  const [language, setLanguage] = useState<NewsletterLanguage | null>(null);
  const languages = (newsletter.languages ?? []).filter(
    (lang): lang is NewsletterLanguage => lang === 'de' || lang === 'en' || lang === 'fr',
  );
  return (
    <Modal opened onClose={onClose} centered title={t('newsletters.addContact')}>
      <Stack gap="md" data-testid="subscription-add-dialog">
        <ContactSelect
          value={contact}
          onChange={setContact}
          label={t('newsletters.contact')}
          testId="subscription-contact"
        />
        <Select
          label={t('newsletters.mailLanguage')}
          description={t('newsletters.mailLanguageHint')}
          data={languages.map((lang) => ({ value: lang, label: t(`forms.languages.${lang}`) }))}
          value={language}
          onChange={(value) => setLanguage(value as NewsletterLanguage | null)}
          clearable
        />
        <Alert color="gray" variant="light">
          <Text size="xs">
            {newsletter.doubleOptIn ? t('newsletters.addHintDoi') : t('newsletters.addHintNoDoi')}
          </Text>
        </Alert>
        <ErrorAlert
          error={add.error}
          messages={{
            CONSENT_CONTACT_WITHOUT_EMAIL: t('newsletters.errors.noEmail'),
            CONSENT_NEWSLETTER_ARCHIVED: t('newsletters.errors.archived'),
          }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            disabled={contact === null}
            loading={add.isPending}
            onClick={() =>
              contact &&
              add.mutate(
                { contactId: contact.id, newsletterId: newsletter.id, language: language ?? undefined },
                { onSuccess: (result) => onAdded(result.status) },
              )
            }
            data-testid="subscription-add-confirm"
          >
            {newsletter.doubleOptIn ? t('newsletters.sendConfirmation') : t('newsletters.subscribe')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
