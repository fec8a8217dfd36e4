import { Group, Loader, Select, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listContacts } from '../api/contacts.ts';
import { contactName } from '../names.ts';

export type ContactChoice = { id: string; name: string };

/**
 * Picks a contact by searching the server (`/api/v1/contacts?q=`, ranked): what is typed is
 * sent, not filtered here. Nothing is asked until something is typed.
 */
export function ContactSelect({
  value,
  onChange,
  label,
  placeholder,
  error,
  testId,
}: {
  value: ContactChoice | null;
  onChange: (contact: ContactChoice | null) => void;
  label?: string;
  placeholder?: string;
  error?: string | undefined;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState(value?.name ?? '');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const query = value && debounced === value.name ? '' : debounced;
  const lookup = useQuery({
    queryKey: ['contacts', 'lookup', query],
    queryFn: async ({ signal }) => (await listContacts({ q: query, limit: 20 }, signal)).items,
    enabled: query.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const found = query.length >= 2 ? (lookup.data ?? []) : [];
  const options = found.map((contact) => ({ value: contact.id, label: contactName(t, contact) }));
  const emailOf = new Map(found.map((contact) => [contact.id, contact.email]));
  if (value && !options.some((option) => option.value === value.id)) {
    options.unshift({ value: value.id, label: value.name });
  }

  return (
    <Select
      label={label}
      placeholder={placeholder ?? t('contacts.select.placeholder')}
      data={options}
      value={value?.id ?? null}
      onChange={(id) => {
        if (id === null) return onChange(null);
        const chosen = options.find((option) => option.value === id);
        onChange(chosen ? { id: chosen.value, name: chosen.label } : value);
      }}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      renderOption={({ option }) => (
        <Group gap={6} wrap="nowrap">
          <Text size="sm">{option.label}</Text>
          {emailOf.get(option.value) && (
            <Text size="xs" c="dimmed">
              {emailOf.get(option.value)}
            </Text>
          )}
        </Group>
      )}
      clearable
      nothingFoundMessage={
        query.length < 2
          ? t('contacts.select.typeMore')
          : lookup.isFetching
            ? t('contacts.form.searching')
            : t('contacts.select.none')
      }
      rightSection={lookup.isFetching ? <Loader size="xs" /> : undefined}
      error={error}
      data-testid={testId}
    />
  );
}
