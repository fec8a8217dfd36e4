import { Anchor, Badge, Button, FileButton, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useNavigate, useParams } from 'react-router-dom';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { NotFoundPage } from '../../../app/NotFoundPage.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { isUuid } from '../../contacts/index.ts';
import type { ImportStatus } from '../api/imports.ts';
import { useImportList, useUploadImport } from '../hooks/useImports.ts';
import { ImportWizard } from './ImportWizard.tsx';

/** `/contacts/import/*`: the upload and past imports, and one import's wizard (`:importId`). */
export function ImportsPage() {
  return (
    <Routes>
      <Route index element={<ImportStartPage />} />
      <Route path=":importId" element={<ImportByIdPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}

function ImportByIdPage() {
  const { importId = '' } = useParams();
  if (!isUuid(importId)) return <NotFoundPage />;
  return <ImportWizard key={importId} importId={importId} />;
}

export const statusColor: Record<ImportStatus, string> = {
  uploading: 'gray',
  uploaded: 'blue',
  running: 'yellow',
  completed: 'green',
  failed: 'red',
  cancelled: 'gray',
};

function ImportStartPage() {
  const { t } = useTranslation();
  usePageTitle(t('imports.title'));
  const navigate = useNavigate();
  const upload = useUploadImport();
  const imports = useImportList();
  const formatDateTime = useFormatDateTime();
  const [fileName, setFileName] = useState<string | null>(null);

  const onFile = (file: File | null) => {
    if (!file) return;
    setFileName(file.name);
    upload.mutate(file, { onSuccess: (created) => void navigate(`/contacts/import/${created.id}`) });
  };

  return (
    <Stack gap="lg" data-testid="imports-page">
      <Stack gap={4}>
        <Anchor component={Link} to="/contacts" size="sm">
          ← {t('modules.contacts')}
        </Anchor>
        <Title order={1}>{t('imports.title')}</Title>
        <Text c="dimmed">{t('imports.intro')}</Text>
      </Stack>
      <Group>
        <FileButton
          onChange={onFile}
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          inputProps={{ 'data-testid': 'import-file' } as never}
        >
          {(props) => (
            <Button {...props} loading={upload.isPending} data-testid="import-upload">
              {t('imports.upload')}
            </Button>
          )}
        </FileButton>
        {upload.isPending && fileName && <Text size="sm">{t('imports.uploading', { name: fileName })}</Text>}
      </Group>
      <ErrorAlert
        error={upload.error}
        messages={{
          IMPORTS_FILE_MISSING: t('imports.errors.fileMissing'),
          IMPORTS_FILE_TOO_LARGE: t('imports.errors.tooLarge'),
          IMPORTS_UNSUPPORTED_FILE: t('imports.errors.unsupported'),
        }}
      />
      <Title order={2} size="h4">
        {t('imports.past')}
      </Title>
      {imports.isPending ? (
        <Loader />
      ) : imports.isError ? (
        <ErrorAlert error={imports.error} />
      ) : imports.data.items.length === 0 ? (
        <Text c="dimmed">{t('imports.none')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs" data-testid="import-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('imports.file')}</Table.Th>
                <Table.Th>{t('imports.statusLabel')}</Table.Th>
                <Table.Th>{t('imports.rows')}</Table.Th>
                <Table.Th>{t('imports.counts.created')}</Table.Th>
                <Table.Th>{t('imports.counts.updated')}</Table.Th>
                <Table.Th>{t('imports.counts.failed')}</Table.Th>
                <Table.Th>{t('imports.when')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {imports.data.items.map((item) => (
                <Table.Tr key={item.id} data-testid="import-row">
                  <Table.Td>
                    <Anchor component={Link} to={`/contacts/import/${item.id}`}>
                      {item.fileName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={statusColor[item.status]} variant="light">
                      {t(`imports.status.${item.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{item.totalRows}</Table.Td>
                  <Table.Td>{item.created}</Table.Td>
                  <Table.Td>{item.updated}</Table.Td>
                  <Table.Td>{item.failed}</Table.Td>
                  <Table.Td>{formatDateTime(item.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
