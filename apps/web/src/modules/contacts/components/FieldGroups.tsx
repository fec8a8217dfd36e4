import type { FieldAccess } from '@kontor/contracts';
import { Card, DataList, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { accessTo, type FieldDef, type FieldGroup, type FieldKey, fieldGroups, groupOf } from '../fields.ts';
import { FieldValue, fieldLabel } from './FieldValue.tsx';

type Extra = { label: string; value: ReactNode; testId?: string };

/**
 * A record's standard fields, one card per data category. `extras` adds rows that are not
 * plain fields (the company link, tags) to a group.
 */
export function FieldGroups<K extends FieldKey>({
  defs,
  record,
  access,
  extras = {},
}: {
  defs: readonly FieldDef<K>[];
  record: { readonly [P in K]: string | null };
  access: FieldAccess;
  extras?: Partial<Record<FieldGroup, Extra[]>>;
}) {
  const { t } = useTranslation();
  const groups = fieldGroups
    .map((group) => ({
      group,
      defs: defs.filter((def) => groupOf(def) === group),
      extra: extras[group] ?? [],
    }))
    .filter((entry) => entry.defs.length > 0 || entry.extra.length > 0);

  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      {groups.map(({ group, defs: groupDefs, extra }) => {
        const levels = groupDefs.map((def) => accessTo(def, access));
        const limited = levels.some((level) => level !== 'full');
        const allHidden = levels.length > 0 && levels.every((level) => level === 'none');
        return (
          <Card key={group} withBorder radius="md" padding="md" data-testid={`contact-group-${group}`}>
            <Stack gap="sm">
              <Title order={2} size="h5">
                {t(`contacts.groups.${group}`)}
              </Title>
              {limited && (
                <Text size="xs" c="dimmed">
                  {allHidden ? t('contacts.access.hiddenGroup') : t('contacts.access.maskedGroup')}
                </Text>
              )}
              <DataList orientation="horizontal" labelWidth={150} size="sm" gap="xs">
                {groupDefs.map((def) => (
                  <DataList.Item key={def.key} data-testid={`field-${def.key}`}>
                    <DataList.ItemLabel>{fieldLabel(t, def.key)}</DataList.ItemLabel>
                    <DataList.ItemValue>
                      <FieldValue def={def} value={record[def.key]} level={accessTo(def, access)} />
                    </DataList.ItemValue>
                  </DataList.Item>
                ))}
                {extra.map((row) => (
                  <DataList.Item key={row.label} data-testid={row.testId}>
                    <DataList.ItemLabel>{row.label}</DataList.ItemLabel>
                    <DataList.ItemValue>{row.value}</DataList.ItemValue>
                  </DataList.Item>
                ))}
              </DataList>
            </Stack>
          </Card>
        );
      })}
    </SimpleGrid>
  );
}
