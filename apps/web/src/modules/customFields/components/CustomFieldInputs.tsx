import {
  Card,
  Checkbox,
  Loader,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import type { CustomField } from '../api/customFields.ts';
import type { CustomFieldsForm } from '../hooks/useCustomFieldsForm.ts';
import { fieldLabelIn, optionLabelIn } from '../labels.ts';
import { storedObject } from '../values.ts';
import { formatCustomValue } from './CustomFieldsView.tsx';

/**
 * The tenant's custom fields in a contact or company form, an input per type. Fields of a data
 * category the user sees masked are shown read-only with their mask; hidden ones are left out.
 */
export function CustomFieldInputs({ form }: { form: CustomFieldsForm }) {
  const { t, i18n } = useTranslation();
  if (form.definitions.isPending) return <Loader size="sm" />;
  if (form.definitions.isError) return <ErrorAlert error={form.definitions.error} />;
  const editableKeys = new Set(form.editable.map((def) => def.key));
  const stored = storedObject(form.stored);
  const readOnly = form.defs.filter((def) => !editableKeys.has(def.key) && stored[def.key] !== undefined);
  if (form.editable.length === 0 && readOnly.length === 0) return null;

  return (
    <Card withBorder radius="md" padding="md" data-testid="form-group-customFields">
      <Stack gap="sm">
        <Title order={2} size="h5">
          {t('contacts.groups.custom')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {form.editable.map((def) => (
            <CustomFieldInput key={def.key} def={def} form={form} />
          ))}
          {readOnly.map((def) => (
            <TextInput
              key={def.key}
              label={fieldLabelIn(def, i18n.language)}
              value={formatCustomValue(t, def, stored[def.key], i18n.language)}
              description={t('contacts.access.maskedHint')}
              readOnly
              disabled
              data-testid={`input-cf-${def.key}`}
              data-access="masked"
            />
          ))}
        </SimpleGrid>
      </Stack>
    </Card>
  );
}

function CustomFieldInput({ def, form }: { def: CustomField; form: CustomFieldsForm }) {
  const { t, i18n } = useTranslation();
  const label = fieldLabelIn(def, i18n.language);
  const raw = form.errorOf(def.key);
  const error: ReactNode = raw === 'required' ? t('common.required') : raw;
  const value = form.values[def.key];
  const text = typeof value === 'string' ? value : '';
  const common = {
    label,
    required: def.required,
    error,
    'data-testid': `input-cf-${def.key}`,
  };
  const options = def.options.map((o) => ({
    value: o.value,
    label: optionLabelIn(def, o.value, i18n.language),
  }));
  const setText = (next: string) => form.setValue(def.key, next);

  switch (def.type) {
    case 'long_text':
      return (
        <Textarea
          {...common}
          autosize
          minRows={2}
          maxRows={8}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          style={{ gridColumn: '1 / -1' }}
        />
      );
    case 'number':
      return (
        <NumberInput
          {...common}
          value={text}
          allowDecimal={false}
          onChange={(next) => setText(next === '' ? '' : String(next))}
        />
      );
    case 'decimal':
      return (
        <TextInput
          {...common}
          inputMode="decimal"
          placeholder="1234.50"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
        />
      );
    case 'date':
      return (
        <TextInput {...common} type="date" value={text} onChange={(e) => setText(e.currentTarget.value)} />
      );
    case 'boolean':
      return (
        <Checkbox
          label={label}
          error={error}
          checked={value === true}
          onChange={(e) => form.setValue(def.key, e.currentTarget.checked)}
          mt="lg"
          data-testid={`input-cf-${def.key}`}
        />
      );
    case 'single_select':
      return (
        <Select
          {...common}
          data={options}
          value={text === '' ? null : text}
          onChange={(next) => setText(next ?? '')}
          clearable={!def.required}
        />
      );
    case 'multi_select':
      return (
        <MultiSelect
          {...common}
          data={options}
          value={Array.isArray(value) ? value : []}
          onChange={(next) => form.setValue(def.key, next)}
          clearable
        />
      );
    case 'url':
      return (
        <TextInput
          {...common}
          type="url"
          placeholder="https://"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
        />
      );
    case 'email':
      return (
        <TextInput {...common} type="email" value={text} onChange={(e) => setText(e.currentTarget.value)} />
      );
    default:
      return <TextInput {...common} value={text} onChange={(e) => setText(e.currentTarget.value)} />;
  }
}
