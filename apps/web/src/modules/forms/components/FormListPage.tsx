import { Anchor, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useHasRight } from '../../auth/index.ts';
import { useFormList } from '../hooks/useForms.ts';
import { FormStatusBadge } from './StatusBadge.tsx';

/** `/forms`: the business's forms with their status, version and number of submissions. */
export function FormListPage() {
  const { t } = useTranslation();
  usePageTitle(t('modules.forms'));
  const list = useFormList();
  const formatDateTime = useFormatDateTime();
  const mayCreate = useHasRight('marketing:create');
  const forms = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack gap="lg" data-testid="forms-page">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1}>{t('modules.forms')}</Title>
          <Text c="dimmed">{t('forms.intro')}</Text>
        </Stack>
        {mayCreate && (
          <Button component={Link} to="/forms/new" data-testid="form-new">
            {t('forms.new')}
          </Button>
        )}
      </Group>
      {list.isPending ? (
        <Loader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} />
      ) : forms.length === 0 ? (
        <Text c="dimmed" data-testid="forms-empty">
          {t('forms.empty')}
        </Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm" data-testid="forms-list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('forms.name')}</Table.Th>
                  <Table.Th>{t('forms.status')}</Table.Th>
                  <Table.Th ta="right">{t('forms.version')}</Table.Th>
                  <Table.Th ta="right">{t('forms.submissions')}</Table.Th>
                  <Table.Th>{t('forms.updatedAt')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {forms.map((form) => (
                  <Table.Tr key={form.id} data-testid="form-row" data-form-id={form.id}>
                    <Table.Td fw={500}>
                      <Anchor component={Link} to={`/forms/${form.id}`}>
                        {form.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <FormStatusBadge status={form.status} />
                    </Table.Td>
                    <Table.Td ta="right">{form.version}</Table.Td>
                    <Table.Td ta="right">
                      <Anchor
                        component={Link}
                        to={`/forms/${form.id}/submissions`}
                        data-testid="form-submission-count"
                      >
                        {form.submissionCount}
                      </Anchor>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(form.updatedAt)}</Table.Td>
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
