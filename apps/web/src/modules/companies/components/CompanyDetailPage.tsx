import { Anchor, Button, Card, Group, Loader, Stack, Tabs, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { NotFoundPage } from '../../../app/NotFoundPage.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useHasRight } from '../../auth/index.ts';
import {
  ConfirmDeleteModal,
  CustomFieldsCard,
  companyFields,
  DocumentsPanel,
  type FieldAccess,
  FieldGroups,
  isUuid,
  RecordAccessPanel,
  TagList,
  useFieldAccess,
} from '../../contacts/index.ts';
import type { Company } from '../api/companies.ts';
import { useCompany, useDeleteCompany } from '../hooks/useCompanies.ts';
import { CompanyPersons } from './CompanyPersons.tsx';

const tabs = ['overview', 'persons', 'documents', 'access-log'] as const;
type Tab = (typeof tabs)[number];

/** `/companies/:companyId[/:tab]` */
export function CompanyDetailPage() {
  const { companyId = '', tab = 'overview' } = useParams();
  const known = tabs.find((candidate) => candidate === tab);
  if (!isUuid(companyId) || !known) return <NotFoundPage />;
  return <CompanyDetail companyId={companyId} tab={known} />;
}

function CompanyDetail({ companyId, tab }: { companyId: string; tab: Tab }) {
  const { t } = useTranslation();
  const company = useCompany(companyId);
  const access = useFieldAccess();
  usePageTitle(company.data?.name ?? t('modules.companies'));

  return (
    <Stack gap="lg" data-testid="company-detail-page">
      <Anchor component={Link} to="/companies" size="sm">
        ← {t('companies.detail.back')}
      </Anchor>
      {company.isPending || access.isPending ? (
        <Loader />
      ) : company.isError || access.isError ? (
        <ErrorAlert error={company.error ?? access.error} />
      ) : (
        <>
          <CompanyHeader company={company.data} />
          <CompanyTabs company={company.data} tab={tab} access={access.data} />
        </>
      )}
    </Stack>
  );
}

function CompanyHeader({ company }: { company: Company }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const mayUpdate = useHasRight('companies:update');
  const mayDelete = useHasRight('companies:delete');
  const mayDeletePersons = useHasRight('contacts:delete');
  const [deleting, setDeleting] = useState(false);
  const remove = useDeleteCompany();
  const cascade = company.contactCount > 0;

  return (
    <Group justify="space-between" align="flex-start">
      <Stack gap={4}>
        <Title order={1} data-testid="company-name">
          {company.name}
        </Title>
        <Text c="dimmed" size="sm">
          {t('companies.persons.count', { count: company.contactCount })}
        </Text>
      </Stack>
      <Group gap="xs">
        {mayUpdate && (
          <Button component={Link} to={`/companies/${company.id}/edit`} data-testid="company-edit">
            {t('common.edit')}
          </Button>
        )}
        {mayDelete && (
          <Button color="red" variant="light" onClick={() => setDeleting(true)} data-testid="company-delete">
            {t('companies.delete.button')}
          </Button>
        )}
      </Group>
      {deleting && (
        <ConfirmDeleteModal
          title={t('companies.delete.title')}
          confirmLabel={
            cascade
              ? t('companies.delete.confirmCascade', { count: company.contactCount })
              : t('companies.delete.confirm')
          }
          pending={remove.isPending}
          error={remove.error}
          errorMessages={{
            CONTACTS_CASCADE_FORBIDDEN: t('companies.delete.cascadeForbidden'),
            CONTACTS_COMPANY_NOT_FOUND: t('companies.errors.notFound'),
            CONTACTS_OUT_OF_SCOPE: t('companies.delete.outOfScope'),
          }}
          onConfirm={() =>
            remove.mutate(company.id, { onSuccess: () => void navigate('/companies', { replace: true }) })
          }
          onClose={() => {
            remove.reset();
            setDeleting(false);
          }}
          testId="company-delete-dialog"
        >
          <Stack gap="xs">
            <Text size="sm" data-testid="company-delete-text">
              {cascade
                ? t('companies.delete.textCascade', { name: company.name, count: company.contactCount })
                : t('companies.delete.text', { name: company.name })}
            </Text>
            {cascade && !mayDeletePersons && (
              <Text size="sm" c="red">
                {t('companies.delete.cascadeForbidden')}
              </Text>
            )}
          </Stack>
        </ConfirmDeleteModal>
      )}
    </Group>
  );
}

function CompanyTabs({ company, tab, access }: { company: Company; tab: Tab; access: FieldAccess }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const formatDateTime = useFormatDateTime();
  const mayReadAccessLog = useHasRight('privacy:read');
  const base = `/companies/${company.id}`;
  const go = (next: string | null) => {
    if (next === null) return;
    void navigate(next === 'overview' ? base : `${base}/${next}`);
  };
  const shown = tabs.filter(
    (candidate) => candidate !== 'access-log' || mayReadAccessLog || tab === candidate,
  );

  return (
    <Tabs value={tab} onChange={go} keepMounted={false}>
      <Tabs.List>
        {shown.map((candidate) => (
          <Tabs.Tab key={candidate} value={candidate} data-testid={`company-tab-${candidate}`}>
            {t(`companies.detail.tabs.${candidate}`)}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      <Tabs.Panel value="overview" pt="md">
        <Stack gap="md" data-testid="company-overview">
          <FieldGroups defs={companyFields} record={company} access={access} />
          <TagsCard tags={company.tags} />
          <CustomFieldsCard objectType="company" value={company.customFields} access={access} />
          <Text size="xs" c="dimmed">
            {t('contacts.detail.timestamps', {
              created: formatDateTime(company.createdAt),
              updated: formatDateTime(company.updatedAt),
            })}
          </Text>
        </Stack>
      </Tabs.Panel>
      <Tabs.Panel value="persons" pt="md">
        <CompanyPersons company={company} access={access} />
      </Tabs.Panel>
      <Tabs.Panel value="documents" pt="md">
        <DocumentsPanel owner="companies" ownerId={company.id} access={access} />
      </Tabs.Panel>
      <Tabs.Panel value="access-log" pt="md">
        <RecordAccessPanel recordId={company.id} kind="company" />
      </Tabs.Panel>
    </Tabs>
  );
}

function TagsCard({ tags }: { tags: string[] }) {
  const { t } = useTranslation();
  return (
    <Card withBorder radius="md" padding="md">
      <Stack gap="sm">
        <Title order={2} size="h5">
          {t('contacts.groups.tags')}
        </Title>
        <TagList tags={tags} />
      </Stack>
    </Card>
  );
}
