import type { AccessLevel } from '@kontor/contracts';
import {
  Badge,
  Button,
  EmptyState,
  Group,
  Loader,
  MultiSelect,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useHasRight } from '../../auth/index.ts';
import {
  CellText,
  type Column,
  useFieldAccess,
  useListParams,
  useTags,
  VirtualTable,
} from '../../contacts/index.ts';
import type { Company, CompanyFilter } from '../api/companies.ts';
import { useCompanyList } from '../hooks/useCompanies.ts';

const searchLimit = 50;

/** `/companies`: every company, newest first and loaded as the table scrolls, or a search's hits. */
export function CompanyListPage() {
  const { t } = useTranslation();
  usePageTitle(t('modules.companies'));
  const navigate = useNavigate();
  const { q, search, setSearch, tagsKey, setTags } = useListParams();
  const mayCreate = useHasRight('companies:create');
  const mayReadContacts = useHasRight('contacts:read');
  const access = useFieldAccess();
  const tagOptions = useTags();

  const filter = useMemo(
    (): CompanyFilter => ({ q: q || undefined, tags: tagsKey ? tagsKey.split('\n') : [] }),
    [q, tagsKey],
  );
  const tags = filter.tags ?? [];
  const filtered = filter.q !== undefined || tags.length > 0;

  const list = useCompanyList(filter);
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const loadMore = useCallback(() => {
    void list.fetchNextPage({ cancelRefetch: false });
  }, [list.fetchNextPage]);

  const level = (category: 'contact_details' | 'address'): AccessLevel => access.data?.[category] ?? 'full';
  const columns: Column<Company>[] = [
    {
      id: 'name',
      header: t('companies.list.columns.name'),
      width: '24%',
      render: (company) => (
        <Text
          component={Link}
          to={`/companies/${company.id}`}
          size="sm"
          fw={500}
          c="inherit"
          onClick={(event) => event.stopPropagation()}
          data-testid="company-row-name"
        >
          {company.name}
        </Text>
      ),
    },
    {
      id: 'city',
      header: t('companies.list.columns.city'),
      width: '14%',
      render: (company) => <CellText value={company.city} level={level('address')} />,
    },
    {
      id: 'country',
      header: t('companies.list.columns.country'),
      width: '8%',
      render: (company) => <CellText value={company.country} level={level('address')} />,
    },
    {
      id: 'email',
      header: t('companies.list.columns.email'),
      width: '18%',
      render: (company) => <CellText value={company.email} level={level('contact_details')} />,
    },
    {
      id: 'phone',
      header: t('companies.list.columns.phone'),
      width: '13%',
      render: (company) => <CellText value={company.phone} level={level('contact_details')} />,
    },
    {
      id: 'persons',
      header: t('companies.list.columns.persons'),
      width: '8%',
      render: (company) => <Text size="sm">{company.contactCount}</Text>,
    },
    {
      id: 'tags',
      header: t('companies.list.columns.tags'),
      render: (company) => (
        <Group gap={4} wrap="nowrap">
          {company.tags.map((tag) => (
            <Badge key={tag} size="sm" variant="light" color="grape" tt="none">
              {tag}
            </Badge>
          ))}
        </Group>
      ),
    },
  ];

  return (
    <Stack gap="md" data-testid="companies-page">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1}>{t('modules.companies')}</Title>
          <Text c="dimmed">{t('companies.list.intro')}</Text>
        </Stack>
        {mayCreate && (
          <Button component={Link} to="/companies/new" data-testid="company-new">
            {t('companies.list.new')}
          </Button>
        )}
      </Group>

      <Paper withBorder radius="md" p="sm">
        <SimpleGrid cols={{ base: 1, sm: mayReadContacts ? 2 : 1 }} spacing="sm">
          <TextInput
            label={t('companies.list.search')}
            placeholder={t('companies.list.searchPlaceholder')}
            value={search}
            onChange={(event) => setSearch(event.currentTarget.value)}
            type="search"
            data-testid="company-search"
          />
          {/* Tag names come from /api/v1/tags, which needs contacts:read. */}
          {mayReadContacts && (
            <MultiSelect
              label={t('companies.list.tagFilter')}
              placeholder={tags.length === 0 ? t('contacts.list.tagFilterPlaceholder') : undefined}
              data={[...new Set([...(tagOptions.data ?? []).map((tag) => tag.name), ...tags])]}
              value={[...tags]}
              onChange={setTags}
              searchable
              clearable
              maxValues={10}
              data-testid="company-tag-filter"
            />
          )}
        </SimpleGrid>
      </Paper>

      {list.isPending ? (
        <Loader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} />
      ) : rows.length === 0 ? (
        <EmptyState
          mt="xl"
          data-testid={filtered ? 'companies-no-match' : 'companies-empty'}
          title={filtered ? t('companies.list.noMatchTitle') : t('companies.list.emptyTitle')}
          description={filtered ? t('companies.list.noMatch') : t('companies.list.empty')}
        >
          {!filtered && mayCreate && (
            <Button component={Link} to="/companies/new">
              {t('companies.list.new')}
            </Button>
          )}
        </EmptyState>
      ) : (
        <Stack gap="xs">
          <Text size="sm" c="dimmed" data-testid="companies-count">
            {filter.q !== undefined
              ? rows.length >= searchLimit
                ? t('companies.list.searchLimit', { count: rows.length })
                : t('companies.list.searchHits', { count: rows.length })
              : list.hasNextPage
                ? t('companies.list.loadedMore', { count: rows.length })
                : t('companies.list.loaded', { count: rows.length })}
          </Text>
          <VirtualTable
            rows={rows}
            rowKey={(company) => company.id}
            columns={columns}
            onRowClick={(company) => void navigate(`/companies/${company.id}`)}
            hasMore={list.hasNextPage}
            loadingMore={list.isFetchingNextPage}
            onLoadMore={loadMore}
            testId="companies-table"
            rowTestId="company-row"
          />
        </Stack>
      )}
    </Stack>
  );
}
