import type { AccessLevel, FieldAccess } from '@kontor/contracts';
import { Anchor, Button, FileButton, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Right } from '../../../api/rights.ts';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { useHasRight } from '../../auth/index.ts';
import { type DocumentOwner, documentContentUrl, type StoredDocument } from '../api/documents.ts';
import { useDeleteDocument, useDocuments, useUploadDocument } from '../hooks/useDocuments.ts';
import { ConfirmDeleteModal } from './ConfirmDeleteModal.tsx';
import { FeatureUnavailable, isMissingRoute } from './FeatureUnavailable.tsx';
import { HiddenValue } from './FieldValue.tsx';

/** The rights to add a document to a contact or a company. */
const uploadRight: Record<DocumentOwner, Right> = {
  contacts: 'contacts:update',
  companies: 'companies:update',
};

/** `1536` → `1.5 kB`, in the UI language. */
function useFormatSize(): (bytes: number) => string {
  const { i18n } = useTranslation();
  return (bytes) => {
    const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
    let value = bytes;
    let unit = 0;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit += 1;
    }
    return new Intl.NumberFormat(i18n.language, {
      style: 'unit',
      unit: units[unit],
      unitDisplay: 'short',
      maximumFractionDigits: unit === 0 ? 0 : 1,
    }).format(value);
  };
}

/**
 * Files kept with a contact or a company: listed, downloaded, uploaded and deleted. The server
 * decides what it takes (it sniffs the type from the bytes and limits the size) and says why when
 * it refuses; a server without the documents API yet shows so instead of an error.
 */
export function DocumentsPanel({
  owner,
  ownerId,
  access,
}: {
  owner: DocumentOwner;
  ownerId: string;
  access: FieldAccess;
}) {
  const { t } = useTranslation();
  const documents = useDocuments(owner, ownerId);
  const upload = useUploadDocument(owner, ownerId);
  const mayUpload = useHasRight(uploadRight[owner]);
  // Deleting any document needs contacts:update; a company's needs companies:update as well.
  const mayUpdateContacts = useHasRight('contacts:update');
  const mayDelete = mayUpdateContacts && (owner === 'contacts' || mayUpload);
  // The `documents` data category, where the server has it; otherwise documents are not personal data.
  const level: AccessLevel = (access as Partial<Record<string, AccessLevel>>).documents ?? 'full';
  const [deleting, setDeleting] = useState<StoredDocument | undefined>(undefined);
  const items = documents.data?.pages.flatMap((page) => page.items) ?? [];

  if (documents.isError && isMissingRoute(documents.error)) {
    return (
      <FeatureUnavailable
        title={t('contacts.documents.unavailableTitle')}
        description={t('contacts.documents.unavailable')}
        testId="documents-unavailable"
      />
    );
  }

  const uploadMessages = {
    DOCUMENTS_TOO_LARGE: t('contacts.documents.errors.tooLarge'),
    DOCUMENTS_TYPE_REFUSED: t('contacts.documents.errors.typeRefused'),
    DOCUMENTS_EMPTY: t('contacts.documents.errors.empty'),
    DOCUMENTS_HIDDEN: t('contacts.documents.errors.hidden'),
    DOCUMENTS_FORBIDDEN: t('contacts.documents.errors.forbidden'),
  };

  return (
    <Stack gap="md" data-testid="documents-panel">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('contacts.documents.intro')}
        </Text>
        {mayUpload && level === 'full' && (
          <FileButton onChange={(file) => file && upload.mutate(file)} data-testid="document-file">
            {(props) => (
              <Button {...props} loading={upload.isPending} data-testid="document-upload">
                {t('contacts.documents.upload')}
              </Button>
            )}
          </FileButton>
        )}
      </Group>
      <ErrorAlert error={upload.error} messages={uploadMessages} onClose={() => upload.reset()} />
      {documents.isPending ? (
        <Loader />
      ) : documents.isError ? (
        <ErrorAlert error={documents.error} messages={uploadMessages} />
      ) : items.length === 0 ? (
        <Text c="dimmed" data-testid="documents-empty">
          {t('contacts.documents.empty')}
        </Text>
      ) : (
        <DocumentTable
          items={items}
          mayDelete={mayDelete}
          downloadable={level === 'full'}
          onDelete={setDeleting}
        />
      )}
      {documents.hasNextPage && (
        <Group justify="center">
          <Button
            variant="default"
            onClick={() => void documents.fetchNextPage()}
            loading={documents.isFetchingNextPage}
          >
            {t('common.loadMore')}
          </Button>
        </Group>
      )}
      {deleting && (
        <DeleteDocument
          owner={owner}
          ownerId={ownerId}
          document={deleting}
          onClose={() => setDeleting(undefined)}
        />
      )}
    </Stack>
  );
}

function DocumentTable({
  items,
  mayDelete,
  downloadable,
  onDelete,
}: {
  items: StoredDocument[];
  mayDelete: boolean;
  downloadable: boolean;
  onDelete: (document: StoredDocument) => void;
}) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const formatSize = useFormatSize();
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="xs" data-testid="documents">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('contacts.documents.fileName')}</Table.Th>
            <Table.Th>{t('contacts.documents.size')}</Table.Th>
            <Table.Th>{t('contacts.documents.uploaded')}</Table.Th>
            <Table.Th>{t('common.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((document) => (
            <Table.Tr key={document.id} data-testid="document-row">
              <Table.Td>
                {document.fileName === null ? (
                  <HiddenValue />
                ) : downloadable ? (
                  <Anchor href={documentContentUrl(document.id)} download={document.fileName} size="sm">
                    {document.fileName}
                  </Anchor>
                ) : (
                  <Text size="sm" ff="monospace">
                    {document.fileName}
                  </Text>
                )}
                <Text size="xs" c="dimmed">
                  {document.contentType}
                </Text>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatSize(document.size)}</Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(document.createdAt)}</Text>
                {document.uploadedBy && (
                  <Text size="xs" c="dimmed">
                    {document.uploadedBy.email}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  {downloadable && (
                    <Button
                      size="xs"
                      variant="default"
                      component="a"
                      href={documentContentUrl(document.id)}
                      download={document.fileName ?? undefined}
                    >
                      {t('contacts.documents.download')}
                    </Button>
                  )}
                  {mayDelete && (
                    <Button size="xs" variant="subtle" color="red" onClick={() => onDelete(document)}>
                      {t('contacts.documents.delete')}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function DeleteDocument({
  owner,
  ownerId,
  document,
  onClose,
}: {
  owner: DocumentOwner;
  ownerId: string;
  document: StoredDocument;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const remove = useDeleteDocument(owner, ownerId);
  return (
    <ConfirmDeleteModal
      title={t('contacts.documents.deleteTitle')}
      confirmLabel={t('contacts.documents.delete')}
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate(document.id, { onSuccess: onClose })}
      onClose={onClose}
      testId="document-delete-dialog"
    >
      {t('contacts.documents.deleteText', { name: document.fileName ?? t('contacts.access.hidden') })}
    </ConfirmDeleteModal>
  );
}
