import { SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type AccessLevel, accessLevels, dataCategories, type FieldAccess } from '../api/roles.ts';

type FieldAccessEditorProps = {
  value: FieldAccess;
  onChange: (next: FieldAccess) => void;
  readOnly?: boolean;
};

/** One row per category of personal data, each seen in full, masked or not at all. */
export function FieldAccessEditor({ value, onChange, readOnly = false }: FieldAccessEditorProps) {
  const { t } = useTranslation();
  const levels = accessLevels.map((level) => ({
    value: level,
    label: t(`settings.roles.fieldAccess.levels.${level}`),
  }));

  return (
    <Table withTableBorder verticalSpacing="xs" data-testid="field-access" aria-readonly={readOnly}>
      <Table.Tbody>
        {dataCategories.map((category) => {
          const name = t(`settings.roles.fieldAccess.categories.${category}.name`);
          return (
            <Table.Tr key={category}>
              <Table.Td>
                <Stack gap={0}>
                  <Text size="sm" fw={500}>
                    {name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t(`settings.roles.fieldAccess.categories.${category}.description`)}
                  </Text>
                </Stack>
              </Table.Td>
              <Table.Td ta="right">
                <SegmentedControl
                  size="xs"
                  data={levels}
                  value={value[category]}
                  onChange={(level) => onChange({ ...value, [category]: level as AccessLevel })}
                  readOnly={readOnly}
                  disabled={readOnly}
                  aria-label={t('settings.roles.fieldAccess.label', { category: name })}
                  data-testid={`field-access-${category}`}
                  data-value={value[category]}
                />
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
