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
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { NotFoundPage } from '../../../app/NotFoundPage.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useHasRight } from '../../auth/index.ts';
import { ConfirmDeleteModal, isUuid } from '../../contacts/index.ts';
import { useCustomFields } from '../../customFields/index.ts';
import type { FilterJson, Selection } from '../api/selections.ts';
import {
  type BuilderGroup,
  emptyRoot,
  isComplete,
  rootFromJson,
  SELECTION_PURPOSES,
  type SelectionPurpose,
  toJson,
} from '../filter.ts';
import {
  useCreateSelection,
  useDeleteSelection,
  useFilterCount,
  useSelection,
  useSelectionList,
  useUpdateSelection,
} from '../hooks/useSelections.ts';
import { FilterBuilder, useFieldChoices } from './FilterBuilder.tsx';

/** `/contacts/selections/*`: saved selections, a new one, and one to edit. */
export function SelectionsPage() {
  return (
    <Routes>
      <Route index element={<SelectionListPage />} />
      <Route path="new" element={<SelectionEditor />} />
      <Route path=":selectionId" element={<SelectionById />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}

function SelectionListPage() {
  const { t } = useTranslation();
  usePageTitle(t('selections.title'));
  const list = useSelectionList();
  const formatDateTime = useFormatDateTime();
  const mayCreate = useHasRight('contacts:create');
  return (
    <Stack gap="lg" data-testid="selections-page">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Anchor component={Link} to="/contacts" size="sm">
            ← {t('modules.contacts')}
          </Anchor>
          <Title order={1}>{t('selections.title')}</Title>
          <Text c="dimmed">{t('selections.intro')}</Text>
        </Stack>
        {mayCreate && (
          <Button component={Link} to="/contacts/selections/new" data-testid="selection-new">
            {t('selections.new')}
          </Button>
        )}
      </Group>
      {list.isPending ? (
        <Loader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Text c="dimmed">{t('selections.none')}</Text>
      ) : (
        <Table verticalSpacing="xs" data-testid="selection-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('selections.name')}</Table.Th>
              <Table.Th>{t('selections.purpose')}</Table.Th>
              <Table.Th>{t('selections.updated')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((selection) => (
              <Table.Tr key={selection.id} data-testid="selection-row">
                <Table.Td>
                  <Anchor component={Link} to={`/contacts/selections/${selection.id}`}>
                    {selection.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Badge
                    variant="light"
                    color={selection.purpose === 'marketing' ? 'grape' : 'gray'}
                    data-testid="selection-purpose"
                  >
                    {t(`selections.purposes.${selection.purpose}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{formatDateTime(selection.updatedAt)}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/contacts?selection=${selection.id}`} size="sm">
                    {t('selections.showContacts')}
                  </Anchor>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function SelectionById() {
  const { selectionId = '' } = useParams();
  const selection = useSelection(isUuid(selectionId) ? selectionId : '');
  if (!isUuid(selectionId)) return <NotFoundPage />;
  if (selection.isPending) return <Loader />;
  if (selection.isError) return <ErrorAlert error={selection.error} />;
  return <SelectionEditor key={selection.data.id} selection={selection.data} />;
}

function errorMap(error: unknown): Record<string, string[]> {
  const byPath: Record<string, string[]> = {};
  if (!(error instanceof ApiError)) return byPath;
  for (const { path, message } of error.errors) {
    const clean = path.replace(/^body\./, '');
    byPath[clean] = [...(byPath[clean] ?? []), message];
  }
  return byPath;
}

function SelectionEditor({ selection }: { selection?: Selection }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  usePageTitle(selection?.name ?? t('selections.new'));
  const customFields = useCustomFields('contact');
  const fields = useFieldChoices(customFields.data ?? []);
  const [root, setRoot] = useState<BuilderGroup>(
    () => (selection ? rootFromJson(selection.filter) : null) ?? emptyRoot(),
  );
  const unreadable = selection !== undefined && rootFromJson(selection.filter) === null;
  const [name, setName] = useState(selection?.name ?? '');
  const [purpose, setPurpose] = useState<SelectionPurpose>(selection?.purpose ?? 'general');
  const [deleting, setDeleting] = useState(false);
  const create = useCreateSelection();
  const update = useUpdateSelection();
  const remove = useDeleteSelection();
  const save = selection ? update : create;
  const mayEdit = useHasRight(selection ? 'contacts:update' : 'contacts:create');
  const mayDelete = useHasRight('contacts:delete');

  const typeOf = (field: string) => fields.find((f) => f.name === field)?.type;
  // Compared as text: the live count is asked again only when the filter really changed.
  // An unfinished condition (no value yet) is not sent: the count waits until it is complete.
  const complete = isComplete(root);
  const filterText = complete ? JSON.stringify(toJson(root, typeOf)) : '';
  const [debouncedText] = useDebouncedValue(filterText, 400);
  const debounced = useMemo(
    () => (debouncedText === '' ? null : (JSON.parse(debouncedText) as FilterJson)),
    [debouncedText],
  );
  const count = useFilterCount(debounced, purpose);

  const countErrors = errorMap(count.error);
  const saveErrors = errorMap(save.error);
  const errorsAt = (path: string) => {
    const out: string[] = [];
    for (const source of [countErrors, saveErrors]) {
      for (const [at, messages] of Object.entries(source)) {
        const rest = at.slice(path.length);
        const own =
          at === path ||
          (at.startsWith(path) &&
            /^\.(field|op|value|tag|company|consent|state|newsletter|status)\b/.test(rest));
        if (own) out.push(...messages);
      }
    }
    return [...new Set(out)];
  };
  const rootErrors = errorsAt('filter');
  const nameError =
    saveErrors.name?.[0] ??
    (save.error instanceof ApiError && save.error.code === 'SELECTIONS_NAME_TAKEN'
      ? t('selections.errors.nameTaken')
      : undefined);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const onSuccess = (saved: Selection) =>
      void navigate(`/contacts/selections/${saved.id}`, { replace: true });
    const filter = toJson(root, typeOf);
    if (selection) update.mutate({ id: selection.id, changes: { name, purpose, filter } }, { onSuccess });
    else create.mutate({ name, purpose, filter }, { onSuccess });
  };

  return (
    <form onSubmit={submit} noValidate data-testid="selection-editor">
      <Stack gap="md">
        <Anchor component={Link} to="/contacts/selections" size="sm">
          ← {t('selections.title')}
        </Anchor>
        <Group justify="space-between" align="flex-end">
          <TextInput
            label={t('selections.name')}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={nameError}
            required
            w={360}
            data-testid="selection-name"
          />
          <Group gap="xs">
            <Text size="sm">{t('selections.matching')}</Text>
            <Badge
              size="xl"
              variant="light"
              data-testid="selection-count"
              data-count={count.data ?? ''}
              data-stale={!complete || count.isFetching || filterText !== debouncedText ? 'true' : 'false'}
            >
              {!complete ? '…' : count.isError ? '—' : (count.data ?? '…')}
            </Badge>
          </Group>
        </Group>
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('selections.purpose')}
          </Text>
          <SegmentedControl
            value={purpose}
            onChange={(value) => setPurpose(value === 'marketing' ? 'marketing' : 'general')}
            data={SELECTION_PURPOSES.map((value) => ({ value, label: t(`selections.purposes.${value}`) }))}
            w="fit-content"
            data-testid="selection-purpose-input"
          />
          <Text size="xs" c="dimmed" maw={760} data-testid="selection-purpose-hint">
            {purpose === 'marketing'
              ? t('selections.purposeMarketingHint')
              : t('selections.purposeGeneralHint')}
          </Text>
        </Stack>
        {unreadable && <Text c="orange">{t('selections.unreadable')}</Text>}
        {!complete && (
          <Text size="sm" c="dimmed" data-testid="selection-incomplete">
            {t('selections.incomplete')}
          </Text>
        )}
        <FilterBuilder root={root} onChange={setRoot} fields={fields} errorsAt={errorsAt} />
        {rootErrors.map((message) => (
          <Text key={message} size="sm" c="red" role="alert">
            {message}
          </Text>
        ))}
        {count.error instanceof ApiError && count.error.errors.length === 0 && (
          <ErrorAlert error={count.error} />
        )}
        {save.error instanceof ApiError && save.error.errors.length > 0 ? null : (
          <ErrorAlert
            error={save.error}
            messages={{ SELECTIONS_NAME_TAKEN: t('selections.errors.nameTaken') }}
          />
        )}
        <Group justify="space-between">
          <Group>
            {selection && mayDelete && (
              <Button
                variant="subtle"
                color="red"
                onClick={() => setDeleting(true)}
                data-testid="selection-delete"
              >
                {t('selections.delete')}
              </Button>
            )}
          </Group>
          <Group>
            {selection && (
              <Button variant="default" component={Link} to={`/contacts?selection=${selection.id}`}>
                {t('selections.showContacts')}
              </Button>
            )}
            {mayEdit && (
              <Button
                type="submit"
                loading={save.isPending}
                disabled={name.trim() === ''}
                data-testid="selection-save"
              >
                {selection ? t('common.save') : t('selections.save')}
              </Button>
            )}
          </Group>
        </Group>
      </Stack>
      {deleting && selection && (
        <ConfirmDeleteModal
          title={t('selections.deleteTitle', { name: selection.name })}
          confirmLabel={t('selections.delete')}
          pending={remove.isPending}
          error={remove.error}
          onConfirm={() =>
            remove.mutate(selection.id, { onSuccess: () => void navigate('/contacts/selections') })
          }
          onClose={() => setDeleting(false)}
        >
          {t('selections.deleteText')}
        </ConfirmDeleteModal>
      )}
    </form>
  );
}
