import type { FieldAccess } from '@kontor/contracts';
import { Anchor, Badge, Button, Group, Loader, Stack, Tabs, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { NotFoundPage } from '../../../app/NotFoundPage.tsx';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useHasRight } from '../../auth/index.ts';
import { GdprPanel } from '../../consent/index.ts';
import type { Contact } from '../api/contacts.ts';
import { useContact, useDeleteContact } from '../hooks/useContacts.ts';
import { useFieldAccess } from '../hooks/useFieldAccess.ts';
import { contactName } from '../names.ts';
import { isUuid } from '../uuid.ts';
import { ConfirmDeleteModal } from './ConfirmDeleteModal.tsx';
import { ContactOverview } from './ContactOverview.tsx';
import { DocumentsPanel } from './DocumentsPanel.tsx';
import { RecordAccessPanel } from './RecordAccessPanel.tsx';
import { TimelinePanel } from './TimelinePanel.tsx';

const tabs = ['overview', 'timeline', 'documents', 'gdpr', 'access-log'] as const;
type Tab = (typeof tabs)[number];

/** `/contacts/:contactId[/:tab]`: one person, with a tab per aspect. */
export function ContactDetailPage() {
  const { contactId = '', tab = 'overview' } = useParams();
  const known = tabs.find((candidate) => candidate === tab);
  if (!isUuid(contactId) || !known) return <NotFoundPage />;
  return <ContactDetail contactId={contactId} tab={known} />;
}

function ContactDetail({ contactId, tab }: { contactId: string; tab: Tab }) {
  const { t } = useTranslation();
  const contact = useContact(contactId);
  const access = useFieldAccess();
  const name = contact.data ? contactName(t, contact.data) : t('modules.contacts');
  usePageTitle(name);

  return (
    <Stack gap="lg" data-testid="contact-detail-page">
      <Anchor component={Link} to="/contacts" size="sm">
        ← {t('contacts.detail.back')}
      </Anchor>
      {contact.isPending || access.isPending ? (
        <Loader />
      ) : contact.isError || access.isError ? (
        <ErrorAlert error={contact.error ?? access.error} />
      ) : (
        <>
          <ContactHeader contact={contact.data} />
          <ContactTabs contact={contact.data} tab={tab} access={access.data} />
        </>
      )}
    </Stack>
  );
}

function ContactHeader({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const mayUpdate = useHasRight('contacts:update');
  const mayDelete = useHasRight('contacts:delete');
  const mayReadCompanies = useHasRight('companies:read');
  const [deleting, setDeleting] = useState(false);
  const remove = useDeleteContact();
  const name = contactName(t, contact);

  return (
    <Group justify="space-between" align="flex-start">
      <Stack gap={4}>
        <Title order={1} data-testid="contact-name">
          {name}
        </Title>
        <Group gap="xs">
          {contact.companyId &&
            contact.companyName &&
            (mayReadCompanies ? (
              <Anchor
                component={Link}
                to={`/companies/${contact.companyId}`}
                data-testid="contact-company-link"
              >
                {contact.companyName}
              </Anchor>
            ) : (
              <Text>{contact.companyName}</Text>
            ))}
          {contact.tags.map((tag) => (
            <Badge key={tag} variant="light" color="grape" tt="none" data-testid="contact-tag">
              {tag}
            </Badge>
          ))}
        </Group>
      </Stack>
      <Group gap="xs">
        {mayUpdate && (
          <Button component={Link} to={`/contacts/${contact.id}/edit`} data-testid="contact-edit">
            {t('common.edit')}
          </Button>
        )}
        {mayDelete && (
          <Button color="red" variant="light" onClick={() => setDeleting(true)} data-testid="contact-delete">
            {t('contacts.delete.button')}
          </Button>
        )}
      </Group>
      {deleting && (
        <ConfirmDeleteModal
          title={t('contacts.delete.title')}
          confirmLabel={t('contacts.delete.confirm')}
          pending={remove.isPending}
          error={remove.error}
          errorMessages={{ CONTACTS_NOT_FOUND: t('contacts.errors.notFound') }}
          onConfirm={() =>
            remove.mutate(contact.id, { onSuccess: () => void navigate('/contacts', { replace: true }) })
          }
          onClose={() => {
            remove.reset();
            setDeleting(false);
          }}
          testId="contact-delete-dialog"
        >
          {t('contacts.delete.text', { name })}
        </ConfirmDeleteModal>
      )}
    </Group>
  );
}

function ContactTabs({ contact, tab, access }: { contact: Contact; tab: Tab; access: FieldAccess }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const mayReadAccessLog = useHasRight('privacy:read');
  const base = `/contacts/${contact.id}`;
  const go = (next: string | null) => {
    if (next === null) return;
    void navigate(next === 'overview' ? base : `${base}/${next}`);
  };
  // Without the right the tab is not offered; its address answers with the missing right.
  const shown = tabs.filter(
    (candidate) => candidate !== 'access-log' || mayReadAccessLog || tab === candidate,
  );

  return (
    <Tabs value={tab} onChange={go} keepMounted={false}>
      <Tabs.List>
        {shown.map((candidate) => (
          <Tabs.Tab key={candidate} value={candidate} data-testid={`contact-tab-${candidate}`}>
            {t(`contacts.detail.tabs.${candidate}`)}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      <Tabs.Panel value="overview" pt="md">
        <ContactOverview contact={contact} access={access} />
      </Tabs.Panel>
      <Tabs.Panel value="timeline" pt="md">
        <TimelinePanel contactId={contact.id} access={access} />
      </Tabs.Panel>
      <Tabs.Panel value="documents" pt="md">
        <DocumentsPanel owner="contacts" ownerId={contact.id} access={access} />
      </Tabs.Panel>
      <Tabs.Panel value="gdpr" pt="md">
        <GdprPanel contactId={contact.id} />
      </Tabs.Panel>
      <Tabs.Panel value="access-log" pt="md">
        <RecordAccessPanel recordId={contact.id} kind="contact" />
      </Tabs.Panel>
    </Tabs>
  );
}
