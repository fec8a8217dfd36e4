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
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useHasRight } from '../../auth/index.ts';
import { ExportModal, type ExportSource } from '../../exports/index.ts';
import { SelectionPicker } from '../../selections/index.ts';
import type { Contact, ContactFilter } from '../api/contacts.ts';
import { useContactList } from '../hooks/useContacts.ts';
import { useFieldAccess } from '../hooks/useFieldAccess.ts';
import { useListParams } from '../hooks/useListParams.ts';
import { useTags } from '../hooks/useTags.ts';
import { contactName } from '../names.ts';
import { isUuid } from '../uuid.ts';
import { BulkTagsModal } from './BulkTagsModal.tsx';
import { CompanySelect } from './CompanySelect.tsx';
import { HiddenValue } from './FieldValue.tsx';
import { type Column, VirtualTable } from './VirtualTable.tsx';

/** The server answers a search with its best 50 hits and no further pages. */
const searchLimit = 50;
/** The most contacts one bulk request may change. */
const bulkLimit = 1000;

/** A cell's text as the user may see it: hidden values say so, empty ones are a dash. */
export function CellText({ value, level }: { value: string | null; level: AccessLevel }) {
  if (level === 'none') return <HiddenValue />;
  return (
    <Text span size="sm" c={value ? undefined : 'dimmed'} ff={level === 'masked' ? 'monospace' : undefined}>
      {value || '—'}
    </Text>
  );
}

/**
 * `/contacts`: every contact, newest first, loaded page by page as the table scrolls; or, with a
 * search, the server's ranked hits. Filters live in the address (`?q=&tag=&companyId=`).
 */
