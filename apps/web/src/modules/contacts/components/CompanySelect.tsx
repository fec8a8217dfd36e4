import { Group, Loader, Select, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCompanyLookup } from '../hooks/useCompanyLookup.ts';

export type CompanyChoice = { id: string; name: string };

/**
 * Picks a company by searching the server (`/api/v1/companies?q=`, accent- and typo-tolerant,
 * ranked): what is typed is sent, not filtered here, so the best matches show whatever the list
 * holds.
 */
export function CompanySelect({
  value,
  onChange,
  label,
  placeholder,
  error,
  testId,
}: {
  value: CompanyChoice | null;
  onChange: (company: CompanyChoice | null) => void;
  label?: string;
  placeholder?: string;
  error?: string | undefined;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState(value?.name ?? '');
  const [debounced] = useDebouncedValue(search, 250);
  // While the box shows the chosen name, offer the newest companies rather than only that one.
  const query = value && debounced === value.name ? '' : debounced;
  const lookup = useCompanyLookup(query);

  const options = (lookup.data ?? []).map((company) => ({ value: company.id, label: company.name }));
  const cityOf = new Map((lookup.data ?? []).map((company) => [company.id, company.city]));
  if (value && !options.some((option) => option.value === value.id)) {
    options.unshift({ value: value.id, label: value.name });
  }

  return (
    <Select
      label={label}
      placeholder={placeholder ?? t('contacts.form.companyPlaceholder')}
      data={options}
      value={value?.id ?? null}
      onChange={(id) => {
        if (id === null) return onChange(null);
        const chosen = lookup.data?.find((company) => company.id === id);
        onChange(chosen ? { id: chosen.id, name: chosen.name } : value);
      }}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      renderOption={({ option }) => (
        <Group gap={6} wrap="nowrap">
          <Text size="sm">{option.label}</Text>
          {cityOf.get(option.value) && (
            <Text size="xs" c="dimmed">
              {cityOf.get(option.value)}
            </Text>
          )}
        </Group>
      )}
      clearable
      nothingFoundMessage={lookup.isFetching ? t('contacts.form.searching') : t('contacts.form.noCompanies')}
      rightSection={lookup.isFetching ? <Loader size="xs" /> : undefined}
      error={error}
      errorProps={{ 'data-testid': 'input-error-companyId' }}
      data-testid={testId}
    />
  );
}
