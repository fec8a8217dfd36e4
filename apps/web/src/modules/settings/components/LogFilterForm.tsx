import { Button, Group, SimpleGrid, TextInput } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The frame both log views filter with: their own fields, then a from/to date range, and
 * apply/reset. Dates are `<input type="date">` values; see dateRange.ts for the conversion.
 */
export function LogFilterForm({
  testId,
  columns = 4,
  from,
  to,
  onFromChange,
  onToChange,
  onSubmit,
  onReset,
  children,
}: {
  testId: string;
  columns?: number;
  from: string;
  to: string;
  onFromChange: (value: string) => void;
  onToChange: (value: string) => void;
  onSubmit: (event: FormEvent) => void;
  onReset: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <form onSubmit={onSubmit} data-testid={testId}>
      <Group align="flex-end" gap="sm">
        <SimpleGrid cols={{ base: 1, xs: 2, md: columns }} spacing="sm" style={{ flex: 1 }}>
          {children}
          <TextInput
            label={t('settings.audit.from')}
            type="date"
            value={from}
            onChange={(event) => onFromChange(event.currentTarget.value)}
          />
          <TextInput
            label={t('settings.audit.to')}
            type="date"
            value={to}
            onChange={(event) => onToChange(event.currentTarget.value)}
          />
        </SimpleGrid>
        <Group gap="xs">
          <Button type="submit">{t('settings.audit.apply')}</Button>
          <Button variant="default" onClick={onReset}>
            {t('settings.audit.reset')}
          </Button>
        </Group>
      </Group>
    </form>
  );
}