export function ContactListPage() {
  const { t } = useTranslation();
  usePageTitle(t('modules.contacts'));
  const navigate = useNavigate();
  const { params, update: updateParams, q, search, setSearch, tagsKey, setTags } = useListParams();
  const mayCreate = useHasRight('contacts:create');
  const mayUpdate = useHasRight('contacts:update');
  const mayReadCompanies = useHasRight('companies:read');
  const mayExport = useHasRight('contacts:export');
  const [exportOpen, setExportOpen] = useState(false);
  const access = useFieldAccess();
  const tagOptions = useTags();

  const companyParam = params.get('companyId') ?? '';
  const companyId = isUuid(companyParam) ? companyParam : undefined;
  const company = companyId ? { id: companyId, name: params.get('companyName') ?? '' } : null;
  const selectionParam = params.get('selection') ?? '';
  const selectionId = isUuid(selectionParam) ? selectionParam : undefined;
  // A saved selection is the whole filter: search, tags and company do not apply with it.
  const filter = useMemo(
    (): ContactFilter =>
      selectionId
        ? { selectionId }
        : { q: q || undefined, tags: tagsKey ? tagsKey.split('\n') : [], companyId },
    [q, tagsKey, companyId, selectionId],
  );
  const tags = filter.tags ?? [];
  const filtered =
    filter.q !== undefined || tags.length > 0 || filter.companyId !== undefined || selectionId !== undefined;

  const list = useContactList(filter);
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);

  // Selection: ids with the names they had when chosen (to say which ones a bulk change missed).
  const [selected, setSelected] = useState<ReadonlyMap<string, string>>(new Map());
  const [bulkOpen, setBulkOpen] = useState(false);
  const filterKey = JSON.stringify(filter);
  // A new filter starts a new selection, so a bulk change never reaches contacts no longer listed.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the filter changes
  useEffect(() => setSelected(new Map()), [filterKey]);

  const loadMore = useCallback(() => {
    void list.fetchNextPage({ cancelRefetch: false });
  }, [list.fetchNextPage]);

  const levels = access.data;
  const level = (category: 'identity' | 'contact_details' | 'address'): AccessLevel =>
    levels?.[category] ?? 'full';
  const columns: Column<Contact>[] = [
    {
      id: 'name',
      header: t('contacts.list.columns.name'),
      width: '22%',
      render: (contact) => (
        <Text
          component={Link}
          to={`/contacts/${contact.id}`}
          size="sm"
          fw={500}
          c="inherit"
          onClick={(event) => event.stopPropagation()}
          data-testid="contact-row-name"
        >
          {contactName(t, contact)}
        </Text>
      ),
    },
    {
      id: 'company',
      header: t('contacts.list.columns.company'),
      width: '18%',
      render: (contact) => <CellText value={contact.companyName} level="full" />,
    },
    {
      id: 'email',
      header: t('contacts.list.columns.email'),
      width: '20%',
      render: (contact) => <CellText value={contact.email} level={level('contact_details')} />,
    },
    {
      id: 'phone',
      header: t('contacts.list.columns.phone'),
      width: '14%',
      render: (contact) => (
        <CellText value={contact.phone ?? contact.mobile} level={level('contact_details')} />
      ),
    },
    {
      id: 'city',
      header: t('contacts.list.columns.city'),
      width: '12%',
      render: (contact) => <CellText value={contact.city} level={level('address')} />,
    },
    {
      id: 'tags',
      header: t('contacts.list.columns.tags'),
      render: (contact) => (
        <Group gap={4} wrap="nowrap">
          {contact.tags.map((tag) => (
            <Badge key={tag} size="sm" variant="light" color="grape" tt="none">
              {tag}
            </Badge>
          ))}
        </Group>
      ),
    },
  ];

  const selection = mayUpdate
    ? {
        selected: new Set(selected.keys()),
        toggle: (id: string) =>
          setSelected((current) => {
            const next = new Map(current);
            const row = rows.find((contact) => contact.id === id);
            if (next.has(id)) next.delete(id);
            else next.set(id, row ? contactName(t, row) : id);
            return next;
          }),
        toggleAll: () =>
          setSelected((current) =>
            current.size === rows.length
              ? new Map()
              : new Map(rows.map((contact) => [contact.id, contactName(t, contact)])),
          ),
        rowLabel: (id: string) => {
          const row = rows.find((contact) => contact.id === id);
          return t('contacts.list.selectRow', { name: row ? contactName(t, row) : id });
        },
        allLabel: t('contacts.list.selectAll'),
      }
    : undefined;

  /**
   * What an export takes: the chosen rows; else a search's hits (search is not a filter the
   * export knows); else the tag and company filters as a selection filter; else everything.
   */
  const exportSourceOf = (): { source: ExportSource; sourceLabel: string } => {
    if (selected.size === 0 && selectionId) {
      return {
        source: { kind: 'selection', selectionId, name: '' },
        sourceLabel: t('exports.sources.savedSelection'),
      };
    }
    const ids =
      selected.size > 0 ? [...selected.keys()] : filter.q !== undefined ? rows.map((row) => row.id) : [];
    if (ids.length > 0)
      return { source: { kind: 'ids', ids }, sourceLabel: t('exports.sources.ids', { count: ids.length }) };
    const leaves: Record<string, unknown>[] = [];
    if (tags.length > 0) leaves.push({ tag: { hasAll: [...tags] } });
    if (filter.companyId) leaves.push({ company: { id: filter.companyId } });
    if (leaves.length > 0) {
      return {
        source: { kind: 'filter', filter: { all: leaves } },
        sourceLabel: t('exports.sources.filter'),
      };
    }
    return { source: { kind: 'all' }, sourceLabel: t('exports.sources.all') };
  };

  return (
    <Stack gap="md" data-testid="contacts-page">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1}>{t('modules.contacts')}</Title>
          <Text c="dimmed">{t('contacts.list.intro')}</Text>
        </Stack>
        <Group gap="xs">
          <Button
            variant="default"
            component={Link}
            to="/contacts/selections"
            data-testid="contact-selections"
          >
            {t('selections.title')}
          </Button>
          {mayExport && (
            <Button variant="default" onClick={() => setExportOpen(true)} data-testid="contact-export">
              {t('exports.open')}
            </Button>
          )}
          {mayCreate && (
            <Button variant="default" component={Link} to="/contacts/import" data-testid="contact-import">
              {t('imports.title')}
            </Button>
          )}
          {mayCreate && (
            <Button component={Link} to="/contacts/new" data-testid="contact-new">
              {t('contacts.list.new')}
            </Button>
          )}
        </Group>
      </Group>

      {/*
        Saved selections (issue 4, item 6: filters over fields, custom fields, tags, company and
        dates, saved by name, with a live count) join this filter bar when the selections API
        exists; until then the bar holds the ad-hoc filters the list endpoint supports.
      */}
      <Paper withBorder radius="md" p="sm">
        <SimpleGrid cols={{ base: 1, sm: mayReadCompanies ? 4 : 3 }} spacing="sm">
          <SelectionPicker
            value={selectionId ?? null}
            onChange={(next) =>
              updateParams((query) => {
                if (next) query.set('selection', next);
                else query.delete('selection');
              })
            }
          />
          <TextInput
            disabled={selectionId !== undefined}
            label={t('contacts.list.search')}
            placeholder={t('contacts.list.searchPlaceholder')}
            value={search}
            onChange={(event) => setSearch(event.currentTarget.value)}
            type="search"
            data-testid="contact-search"
          />
          <MultiSelect
            label={t('contacts.list.tagFilter')}
            placeholder={tags.length === 0 ? t('contacts.list.tagFilterPlaceholder') : undefined}
            data={[...new Set([...(tagOptions.data ?? []).map((tag) => tag.name), ...tags])]}
            value={[...tags]}
            onChange={setTags}
            searchable
            clearable
            maxValues={10}
            disabled={selectionId !== undefined}
            data-testid="contact-tag-filter"
          />
          {mayReadCompanies && selectionId === undefined && (
            <CompanySelect
              label={t('contacts.list.companyFilter')}
              placeholder={t('contacts.list.companyFilterPlaceholder')}
              value={company}
              onChange={(next) =>
                updateParams((query) => {
                  if (next) {
                    query.set('companyId', next.id);
                    query.set('companyName', next.name);
                  } else {
                    query.delete('companyId');
                    query.delete('companyName');
                  }
                })
              }
              testId="contact-company-filter"
            />
          )}
        </SimpleGrid>
      </Paper>

      {selected.size > 0 && (
        <Paper withBorder radius="md" p="xs" bg="var(--mantine-primary-color-light)" data-testid="bulk-bar">
          <Group justify="space-between">
            <Text size="sm" fw={500}>
              {t('contacts.list.selected', { count: selected.size })}
            </Text>
            <Group gap="xs">
              <Button size="xs" variant="subtle" onClick={() => setSelected(new Map())}>
                {t('contacts.list.clearSelection')}
              </Button>
              {selected.size > bulkLimit && (
                <Text size="xs" c="red">
                  {t('contacts.list.bulkTooMany', { max: bulkLimit })}
                </Text>
              )}
              <Button
                size="xs"
                onClick={() => setBulkOpen(true)}
                disabled={selected.size > bulkLimit}
                data-testid="bulk-tags-open"
              >
                {t('contacts.list.bulkTags')}
              </Button>
            </Group>
          </Group>
        </Paper>
      )}

      {list.isPending ? (
        <Loader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} />
      ) : rows.length === 0 ? (
        <EmptyState
          mt="xl"
          data-testid={filtered ? 'contacts-no-match' : 'contacts-empty'}
          title={filtered ? t('contacts.list.noMatchTitle') : t('contacts.list.emptyTitle')}
          description={filtered ? t('contacts.list.noMatch') : t('contacts.list.empty')}
        >
          {!filtered && mayCreate && (
            <Button component={Link} to="/contacts/new">
              {t('contacts.list.new')}
            </Button>
          )}
        </EmptyState>
      ) : (
        <Stack gap="xs">
          <Text size="sm" c="dimmed" data-testid="contacts-count">
            {filter.q !== undefined
              ? rows.length >= searchLimit
                ? t('contacts.list.searchLimit', { count: rows.length })
                : t('contacts.list.searchHits', { count: rows.length })
              : list.hasNextPage
                ? t('contacts.list.loadedMore', { count: rows.length })
                : t('contacts.list.loaded', { count: rows.length })}
          </Text>
          <VirtualTable
            rows={rows}
            rowKey={(contact) => contact.id}
            columns={columns}
            onRowClick={(contact) => void navigate(`/contacts/${contact.id}`)}
            hasMore={list.hasNextPage}
            loadingMore={list.isFetchingNextPage}
            onLoadMore={loadMore}
            selection={selection}
            testId="contacts-table"
            rowTestId="contact-row"
          />
        </Stack>
      )}

      {exportOpen && <ExportModal {...exportSourceOf()} onClose={() => setExportOpen(false)} />}

      {bulkOpen && (
        <BulkTagsModal
          ids={[...selected.keys()]}
          nameOf={(id) => selected.get(id) ?? id}
          onClose={() => setBulkOpen(false)}
          onDone={(changed) =>
            setSelected((current) => {
              const next = new Map(current);
              for (const id of changed) next.delete(id);
              return next;
            })
          }
        />
      )}
    </Stack>
  );
}
