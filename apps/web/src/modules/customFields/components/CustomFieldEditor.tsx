import {
  CUSTOM_FIELD_DATA_CATEGORIES,
  CUSTOM_FIELD_KEY_PATTERN,
  CUSTOM_FIELD_SELECT_TYPES,
  CUSTOM_FIELD_TYPES,
  CUSTOM_FIELD_UNIQUE_TYPES,
  type CustomFieldDataCategory,
  type CustomFieldObjectType,
  type CustomFieldType,
} from '@kontor/contracts';
import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import type { CreateCustomFieldInput, CustomField, UpdateCustomFieldInput } from '../api/customFields.ts';
import { useCreateCustomField, useUpdateCustomField } from '../hooks/useCustomFields.ts';
import { errorsByPath } from '../labels.ts';

const isSelect = (type: CustomFieldType) => (CUSTOM_FIELD_SELECT_TYPES as readonly string[]).includes(type);
const mayBeUnique = (type: CustomFieldType) =>
  (CUSTOM_FIELD_UNIQUE_TYPES as readonly string[]).includes(type);

type OptionRow = { id: number; value: string; label: string; existing: boolean };
type Draft = {
  key: string;
  label: string;
  de: string;
  en: string;
  fr: string;
  type: CustomFieldType;
  options: OptionRow[];
  required: boolean;
  unique: boolean;
  dataCategory: CustomFieldDataCategory;
};

let nextOptionId = 1;

function draftOf(field: CustomField | undefined): Draft {
  return {
    key: field?.key ?? '',
    label: field?.label ?? '',
    de: field?.labels.de ?? '',
    en: field?.labels.en ?? '',
    fr: field?.labels.fr ?? '',
    type: field?.type ?? 'text',
    options: (field?.options ?? []).map((o) => ({
      id: nextOptionId++,
      value: o.value,
      label: o.label,
      existing: true,
    })),
    required: field?.required ?? false,
    unique: field?.unique ?? false,
    dataCategory: field?.dataCategory ?? 'custom',
  };
}

/** Client checks of the obvious; the server decides the rest and names the fields it refuses. */
function check(draft: Draft, creating: boolean): Record<string, string> {
  const issues: Record<string, string> = {};
  if (creating && !CUSTOM_FIELD_KEY_PATTERN.test(draft.key)) issues.key = 'key';
  if (draft.label.trim() === '') issues.label = 'required';
  if (isSelect(draft.type) && draft.options.length === 0) issues.options = 'options';
  const seen = new Set<string>();
  draft.options.forEach((option, index) => {
    const folded = option.value.trim().toLowerCase();
    if (folded === '') issues[`options.${index}.value`] = 'required';
    else if (seen.has(folded)) issues[`options.${index}.value`] = 'duplicate';
    seen.add(folded);
    if (option.label.trim() === '') issues[`options.${index}.label`] = 'required';
  });
  return issues;
}

