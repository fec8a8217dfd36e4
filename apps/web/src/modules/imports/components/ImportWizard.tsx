import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Progress,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { contactFields, fieldLabel, TagsField, useCountryOptions } from '../../contacts/index.ts';
import { fieldLabelIn, useCustomFields } from '../../customFields/index.ts';
import { DEDUPE_MODES, type DedupeMode, errorReportUrl, type Import } from '../api/imports.ts';
import { useCancelImport, useImport, useRereadImport, useStartImport } from '../hooks/useImports.ts';
import { statusColor } from './ImportsPage.tsx';

/** `/contacts/import/:importId`: mapping and options, then progress, then the result. */
export function ImportWizard({ importId }: { importId: string }) {
  const { t } = useTranslation();
  usePageTitle(t('imports.title'));
  const current = useImport(importId);

  return (
    <Stack gap="lg" data-testid="import-wizard">
      <Stack gap={4}>
        <Anchor component={Link} to="/contacts/import" size="sm">
          ← {t('imports.title')}
        </Anchor>
        <Group gap="sm">
          <Title order={1}>{current.data?.fileName ?? t('imports.title')}</Title>
          {current.data && (
            <Badge color={statusColor[current.data.status]} variant="light" data-testid="import-status">
              {t(`imports.status.${current.data.status}`)}
            </Badge>
          )}
        </Group>
      </Stack>
      {current.isPending ? (
        <Loader />
      ) : current.isError ? (
        <ErrorAlert error={current.error} />
      ) : current.data.status === 'uploaded' ? (
        <MappingStep current={current.data} />
      ) : current.data.status === 'running' || current.data.status === 'uploading' ? (
        <ProgressStep current={current.data} />
      ) : (
        <ResultStep current={current.data} />
      )}
    </Stack>
  );
}

