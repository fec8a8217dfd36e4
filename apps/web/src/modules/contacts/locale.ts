import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * ISO 3166-1 alpha-2, the codes the server accepts (the list of i18n-iso-countries, which the
 * server checks against). Their names come from the browser (Intl.DisplayNames) in the UI language.
 */
// biome-ignore format: a table of codes, sixteen to a line
export const countryCodes = [
  'AD', 'AE', 'AF', 'AG', 'AI', 'AL', 'AM', 'AO', 'AQ', 'AR', 'AS', 'AT', 'AU', 'AW', 'AX', 'AZ',
  'BA', 'BB', 'BD', 'BE', 'BF', 'BG', 'BH', 'BI', 'BJ', 'BL', 'BM', 'BN', 'BO', 'BQ', 'BR', 'BS',
  'BT', 'BV', 'BW', 'BY', 'BZ', 'CA', 'CC', 'CD', 'CF', 'CG', 'CH', 'CI', 'CK', 'CL', 'CM', 'CN',
  'CO', 'CR', 'CU', 'CV', 'CW', 'CX', 'CY', 'CZ', 'DE', 'DJ', 'DK', 'DM', 'DO', 'DZ', 'EC', 'EE',
  'EG', 'EH', 'ER', 'ES', 'ET', 'FI', 'FJ', 'FK', 'FM', 'FO', 'FR', 'GA', 'GB', 'GD', 'GE', 'GF',
  'GG', 'GH', 'GI', 'GL', 'GM', 'GN', 'GP', 'GQ', 'GR', 'GS', 'GT', 'GU', 'GW', 'GY', 'HK', 'HM',
  'HN', 'HR', 'HT', 'HU', 'ID', 'IE', 'IL', 'IM', 'IN', 'IO', 'IQ', 'IR', 'IS', 'IT', 'JE', 'JM',
  'JO', 'JP', 'KE', 'KG', 'KH', 'KI', 'KM', 'KN', 'KP', 'KR', 'KW', 'KY', 'KZ', 'LA', 'LB', 'LC',
  'LI', 'LK', 'LR', 'LS', 'LT', 'LU', 'LV', 'LY', 'MA', 'MC', 'MD', 'ME', 'MF', 'MG', 'MH', 'MK',
  'ML', 'MM', 'MN', 'MO', 'MP', 'MQ', 'MR', 'MS', 'MT', 'MU', 'MV', 'MW', 'MX', 'MY', 'MZ', 'NA',
  'NC', 'NE', 'NF', 'NG', 'NI', 'NL', 'NO', 'NP', 'NR', 'NU', 'NZ', 'OM', 'PA', 'PE', 'PF', 'PG',
  'PH', 'PK', 'PL', 'PM', 'PN', 'PR', 'PS', 'PT', 'PW', 'PY', 'QA', 'RE', 'RO', 'RS', 'RU', 'RW',
  'SA', 'SB', 'SC', 'SD', 'SE', 'SG', 'SH', 'SI', 'SJ', 'SK', 'SL', 'SM', 'SN', 'SO', 'SR', 'SS',
  'ST', 'SV', 'SX', 'SY', 'SZ', 'TC', 'TD', 'TF', 'TG', 'TH', 'TJ', 'TK', 'TL', 'TM', 'TN', 'TO',
  'TR', 'TT', 'TV', 'TW', 'TZ', 'UA', 'UG', 'UM', 'US', 'UY', 'UZ', 'VA', 'VC', 'VE', 'VG', 'VI',
  'VN', 'VU', 'WF', 'WS', 'XK', 'YE', 'YT', 'ZA', 'ZM', 'ZW',
] as const;

/** Where most Kontor businesses are: listed first in the country picker. */
const nearbyCountries = ['DE', 'AT', 'CH', 'FR', 'LI', 'LU', 'BE', 'IT', 'NL'] as const;

/**
 * Languages offered for a contact (BCP 47). Any other tag the server stored is still shown and
 * kept; this is a choice of common ones, not a limit.
 */
const commonLanguages = [
  'de',
  'de-DE',
  'de-AT',
  'de-CH',
  'fr',
  'fr-FR',
  'fr-CH',
  'fr-BE',
  'it',
  'it-CH',
  'rm',
  'en',
  'en-GB',
  'en-US',
  'es',
  'nl',
  'pl',
  'pt',
  'tr',
] as const;

function displayNames(language: string, type: 'region' | 'language'): Intl.DisplayNames | undefined {
  try {
    return new Intl.DisplayNames([language], { type, fallback: 'code' });
  } catch {
    return undefined;
  }
}

export type Option = { value: string; label: string };

/** Names countries and languages in the UI language. */
export function useLocaleNames() {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const regions = displayNames(i18n.language, 'region');
    const languages = displayNames(i18n.language, 'language');
    const country = (code: string) => {
      try {
        return regions?.of(code.toUpperCase()) ?? code;
      } catch {
        return code; // not a region code the browser knows
      }
    };
    const language = (tag: string) => {
      try {
        return languages?.of(tag) ?? tag;
      } catch {
        return tag;
      }
    };
    return { country, language, locale: i18n.language };
  }, [i18n.language]);
}

/** Countries for a picker: the usual neighbours first, then all others by their localised name. */
export function useCountryOptions(): { group: string; items: Option[] }[] {
  const { t } = useTranslation();
  const names = useLocaleNames();
  return useMemo(() => {
    const collator = new Intl.Collator(names.locale);
    const toOption = (code: string): Option => ({ value: code, label: names.country(code) });
    const nearby = new Set<string>(nearbyCountries);
    const rest = countryCodes
      .filter((code) => !nearby.has(code))
      .map(toOption)
      .sort((a, b) => collator.compare(a.label, b.label));
    return [
      { group: t('contacts.form.countriesNearby'), items: nearbyCountries.map(toOption) },
      { group: t('contacts.form.countriesAll'), items: rest },
    ];
  }, [names, t]);
}

/** Languages for a picker, with the stored value kept when it is not one of the common ones. */
export function useLanguageOptions(current: string): Option[] {
  const names = useLocaleNames();
  return useMemo(() => {
    const tags: string[] = [...commonLanguages];
    if (current && !tags.includes(current)) tags.unshift(current);
    return tags.map((tag) => ({ value: tag, label: `${names.language(tag)} (${tag})` }));
  }, [names, current]);
}