/** Create or edit a custom field; on edit, key and type are fixed (rename is its own action). */
export function CustomFieldEditor({
  objectType,
  field,
  onClose,
}: {
  objectType: CustomFieldObjectType;
  field?: CustomField;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const create = useCreateCustomField();
  const update = useUpdateCustomField();
  const mutation = field ? update : create;
  const [draft, setDraft] = useState<Draft>(() => draftOf(field));
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const issues = check(draft, field === undefined);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((current) => ({ ...current, [key]: value }));
    setServerErrors((current) => {
      const next = { ...current };
      for (const path of Object.keys(next)) if (path === key || path.startsWith(`${key}.`)) delete next[path];
      return next;
    });
  };
  const errorOf = (path: string): string | undefined => {
    const server = serverErrors[path];
    if (server !== undefined) return server;
    const issue = submitted ? issues[path] : undefined;
    return issue === undefined ? undefined : t(`customFields.errors.${issue as 'key'}`);
  };

  const labels = () => {
    const out: { de?: string; en?: string; fr?: string } = {};
    for (const lang of ['de', 'en', 'fr'] as const)
      if (draft[lang].trim() !== '') out[lang] = draft[lang].trim();
    return out;
  };
  const options = () =>
    isSelect(draft.type) ? draft.options.map((o) => ({ value: o.value.trim(), label: o.label.trim() })) : [];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(issues).length > 0) return;
    const onError = (error: unknown) => {
      if (!(error instanceof ApiError)) return;
      const byPath = errorsByPath(error.errors);
      if (error.code === 'CUSTOM_FIELDS_KEY_TAKEN') byPath.key = t('customFields.errors.keyTaken');
      if (error.code === 'CUSTOM_FIELDS_VALUES_NOT_UNIQUE')
        byPath.unique = t('customFields.errors.notUnique');
      if (error.code === 'CUSTOM_FIELDS_OPTION_IN_USE')
        byPath.options = error.detail ?? t('customFields.errors.optionInUse');
      setServerErrors(byPath);
    };
    if (field) {
      const changes: UpdateCustomFieldInput = {
        label: draft.label.trim(),
        labels: labels(),
        required: draft.required,
        unique: draft.unique,
        dataCategory: draft.dataCategory,
        ...(isSelect(field.type) ? { options: options() } : {}),
      };
      update.mutate({ id: field.id, changes }, { onSuccess: onClose, onError });
    } else {
      const input: CreateCustomFieldInput = {
        objectType,
        key: draft.key,
        label: draft.label.trim(),
        labels: labels(),
        type: draft.type,
        options: options(),
        required: draft.required,
        unique: mayBeUnique(draft.type) && draft.unique,
        dataCategory: draft.dataCategory,
      };
      create.mutate(input, { onSuccess: onClose, onError });
    }
  };

  const known = new Set([
    'key',
    'label',
    'labels.de',
    'labels.en',
    'labels.fr',
    'type',
    'options',
    'required',
    'unique',
    'dataCategory',
  ]);
  const unplaced = Object.keys(serverErrors).some((path) => !known.has(path) && !path.startsWith('options.'));
  const setOption = (id: number, patch: Partial<OptionRow>) =>
    set(
      'options',
      draft.options.map((o) => (o.id === id ? { ...o, ...patch } : o)),
    );

  return (
    <Modal
      opened
      onClose={onClose}
      size="lg"
      title={field ? t('customFields.editTitle', { key: field.key }) : t('customFields.createTitle')}
    >
      <form onSubmit={submit} noValidate data-testid="custom-field-form">
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('customFields.key')}
              description={field ? t('customFields.keyFixed') : t('customFields.keyHint')}
              value={draft.key}
              onChange={(event) => set('key', event.currentTarget.value)}
              error={errorOf('key')}
              disabled={field !== undefined}
              required
              ff="monospace"
              data-testid="input-cf-key"
            />
            <Select
              label={t('customFields.type')}
              data={CUSTOM_FIELD_TYPES.map((type) => ({
                value: type,
                label: t(`customFields.types.${type}`),
              }))}
              value={draft.type}
              onChange={(value) => value && set('type', value as CustomFieldType)}
              error={errorOf('type')}
              disabled={field !== undefined}
              allowDeselect={false}
              data-testid="input-cf-type"
            />
          </SimpleGrid>
          <TextInput
            label={t('customFields.label')}
            description={t('customFields.labelHint')}
            value={draft.label}
            onChange={(event) => set('label', event.currentTarget.value)}
            error={errorOf('label')}
            required
            data-testid="input-cf-label"
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {(['de', 'en', 'fr'] as const).map((lang) => (
              <TextInput
                key={lang}
                label={t(`customFields.labelIn.${lang}`)}
                value={draft[lang]}
                onChange={(event) => set(lang, event.currentTarget.value)}
                error={serverErrors[`labels.${lang}`]}
                data-testid={`input-cf-label-${lang}`}
              />
            ))}
          </SimpleGrid>
          {isSelect(draft.type) && (
            <Stack gap="xs" data-testid="cf-options">
              <Text size="sm" fw={500}>
                {t('customFields.options')}
              </Text>
              {errorOf('options') && (
                <Text size="xs" c="red" role="alert">
                  {errorOf('options')}
                </Text>
              )}
              {draft.options.map((option, index) => (
                <Group key={option.id} align="flex-start" gap="xs" wrap="nowrap">
                  <TextInput
                    placeholder={t('customFields.optionValue')}
                    aria-label={t('customFields.optionValue')}
                    value={option.value}
                    onChange={(event) => setOption(option.id, { value: event.currentTarget.value })}
                    error={errorOf(`options.${index}.value`)}
                    disabled={option.existing}
                    ff="monospace"
                    style={{ flex: 1 }}
                    data-testid={`input-cf-option-value-${index}`}
                  />
                  <TextInput
                    placeholder={t('customFields.optionLabel')}
                    aria-label={t('customFields.optionLabel')}
                    value={option.label}
                    onChange={(event) => setOption(option.id, { label: event.currentTarget.value })}
                    error={errorOf(`options.${index}.label`)}
                    style={{ flex: 1 }}
                    data-testid={`input-cf-option-label-${index}`}
                  />
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    mt={6}
                    aria-label={t('customFields.removeOption')}
                    onClick={() =>
                      set(
                        'options',
                        draft.options.filter((o) => o.id !== option.id),
                      )
                    }
                  >
                    ×
                  </ActionIcon>
                </Group>
              ))}
              <Group>
                <Button
                  variant="light"
                  size="xs"
                  onClick={() =>
                    set('options', [
                      ...draft.options,
                      { id: nextOptionId++, value: '', label: '', existing: false },
                    ])
                  }
                  data-testid="cf-add-option"
                >
                  {t('customFields.addOption')}
                </Button>
              </Group>
            </Stack>
          )}
          <Select
            label={t('customFields.dataCategory')}
            description={t('customFields.dataCategoryHint')}
            data={CUSTOM_FIELD_DATA_CATEGORIES.map((category) => ({
              value: category,
              label: t(`contacts.groups.${category}`),
            }))}
            value={draft.dataCategory}
            onChange={(value) => value && set('dataCategory', value as CustomFieldDataCategory)}
            error={errorOf('dataCategory')}
            allowDeselect={false}
            data-testid="input-cf-category"
          />
          <Group>
            <Checkbox
              label={t('customFields.required')}
              description={t('customFields.requiredHint')}
              checked={draft.required}
              onChange={(event) => set('required', event.currentTarget.checked)}
              error={errorOf('required')}
              data-testid="input-cf-required"
            />
            {mayBeUnique(draft.type) && (
              <Checkbox
                label={t('customFields.unique')}
                description={t('customFields.uniqueHint')}
                checked={draft.unique}
                onChange={(event) => set('unique', event.currentTarget.checked)}
                error={errorOf('unique')}
                data-testid="input-cf-unique"
              />
            )}
          </Group>
          {mutation.error !== null &&
            (!(mutation.error instanceof ApiError) || mutation.error.errors.length === 0 || unplaced) && (
              <ErrorAlert
                error={mutation.error}
                messages={{
                  CUSTOM_FIELDS_KEY_TAKEN: t('customFields.errors.keyTaken'),
                  CUSTOM_FIELDS_LIMIT: t('customFields.errors.limit'),
                  CUSTOM_FIELDS_VALUES_NOT_UNIQUE: t('customFields.errors.notUnique'),
                }}
              />
            )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending} data-testid="custom-field-save">
              {field ? t('common.save') : t('customFields.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
