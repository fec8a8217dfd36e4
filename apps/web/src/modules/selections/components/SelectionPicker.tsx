import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSelectionList } from '../hooks/useSelections.ts';

/** The contact list's "saved selection" filter: picks one (or none) by name. */
export function SelectionPicker({
  value,
  onChange,
}: {
  value: string | null;
  onChange: (id: string | null) => void;
}) {
  const { t } = useTranslation();
  const list = useSelectionList();
  const items = list.data?.items ?? [];
  const data = items.map((selection) => ({ value: selection.id, label: selection.name }));
  if (value && !items.some((selection) => selection.id === value))
    data.push({ value, label: t('selections.pickerUnknown') });
  return (
    <Select
      label={t('selections.picker')}
      placeholder={t('selections.pickerPlaceholder')}
      data={data}
      value={value}
      onChange={onChange}
      searchable
      clearable
      nothingFoundMessage={t('selections.none')}
      data-testid="contact-selection-filter"
    />
  );
}
