import type { AccessLevel } from '@kontor/contracts';
import { Button, Group, Loader, Stack, Text } from '@mantine/core';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { RequireRight, useHasRight } from '../../auth/index.ts';
import {
  CellText,
  type Column,
  type Contact,
  contactName,
  type FieldAccess,
  useContactList,
  VirtualTable,
} from '../../contacts/index.ts';
import type { Company } from '../api/companies.ts';

/** The persons of a company (`/api/v1/contacts?companyId=`), with a way to add one. */
export function CompanyPersons({ company, access }: { company: Company; access: FieldAccess }) {
  return (
    <RequireRight right="contacts:read">
      <PersonList company={company} access={access} />
    </RequireRight>
  );
}

function PersonList({ company, access }: { company: Company; access: FieldAccess }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const mayCreate = useHasRight('contacts:create');
  const filter = useMemo(() => ({ companyId: company.id }), [company.id]);
  const persons = useContactList(filter);
  const rows = useMemo(() => persons.data?.pages.flatMap((page) => page.items) ?? [], [persons.data]);
  const loadMore = useCallback(() => {
    void persons.fetchNextPage({ cancelRefetch: false });
  }, [persons.fetchNextPage]);
  const level = (category: 'identity' | 'contact_details'): AccessLevel => access[category];

  const columns: Column<Contact>[] = [
    {
      id: 'name',
      header: t('contacts.list.columns.name'),
      width: '30%',
      render: (person) => (
        <Text
          component={Link}
          to={`/contacts/${person.id}`}
          size="sm"
          fw={500}
          c="inherit"
          onClick={(event) => event.stopPropagation()}
          data-testid="company-person-name"
        >
          {contactName(t, person)}
        </Text>
      ),
    },
    {
      id: 'email',
      header: t('contacts.list.columns.email'),
      width: '30%',
      render: (person) => <CellText value={person.email} level={level('contact_details')} />,
    },
    {
      id: 'phone',
      header: t('contacts.list.columns.phone'),
      width: '20%',
      render: (person) => <CellText value={person.phone ?? person.mobile} level={level('contact_details')} />,
    },
    {
      id: 'tags',
      header: t('contacts.list.columns.tags'),
      render: (person) => <Text size="sm">{person.tags.join(', ')}</Text>,
    },
  ];

  const addLink = `/contacts/new?${new URLSearchParams({ companyId: company.id, companyName: company.name })}`;

  return (
    <Stack gap="md" data-testid="company-persons">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('companies.persons.count', { count: company.contactCount })}
        </Text>
        {mayCreate && (
          <Button component={Link} to={addLink} size="xs" data-testid="company-add-person">
            {t('companies.persons.add')}
          </Button>
        )}
      </Group>
      {persons.isPending ? (
        <Loader />
      ) : persons.isError ? (
        <ErrorAlert error={persons.error} />
      ) : rows.length === 0 ? (
        <Text c="dimmed" data-testid="company-persons-empty">
          {t('companies.persons.empty')}
        </Text>
      ) : (
        <VirtualTable
          rows={rows}
          rowKey={(person) => person.id}
          columns={columns}
          onRowClick={(person) => void navigate(`/contacts/${person.id}`)}
          hasMore={persons.hasNextPage}
          loadingMore={persons.isFetchingNextPage}
          onLoadMore={loadMore}
          height="min(60dvh, 640px)"
          testId="company-persons-table"
          rowTestId="company-person-row"
        />
      )}
    </Stack>
  );
}
