import {
  ActionIcon,
  Button,
  Card,
  Checkbox,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CustomField } from '../../customFields/index.ts';
import { fieldLabelIn } from '../../customFields/index.ts';
import { FORM_FIELD_TYPES, type FormFieldType, type FormLanguage } from '../api/forms.ts';
import { CONTACT_TARGETS, type FieldDraft, fieldForTarget, newUid, typesWithOptions } from '../definition.ts';
import { monospaceInput } from './styles.ts';

type Props = {
  fields: FieldDraft[];
  onChange: (fields: FieldDraft[]) => void;
  language: FormLanguage;
  customFields: readonly CustomField[];
  errorOf: (path: string, ...more: string[]) => string | undefined;
  readOnly: boolean;
};

/** The form's fields: each mapped to a contact field, a custom field or nothing, with its type and labels. */
export function FieldsEditor({ fields, onChange, language, customFields, errorOf, readOnly }: Props) {
  const { t, i18n } = useTranslation();
  const targetGroups = [
    {
      group: t('forms.builder.targetContact'),
      items: CONTACT_TARGETS.map((key) => ({ value: `contact.${key}`, label: t(`contacts.fields.${key}`) })),
    },
    ...(customFields.length > 0
      ? [
          {
            group: t('forms.builder.targetCustom'),
            items: customFields.map((field) => ({
              value: `custom.${field.key}`,
              label: fieldLabelIn(field, i18n.language),
            })),
          },
        ]
      : []),
    {
      group: t('forms.builder.targetOther'),
      items: [{ value: 'none', label: t('forms.builder.targetNone') }],
    },
  ];
  const update = (uid: number, change: (field: FieldDraft) => FieldDraft) =>
    onChange(fields.map((field) => (field.uid === uid ? change(field) : field)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...fields];
    const [moved] = next.splice(index, 1);
    if (moved) next.splice(index + by, 0, moved);
    onChange(next);
  };
  const add = () =>
    onChange([
      ...fields,
      { uid: newUid(), name: '', target: 'none', type: 'text', label: {}, required: false, options: [] },
    ]);

  return (
    <Stack gap="sm" data-testid="form-fields">
      {errorOf('definition.fields') && (
        <Text size="sm" c="red" role="alert">
          {errorOf('definition.fields')}
        </Text>
      )}
      {fields.map((field, index) => {
        const at = `definition.fields.${index}`;
        return (
          <Card key={field.uid} withBorder padding="sm" data-testid="form-field" data-name={field.name}>
            <Stack gap="xs">
              <Group justify="space-between" wrap="nowrap">
                <Text size="sm" fw={500}>
                  {t('forms.builder.fieldNumber', { number: index + 1 })}
                </Text>
                {!readOnly && (
                  <Group gap={4} wrap="nowrap">
                    <ActionIcon
                      variant="subtle"
                      aria-label={t('forms.builder.moveUp')}
                      disabled={index === 0}
                      onClick={() => move(index, -1)}
                      data-testid={`field-up-${index}`}
                    >
                      ↑
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      aria-label={t('forms.builder.moveDown')}
                      disabled={index === fields.length - 1}
                      onClick={() => move(index, 1)}
                      data-testid={`field-down-${index}`}
                    >
                      ↓
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('forms.builder.removeField')}
                      onClick={() => onChange(fields.filter((other) => other.uid !== field.uid))}
                      data-testid={`field-remove-${index}`}
                    >
                      ×
                    </ActionIcon>
                  </Group>
                )}
              </Group>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <Select
                  label={t('forms.builder.target')}
                  data={targetGroups}
                  value={field.target}
                  onChange={(value) =>
                    value && update(field.uid, (f) => fieldForTarget(f, value, customFields))
                  }
                  searchable
                  allowDeselect={false}
                  error={errorOf(`${at}.target`)}
                  disabled={readOnly}
                  data-testid={`field-target-${index}`}
                />
                <TextInput
                  label={t('forms.builder.fieldName')}
                  title={t('forms.builder.fieldNameHint')}
                  value={field.name}
                  onChange={(event) => {
                    const name = event.currentTarget.value;
                    update(field.uid, (f) => ({ ...f, name }));
                  }}
                  error={errorOf(`${at}.name`)}
                  styles={monospaceInput}
                  disabled={readOnly}
                  data-testid={`field-name-${index}`}
                />
                <Select
                  label={t('forms.builder.fieldType')}
                  data={FORM_FIELD_TYPES.map((type) => ({ value: type, label: t(`forms.types.${type}`) }))}
                  value={field.type}
                  onChange={(value) =>
                    value && update(field.uid, (f) => ({ ...f, type: value as FormFieldType }))
                  }
                  allowDeselect={false}
                  error={errorOf(`${at}.type`)}
                  disabled={readOnly}
                  data-testid={`field-type-${index}`}
                />
              </SimpleGrid>
              <Group align="flex-end" wrap="nowrap">
                <TextInput
                  style={{ flex: 1 }}
                  label={t('forms.builder.fieldLabel', { language: language.toUpperCase() })}
                  value={field.label[language] ?? ''}
                  onChange={(event) => {
                    const text = event.currentTarget.value;
                    update(field.uid, (f) => ({ ...f, label: { ...f.label, [language]: text } }));
                  }}
                  error={errorOf(`${at}.label.${language}`, `${at}.label`)}
                  disabled={readOnly}
                  data-testid={`field-label-${index}`}
                />
                <Checkbox
                  mb={8}
                  label={t('forms.builder.required')}
                  checked={field.required}
                  onChange={(event) => {
                    const required = event.currentTarget.checked;
                    update(field.uid, (f) => ({ ...f, required }));
                  }}
                  error={errorOf(`${at}.required`)}
                  disabled={readOnly}
                  data-testid={`field-required-${index}`}
                />
              </Group>
              {typesWithOptions.includes(field.type) && (
                <OptionsEditor
                  field={field}
                  at={at}
                  language={language}
                  errorOf={errorOf}
                  readOnly={readOnly}
                  onChange={(options) => update(field.uid, (f) => ({ ...f, options }))}
                />
              )}
            </Stack>
          </Card>
        );
      })}
      {!readOnly && (
        <Group>
          <Button variant="light" onClick={add} data-testid="form-add-field">
            {t('forms.builder.addField')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function OptionsEditor({
  field,
  at,
  language,
  errorOf,
  readOnly,
  onChange,
}: {
  field: FieldDraft;
  at: string;
  language: FormLanguage;
  errorOf: Props['errorOf'];
  readOnly: boolean;
  onChange: (options: FieldDraft['options']) => void;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap={6} pl="md" data-testid="field-options">
      <Text size="sm" fw={500}>
        {t('forms.builder.options')}
      </Text>
      {errorOf(`${at}.options`) && (
        <Text size="xs" c="red" role="alert">
          {errorOf(`${at}.options`)}
        </Text>
      )}
      {field.options.map((option, index) => (
        <Group key={option.uid} gap="xs" align="flex-start" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            aria-label={t('forms.builder.optionValue')}
            placeholder={t('forms.builder.optionValue')}
            value={option.value}
            onChange={(event) => {
              const value = event.currentTarget.value;
              onChange(field.options.map((o) => (o.uid === option.uid ? { ...o, value } : o)));
            }}
            error={errorOf(`${at}.options.${index}.value`)}
            styles={monospaceInput}
            disabled={readOnly}
            data-testid={`option-value-${index}`}
          />
          <TextInput
            style={{ flex: 1 }}
            aria-label={t('forms.builder.optionLabel', { language: language.toUpperCase() })}
            placeholder={t('forms.builder.optionLabel', { language: language.toUpperCase() })}
            value={option.label[language] ?? ''}
            onChange={(event) => {
              const text = event.currentTarget.value;
              onChange(
                field.options.map((o) =>
                  o.uid === option.uid ? { ...o, label: { ...o.label, [language]: text } } : o,
                ),
              );
            }}
            error={errorOf(`${at}.options.${index}.label.${language}`, `${at}.options.${index}.label`)}
            disabled={readOnly}
            data-testid={`option-label-${index}`}
          />
          {!readOnly && (
            <ActionIcon
              variant="subtle"
              color="red"
              mt={6}
              aria-label={t('forms.builder.removeOption')}
              onClick={() => onChange(field.options.filter((o) => o.uid !== option.uid))}
            >
              ×
            </ActionIcon>
          )}
        </Group>
      ))}
      {!readOnly && (
        <Group>
          <Button
            size="xs"
            variant="subtle"
            onClick={() => onChange([...field.options, { uid: newUid(), value: '', label: {} }])}
            data-testid="option-add"
          >
            {t('forms.builder.addOption')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
