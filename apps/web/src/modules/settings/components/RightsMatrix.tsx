import { Checkbox, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type Action, type Area, actions, areas, rightOf } from '../../../api/rights.ts';

type RightsMatrixProps = {
  /** The role's rights; rights this UI does not know are kept as they are. */
  value: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
  readOnly?: boolean;
};

/** Rows are areas, columns are actions; a row's or column's own checkbox toggles all of it. */
export function RightsMatrix({ value, onChange, readOnly = false }: RightsMatrixProps) {
  const { t } = useTranslation();

  const setMany = (rights: readonly string[], on: boolean) => {
    const next = new Set(value);
    for (const right of rights) {
      if (on) next.add(right);
      else next.delete(right);
    }
    onChange(next);
  };
  const allOf = (rights: readonly string[]) => rights.every((right) => value.has(right));
  const someOf = (rights: readonly string[]) => rights.some((right) => value.has(right));
  const rowRights = (area: Area) => actions.map((action) => rightOf(area, action));
  const columnRights = (action: Action) => areas.map((area) => rightOf(area, action));
  const areaLabel = (area: Area) => t(`rights.areas.${area}`);
  const actionLabel = (action: Action) => t(`rights.actions.${action}`);

  return (
    <Table.ScrollContainer minWidth={720}>
      <Table
        layout="fixed"
        withTableBorder
        withColumnBorders
        highlightOnHover
        verticalSpacing={6}
        data-testid="rights-matrix"
        aria-readonly={readOnly}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={200}>{t('settings.roles.matrix.area')}</Table.Th>
            {actions.map((action) => {
              const rights = columnRights(action);
              return (
                <Table.Th key={action} ta="center">
                  <Checkbox
                    label={actionLabel(action)}
                    aria-label={t('settings.roles.matrix.column', { action: actionLabel(action) })}
                    checked={allOf(rights)}
                    indeterminate={!allOf(rights) && someOf(rights)}
                    disabled={readOnly}
                    onChange={(event) => setMany(rights, event.currentTarget.checked)}
                    styles={{
                      body: { flexDirection: 'column', alignItems: 'center', gap: 4 },
                      labelWrapper: { alignItems: 'center' },
                      label: { paddingInline: 0, fontWeight: 600 },
                    }}
                    size="xs"
                  />
                </Table.Th>
              );
            })}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {areas.map((area) => {
            const rights = rowRights(area);
            return (
              <Table.Tr key={area} data-area={area}>
                <Table.Th>
                  <Checkbox
                    label={
                      <Text size="sm" fw={500}>
                        {areaLabel(area)}
                      </Text>
                    }
                    aria-label={t('settings.roles.matrix.row', { area: areaLabel(area) })}
                    checked={allOf(rights)}
                    indeterminate={!allOf(rights) && someOf(rights)}
                    disabled={readOnly}
                    onChange={(event) => setMany(rights, event.currentTarget.checked)}
                    size="xs"
                  />
                </Table.Th>
                {actions.map((action) => {
                  const right = rightOf(area, action);
                  return (
                    <Table.Td key={action} ta="center">
                      <Checkbox
                        data-testid={`right-${area}-${action}`}
                        aria-label={`${areaLabel(area)}: ${actionLabel(action)}`}
                        checked={value.has(right)}
                        disabled={readOnly}
                        onChange={(event) => setMany([right], event.currentTarget.checked)}
                        styles={{ body: { justifyContent: 'center' } }}
                      />
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
