import type { CustomFieldObjectType, FieldAccess } from '@kontor/contracts';
import { Card, DataList, Loader, Stack, Text, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { CustomField } from '../api/customFields.ts';
import { useCustomFields } from '../hooks/useCustomFields.ts';
import { fieldLabelIn, optionLabelIn } from '../labels.ts';
import type { StoredCustomFields } from '../values.ts';

/** A stored value as the overview shows it: option labels, yes/no, '—' for none. */
export function formatCustomValue(t: TFunction, def: CustomField, value: unknown, language: string): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? t('contacts.detail.yes') : t('contacts.detail.no');
  if (Array.isArray(value)) {
    return value.length === 0
      ? '—'
      : value.map((item) => optionLabelIn(def, String(item), language)).join(', ');
  }
  if (def.type === 'single_select' && typeof value === 'string') return optionLabelIn(def, value, language);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * A record's custom fields by their definitions, in form order and in the user's language.
 * A field the user's access hides is not in the record and is left out; a masked one shows its
 * mask. Keys without a definition (a field deleted meanwhile) are shown as they are.
 */
export function CustomFieldsView({
  objectType,
  value,
  access,
}: {
  objectType: CustomFieldObjectType;
  value: StoredCustomFields;
  access?: FieldAccess | undefined;
}) {
  const { t, i18n } = useTranslation();
  const definitions = useCustomFields(objectType);
  const stored = value !== null && typeof value === 'object' ? value : {};
  const defs = definitions.data ?? [];
  const known = new Set(defs.map((def) => def.key));
  const shown = defs.filter((def) => def.key in stored || (access?.[def.dataCategory] ?? 'full') !== 'none');
  const unknown = Object.entries(stored).filter(([key]) => !known.has(key));

  return (
    <Card withBorder radius="md" padding="md" data-testid="custom-fields">
      <Stack gap="sm">
        <Title order={2} size="h5">
          {t('contacts.groups.custom')}
        </Title>
        {definitions.isPending ? (
          <Loader size="sm" />
        ) : typeof value === 'string' ? (
          <Text size="sm" ff="monospace">
            {value}
          </Text>
        ) : shown.length === 0 && unknown.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('contacts.detail.noCustomFields')}
          </Text>
        ) : (
          <DataList orientation="horizontal" labelWidth={150} size="sm" gap="xs">
            {shown.map((def) => (
              <DataList.Item key={def.key} data-testid={`custom-field-${def.key}`}>
                <DataList.ItemLabel>{fieldLabelIn(def, i18n.language)}</DataList.ItemLabel>
                <DataList.ItemValue>
                  {formatCustomValue(t, def, stored[def.key], i18n.language)}
                </DataList.ItemValue>
              </DataList.Item>
            ))}
            {unknown.map(([key, fieldValue]) => (
              <DataList.Item key={key}>
                <DataList.ItemLabel>
                  <Text span size="sm" ff="monospace">
                    {key}
                  </Text>
                </DataList.ItemLabel>
                <DataList.ItemValue>
                  {Array.isArray(fieldValue) ? fieldValue.join(', ') : String(fieldValue)}
                </DataList.ItemValue>
              </DataList.Item>
            ))}
          </DataList>
        )}
      </Stack>
    </Card>
  );
}
