import {
  CUSTOM_FIELD_KEY_PATTERN,
  CUSTOM_FIELD_OBJECT_TYPES,
  type CustomFieldObjectType,
} from '@kontor/contracts';
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Loader,
  Menu,
  Modal,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useHasRight } from '../../auth/index.ts';
import type { CustomField } from '../api/customFields.ts';
import { useCustomFields, useDeleteCustomField, useRenameCustomField } from '../hooks/useCustomFields.ts';
import { errorsByPath, fieldLabelIn } from '../labels.ts';
import { CustomFieldEditor } from './CustomFieldEditor.tsx';

type Dialog =
  | { kind: 'create' }
  | { kind: 'edit'; field: CustomField }
  | { kind: 'rename'; field: CustomField }
  | { kind: 'delete'; field: CustomField };

/** `/settings/custom-fields`: the tenant's custom fields of contacts and of companies. */
export function CustomFieldsSettingsPage() {
  const { t } = useTranslation();
  usePageTitle(t('navSections.customFields'));
  const [objectType, setObjectType] = useState<CustomFieldObjectType>('contact');

  return (
    <Stack gap="lg" data-testid="custom-fields-page">
      <Stack gap={4}>
        <Title order={1}>{t('navSections.customFields')}</Title>
        <Text c="dimmed">{t('customFields.intro')}</Text>
      </Stack>
      <Tabs value={objectType} onChange={(value) => value && setObjectType(value as CustomFieldObjectType)}>
        <Tabs.List>
          {CUSTOM_FIELD_OBJECT_TYPES.map((type) => (
            <Tabs.Tab key={type} value={type} data-testid={`custom-fields-tab-${type}`}>
              {t(`customFields.objectTypes.${type}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <FieldList key={objectType} objectType={objectType} />
    </Stack>
  );
}

function FieldList({ objectType }: { objectType: CustomFieldObjectType }) {
  const { t, i18n } = useTranslation();
  const fields = useCustomFields(objectType);
  const mayCreate = useHasRight('settings:create');
  const mayUpdate = useHasRight('settings:update');
  const mayDelete = useHasRight('settings:delete');
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => setDialog(null);

  return (
    <Stack gap="md">
      {mayCreate && (
        <Group justify="flex-end">
          <Button onClick={() => setDialog({ kind: 'create' })} data-testid="custom-field-new">
            {t('customFields.new')}
          </Button>
        </Group>
      )}
      {fields.isPending ? (
        <Loader />
      ) : fields.isError ? (
        <ErrorAlert error={fields.error} />
      ) : fields.data.length === 0 ? (
        <Text c="dimmed" data-testid="custom-fields-empty">
          {t('customFields.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="sm" data-testid="custom-fields">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('customFields.label')}</Table.Th>
                <Table.Th>{t('customFields.key')}</Table.Th>
                <Table.Th>{t('customFields.type')}</Table.Th>
                <Table.Th>{t('customFields.dataCategory')}</Table.Th>
                <Table.Th />
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {fields.data.map((field) => (
                <Table.Tr key={field.id} data-testid="custom-field-row" data-key={field.key}>
                  <Table.Td fw={500}>{fieldLabelIn(field, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Text span ff="monospace" size="sm">
                      {field.key}
                    </Text>
                  </Table.Td>
                  <Table.Td>{t(`customFields.types.${field.type}`)}</Table.Td>
                  <Table.Td>{t(`contacts.groups.${field.dataCategory}`)}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {field.required && <Badge variant="light">{t('customFields.required')}</Badge>}
                      {field.unique && (
                        <Badge variant="light" color="grape">
                          {t('customFields.unique')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {(mayUpdate || mayDelete) && (
                      <Menu position="bottom-end">
                        <Menu.Target>
                          <ActionIcon
                            variant="subtle"
                            aria-label={t('common.actions')}
                            data-testid={`custom-field-actions-${field.key}`}
                          >
                            …
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          {mayUpdate && (
                            <Menu.Item onClick={() => setDialog({ kind: 'edit', field })}>
                              {t('common.edit')}
                            </Menu.Item>
                          )}
                          {mayUpdate && (
                            <Menu.Item onClick={() => setDialog({ kind: 'rename', field })}>
                              {t('customFields.rename')}
                            </Menu.Item>
                          )}
                          {mayDelete && (
                            <Menu.Item color="red" onClick={() => setDialog({ kind: 'delete', field })}>
                              {t('customFields.delete')}
                            </Menu.Item>
                          )}
                        </Menu.Dropdown>
                      </Menu>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {dialog?.kind === 'create' && <CustomFieldEditor objectType={objectType} onClose={close} />}
      {dialog?.kind === 'edit' && (
        <CustomFieldEditor objectType={objectType} field={dialog.field} onClose={close} />
      )}
      {dialog?.kind === 'rename' && <RenameModal field={dialog.field} onClose={close} />}
      {dialog?.kind === 'delete' && <DeleteModal field={dialog.field} onClose={close} />}
    </Stack>
  );
}

function RenameModal({ field, onClose }: { field: CustomField; onClose: () => void }) {
  const { t } = useTranslation();
  const rename = useRenameCustomField();
  const [key, setKey] = useState(field.key);
  const [touched, setTouched] = useState(false);
  const serverError =
    rename.error instanceof ApiError
      ? rename.error.code === 'CUSTOM_FIELDS_KEY_TAKEN'
        ? t('customFields.errors.keyTaken')
        : errorsByPath(rename.error.errors).key
      : undefined;
  const clientError =
    touched && !CUSTOM_FIELD_KEY_PATTERN.test(key) ? t('customFields.errors.key') : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!CUSTOM_FIELD_KEY_PATTERN.test(key)) return;
    rename.mutate({ id: field.id, key }, { onSuccess: onClose });
  };
  const shownOnField = serverError !== undefined;

  return (
    <Modal opened onClose={onClose} title={t('customFields.renameTitle', { key: field.key })} centered>
      <form onSubmit={submit} noValidate data-testid="custom-field-rename">
        <Stack gap="md">
          <Text size="sm">{t('customFields.renameHint')}</Text>
          <TextInput
            label={t('customFields.key')}
            value={key}
            onChange={(event) => {
              setKey(event.currentTarget.value);
              rename.reset();
            }}
            onBlur={() => setTouched(true)}
            error={serverError ?? clientError}
            ff="monospace"
            required
            data-testid="input-rename-key"
          />
          {!shownOnField && <ErrorAlert error={rename.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={rename.isPending} disabled={key === field.key}>
              {t('customFields.rename')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function DeleteModal({ field, onClose }: { field: CustomField; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const remove = useDeleteCustomField();
  const label = fieldLabelIn(field, i18n.language);
  return (
    <Modal opened onClose={onClose} title={t('customFields.deleteTitle', { label })} centered>
      <Stack gap="md" data-testid="custom-field-delete">
        <Text size="sm">
          {t(
            field.objectType === 'contact'
              ? 'customFields.deleteWarnContacts'
              : 'customFields.deleteWarnCompanies',
            {
              label,
              key: field.key,
            },
          )}
        </Text>
        <ErrorAlert error={remove.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() => remove.mutate(field.id, { onSuccess: onClose })}
            data-testid="confirm-delete"
          >
            {t('customFields.deleteConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
