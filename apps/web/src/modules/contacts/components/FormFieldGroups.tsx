import type { FieldAccess } from '@kontor/contracts';
import { Card, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  accessTo,
  type FieldDef,
  type FieldGroup,
  type FieldKey,
  fieldGroups,
  groupOf,
  paymentMethods,
} from '../fields.ts';
import { today } from '../form.ts';
import type { RecordForm } from '../hooks/useRecordForm.ts';
import { useCountryOptions, useLanguageOptions } from '../locale.ts';
import { fieldLabel } from './FieldValue.tsx';

/**
 * The inputs of a contact or company form, one card per data category. Fields the user sees in
 * full are inputs; masked ones show their mask, read-only; hidden ones are left out — the form
 * never offers to change what the user may not see. `extras` adds inputs that are not plain
 * fields (company, tags) to a group.
 */
export function FormFieldGroups<K extends FieldKey>({
  defs,
  form,
  access,
  record,
  extras = {},
}: {
  defs: readonly FieldDef<K>[];
  form: RecordForm<K>;
  access: FieldAccess;
  record: { readonly [P in K]: string | null } | undefined;
  extras?: Partial<Record<FieldGroup, ReactNode>>;
}) {
  const { t } = useTranslation();
  const groups = fieldGroups
    .map((group) => ({ group, defs: defs.filter((def) => groupOf(def) === group), extra: extras[group] }))
    .filter((entry) => entry.defs.length > 0 || entry.extra);

  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      {groups.map(({ group, defs: groupDefs, extra }) => {
        const levels = groupDefs.map((def) => accessTo(def, access));
        const limited = levels.some((level) => level !== 'full');
        const allHidden = levels.length > 0 && levels.every((level) => level === 'none');
        return (
          <Card key={group} withBorder radius="md" padding="md" data-testid={`form-group-${group}`}>
            <Stack gap="sm">
              <Title order={2} size="h5">
                {t(`contacts.groups.${group}`)}
              </Title>
              {limited && (
                <Text size="xs" c="dimmed" data-testid={`form-group-limited-${group}`}>
                  {allHidden ? t('contacts.access.hiddenGroupForm') : t('contacts.access.maskedGroupForm')}
                </Text>
              )}
              {groupDefs.map((def) => {
                const level = accessTo(def, access);
                if (level === 'full') return <FieldInput key={def.key} def={def} form={form} />;
                if (level === 'masked' && record?.[def.key]) {
                  return (
                    <TextInput
                      key={def.key}
                      label={fieldLabel(t, def.key)}
                      value={record[def.key] ?? ''}
                      description={t('contacts.access.maskedHint')}
                      readOnly
                      disabled
                      data-testid={`input-${def.key}`}
                      data-access="masked"
                    />
                  );
                }
                return null;
              })}
              {extra}
            </Stack>
          </Card>
        );
      })}
    </SimpleGrid>
  );
}

function FieldInput<K extends FieldKey>({ def, form }: { def: FieldDef<K>; form: RecordForm<K> }) {
  const { t } = useTranslation();
  const value = form.values[def.key];
  const common = {
    label: fieldLabel(t, def.key),
    error: form.errorOf(def.key),
    errorProps: { 'data-testid': `input-error-${def.key}` },
    onBlur: () => form.touch(def.key),
    'data-testid': `input-${def.key}`,
  };
  const setValue = (next: string | null) => form.setValue(def.key, next ?? '');

  switch (def.input) {
    case 'country':
      return (
        <CountrySelect
          {...common}
          value={value || null}
          onChange={setValue}
          placeholder={t('contacts.form.countryPlaceholder')}
        />
      );
    case 'language':
      return <LanguageSelect {...common} value={value} onChange={setValue} />;
    case 'paymentMethod': {
      const options: { value: string; label: string }[] = paymentMethods.map((method) => ({
        value: method,
        label: t(`contacts.paymentMethods.${method}`),
      }));
      if (value && !options.some((option) => option.value === value)) options.push({ value, label: value });
      return (
        <Select
          {...common}
          data={options}
          value={value || null}
          onChange={setValue}
          clearable
          placeholder={t('contacts.form.choose')}
        />
      );
    }
    case 'textarea':
      return (
        <Textarea
          {...common}
          value={value}
          onChange={(event) => setValue(event.currentTarget.value)}
          autosize
          minRows={3}
          maxRows={12}
        />
      );
    case 'date':
      return (
        <TextInput
          {...common}
          type="date"
          max={today()}
          value={value}
          onChange={(event) => setValue(event.currentTarget.value)}
        />
      );
    default:
      return (
        <TextInput
          {...common}
          type={
            def.input === 'email'
              ? 'email'
              : def.input === 'tel'
                ? 'tel'
                : def.input === 'url'
                  ? 'url'
                  : 'text'
          }
          value={value}
          onChange={(event) => setValue(event.currentTarget.value)}
          autoComplete="off"
          spellCheck={def.input === 'text'}
          styles={
            def.input === 'iban'
              ? { input: { fontFamily: 'var(--mantine-font-family-monospace)' } }
              : undefined
          }
        />
      );
  }
}

type SelectFieldProps = {
  label: string;
  error?: string | undefined;
  errorProps?: Record<string, string>;
  onBlur?: () => void;
  'data-testid'?: string;
};

/** ISO countries by their names in the UI language; the value is the alpha-2 code. */
export function CountrySelect({
  value,
  onChange,
  placeholder,
  ...rest
}: SelectFieldProps & {
  value: string | null;
  onChange: (code: string | null) => void;
  placeholder?: string;
}) {
  const options = useCountryOptions();
  return (
    <Select
      {...rest}
      data={options}
      value={value}
      onChange={onChange}
      placeholder={placeholder}
      searchable
      clearable
      limit={300}
      maxDropdownHeight={280}
    />
  );
}

function LanguageSelect({
  value,
  onChange,
  ...rest
}: SelectFieldProps & { value: string; onChange: (tag: string | null) => void }) {
  const { t } = useTranslation();
  const options = useLanguageOptions(value);
  return (
    <Select
      {...rest}
      data={options}
      value={value || null}
      onChange={onChange}
      placeholder={t('contacts.form.languagePlaceholder')}
      searchable
      clearable
    />
  );
}
