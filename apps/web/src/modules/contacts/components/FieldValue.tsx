import type { AccessLevel } from '@kontor/contracts';
import { Anchor, Badge, Group, Text, Tooltip } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldDef, FieldKey } from '../fields.ts';
import { paymentMethods } from '../fields.ts';
import { useLocaleNames } from '../locale.ts';

/** `DE89370400440532013000` → `DE89 3704 0044 0532 0130 00`, as IBANs are printed. */
export function groupIban(iban: string): string {
  return iban.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

/** A field's label in the UI language. */
export function fieldLabel(t: TFunction, key: FieldKey): string {
  return t(`contacts.fields.${key}`);
}

/** A date-only value (YYYY-MM-DD) in the UI language, without shifting it through time zones. */
export function useFormatDay(): (day: string) => string {
  const { i18n } = useTranslation();
  const format = useMemo(
    () => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long', timeZone: 'UTC' }),
    [i18n.language],
  );
  return (day) => {
    const date = new Date(`${day}T00:00:00Z`);
    return /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(date.getTime()) ? format.format(date) : day;
  };
}

/** Said in place of a value the user's role may not see at all. */
export function HiddenValue() {
  const { t } = useTranslation();
  return (
    <Tooltip label={t('contacts.access.hiddenHint')}>
      <Text span size="sm" c="dimmed" fs="italic" data-access="none">
        {t('contacts.access.hidden')}
      </Text>
    </Tooltip>
  );
}

/**
 * One stored value as the signed-in user may see it: hidden, masked (shown as the mask the server
 * sent, marked as such), or in full — then formatted and, for addresses one can reach, linked.
 */
export function FieldValue({
  def,
  value,
  level,
}: {
  def: FieldDef;
  value: string | null;
  level: AccessLevel;
}) {
  const { t } = useTranslation();
  const names = useLocaleNames();
  const formatDay = useFormatDay();

  if (level === 'none') return <HiddenValue />;
  if (value === null || value === '') {
    return (
      <Text span size="sm" c="dimmed">
        —
      </Text>
    );
  }
  if (level === 'masked') {
    return (
      <Group gap={6} wrap="nowrap" data-access="masked">
        <Text span size="sm" ff="monospace">
          {value}
        </Text>
        <Tooltip label={t('contacts.access.maskedHint')}>
          <Badge size="xs" variant="outline" color="gray">
            {t('contacts.access.masked')}
          </Badge>
        </Tooltip>
      </Group>
    );
  }

  switch (def.input) {
    case 'email':
      return (
        <Anchor size="sm" href={`mailto:${value}`}>
          {value}
        </Anchor>
      );
    case 'tel':
      return (
        <Anchor size="sm" href={`tel:${value.replace(/[^\d+]/g, '')}`}>
          {value}
        </Anchor>
      );
    case 'url':
      return /^https?:\/\//i.test(value) ? (
        <Anchor size="sm" href={value} target="_blank" rel="noopener noreferrer">
          {value}
        </Anchor>
      ) : (
        <Text span size="sm">
          {value}
        </Text>
      );
    case 'country':
      return (
        <Text span size="sm">
          {names.country(value)} ({value})
        </Text>
      );
    case 'language':
      return (
        <Text span size="sm">
          {names.language(value)} ({value})
        </Text>
      );
    case 'paymentMethod': {
      const known = paymentMethods.find((method) => method === value);
      return (
        <Text span size="sm">
          {known ? t(`contacts.paymentMethods.${known}`) : value}
        </Text>
      );
    }
    case 'date':
      return (
        <Text span size="sm">
          {formatDay(value)}
        </Text>
      );
    case 'iban':
      return (
        <Text span size="sm" ff="monospace">
          {groupIban(value)}
        </Text>
      );
    case 'textarea':
      return (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {value}
        </Text>
      );
    case 'text':
      return (
        <Text span size="sm">
          {value}
        </Text>
      );
  }
}
