import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { changeLanguage } from '../i18n/i18n.ts';
import { isLanguage, type Language, languageNames, languages } from '../i18n/languages.ts';

const options = languages.map((value) => ({ value, label: languageNames[value] }));

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current = isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : undefined;

  return (
    <Select<Language>
      data-testid="language-switch"
      aria-label={t('app.language')}
      data={options}
      value={current ?? null}
      onChange={(value) => {
        if (value) void changeLanguage(value);
      }}
      allowDeselect={false}
      checkIconPosition="right"
      w={140}
      size="sm"
    />
  );
}