function MappingStep({ current }: { current: Import }) {
  const { t, i18n } = useTranslation();
  const customFields = useCustomFields('contact');
  const countries = useCountryOptions();
  const start = useStartImport();
  const reread = useRereadImport();
  const [mapping, setMapping] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      current.columns.map((column) => [column, current.suggestedMapping[column] ?? 'ignore']),
    ),
  );
  const [dedupe, setDedupe] = useState<DedupeMode>('skip');
  const [tags, setTags] = useState<string[]>([]);
  const [defaultCountry, setDefaultCountry] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const targets = [
    {
      group: t('imports.targetGroups.fields'),
      items: contactFields.map((def) => ({ value: def.key, label: fieldLabel(t, def.key) })),
    },
    {
      group: t('imports.targetGroups.custom'),
      items: (customFields.data ?? []).map((def) => ({
        value: `customFields.${def.key}`,
        label: fieldLabelIn(def, i18n.language),
      })),
    },
    {
      group: t('imports.targetGroups.other'),
      items: [
        { value: 'tags', label: t('imports.targets.tags') },
        { value: 'ignore', label: t('imports.targets.ignore') },
      ],
    },
  ].filter((group) => group.items.length > 0);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    start.mutate(
      { id: current.id, input: { mapping, dedupe, tags, defaultCountry } },
      {
        onError: (error) => {
          if (!(error instanceof ApiError)) return;
          const byPath: Record<string, string> = {};
          for (const { path, message } of error.errors) byPath[path.replace(/^body\./, '')] ??= message;
          setErrors(byPath);
        },
      },
    );
  };
  const mapped = Object.values(mapping).filter((target) => target !== 'ignore').length;

  return (
    <form onSubmit={submit} noValidate data-testid="import-mapping">
      <Stack gap="md">
        <Text size="sm" data-testid="import-facts">
          {t('imports.facts', {
            rows: current.totalRows,
            columns: current.columns.length,
            kind: current.fileKind.toUpperCase(),
          })}
        </Text>
        {(current.sheets.length > 1 || current.fileKind === 'csv') && (
          <Group align="flex-end">
            {current.sheets.length > 1 && (
              <Select
                label={t('imports.sheet')}
                data={current.sheets}
                value={current.sheet}
                onChange={(sheet) => sheet && reread.mutate({ id: current.id, reading: { sheet } })}
                allowDeselect={false}
              />
            )}
            {current.fileKind === 'csv' && (
              <Select
                label={t('imports.delimiter')}
                data={[
                  { value: ';', label: t('imports.delimiters.semicolon') },
                  { value: ',', label: t('imports.delimiters.comma') },
                  { value: '\t', label: t('imports.delimiters.tab') },
                  { value: '|', label: t('imports.delimiters.pipe') },
                ]}
                value={current.delimiter}
                onChange={(delimiter) =>
                  delimiter && reread.mutate({ id: current.id, reading: { delimiter } })
                }
                allowDeselect={false}
                data-testid="import-delimiter"
              />
            )}
            {reread.isPending && <Loader size="sm" />}
          </Group>
        )}
        <ErrorAlert error={reread.error} />
        <Card withBorder padding={0} radius="md">
          <Table.ScrollContainer minWidth={Math.max(600, current.columns.length * 180)}>
            <Table verticalSpacing="xs" data-testid="import-preview">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('imports.row')}</Table.Th>
                  {current.columns.map((column, index) => (
                    <Table.Th key={column} style={{ verticalAlign: 'top' }}>
                      <Stack gap={4}>
                        <Text size="sm" fw={600}>
                          {column}
                        </Text>
                        <Select
                          size="xs"
                          aria-label={t('imports.mapColumn', { column })}
                          data={targets}
                          value={mapping[column] ?? 'ignore'}
                          onChange={(target) => {
                            setMapping((currentMapping) => ({
                              ...currentMapping,
                              [column]: target ?? 'ignore',
                            }));
                            setErrors((currentErrors) => {
                              const { [`mapping.${column}`]: _cleared, ...rest } = currentErrors;
                              return rest;
                            });
                          }}
                          error={errors[`mapping.${column}`]}
                          searchable
                          allowDeselect={false}
                          data-testid={`import-map-${index}`}
                        />
                      </Stack>
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(current.preview ?? []).map((row) => (
                  <Table.Tr key={row.rowNumber}>
                    <Table.Td c="dimmed">{row.rowNumber}</Table.Td>
                    {current.columns.map((column, index) => (
                      <Table.Td key={column}>
                        <Text size="sm" lineClamp={2} c={mapping[column] === 'ignore' ? 'dimmed' : undefined}>
                          {row.cells[index] ?? ''}
                        </Text>
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <Radio.Group
            label={t('imports.dedupe')}
            description={t('imports.dedupeHint')}
            value={dedupe}
            onChange={(value) => setDedupe(value as DedupeMode)}
            error={errors.dedupe}
          >
            <Stack gap={6} mt="xs">
              {DEDUPE_MODES.map((mode) => (
                <Radio
                  key={mode}
                  value={mode}
                  label={t(`imports.dedupeModes.${mode}`)}
                  data-testid={`import-dedupe-${mode}`}
                />
              ))}
            </Stack>
          </Radio.Group>
          <TagsField
            label={t('imports.fixedTags')}
            description={t('imports.fixedTagsHint')}
            value={tags}
            onChange={setTags}
            error={errors.tags}
            testId="import-tags"
          />
          <Select
            label={t('imports.defaultCountry')}
            description={t('imports.defaultCountryHint')}
            data={countries}
            value={defaultCountry}
            onChange={setDefaultCountry}
            error={errors.defaultCountry}
            searchable
            clearable
            data-testid="import-country"
          />
        </SimpleGrid>
        <ErrorAlert
          error={start.error instanceof ApiError && start.error.errors.length > 0 ? null : start.error}
          messages={{
            IMPORTS_UPDATE_FORBIDDEN: t('imports.errors.updateForbidden'),
            IMPORTS_WRONG_STATE: t('imports.errors.wrongState'),
          }}
        />
        {start.error instanceof ApiError && start.error.errors.length > 0 && (
          <Text c="red" size="sm" role="alert">
            {t('imports.errors.mapping')}
          </Text>
        )}
        <Group justify="flex-end">
          <Text size="sm" c="dimmed">
            {t('imports.mappedCount', { count: mapped })}
          </Text>
          <Button type="submit" loading={start.isPending} disabled={mapped === 0} data-testid="import-start">
            {t('imports.start', { count: current.totalRows })}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Counts({ current }: { current: Import }) {
  const { t } = useTranslation();
  const counts = [
    ['created', current.created],
    ['updated', current.updated],
    ['skipped', current.skipped],
    ['failed', current.failed],
  ] as const;
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }}>
      {counts.map(([key, value]) => (
        <Card key={key} withBorder padding="sm" radius="md" data-testid={`import-count-${key}`}>
          <Text size="xs" c="dimmed">
            {t(`imports.counts.${key}`)}
          </Text>
          <Text size="xl" fw={600} data-value={value}>
            {value}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}

function ProgressStep({ current }: { current: Import }) {
  const { t } = useTranslation();
  const cancel = useCancelImport();
  const percent = Math.round(current.progress * 100);
  return (
    <Stack gap="md" data-testid="import-progress">
      <Text size="sm">
        {t('imports.progress', { processed: current.processedRows, total: current.totalRows })}
      </Text>
      <Progress value={percent} size="lg" animated striped aria-label={`${percent}%`} />
      <Counts current={current} />
      <ErrorAlert error={cancel.error} />
      <Group justify="flex-end">
        <Button
          variant="default"
          color="red"
          loading={cancel.isPending}
          onClick={() => cancel.mutate(current.id)}
        >
          {t('imports.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}

function ResultStep({ current }: { current: Import }) {
  const { t } = useTranslation();
  return (
    <Stack gap="md" data-testid="import-result">
      {current.status === 'completed' ? (
        <Text>{t('imports.done', { count: current.processedRows })}</Text>
      ) : (
        <Text c="red">
          {t(current.status === 'cancelled' ? 'imports.cancelledText' : 'imports.failedText')}
          {current.errorCode ? ` (${current.errorCode})` : ''}
        </Text>
      )}
      <Counts current={current} />
      {current.failed > 0 && (
        <Group>
          <Button
            component="a"
            href={errorReportUrl(current.id)}
            download
            variant="light"
            data-testid="import-error-report"
          >
            {t('imports.errorReport', { count: current.failed })}
          </Button>
        </Group>
      )}
      <Group>
        <Button component={Link} to="/contacts" variant="default">
          {t('imports.toContacts')}
        </Button>
        <Button component={Link} to="/contacts/import" variant="subtle">
          {t('imports.another')}
        </Button>
      </Group>
    </Stack>
  );
}
