export const languages = ['de', 'en', 'fr'] as const;

export type Language = (typeof languages)[number];

export const fallbackLanguage: Language = 'en';

export const languageStorageKey = 'kontor.lang';

// Endonyms: each language is named in itself so people can find theirs whatever the current UI
// language is. They are the same in every locale, so they live here and not in the translations.
export const languageNames: Record<Language, string> = {
  de: 'Deutsch',
  en: 'English',
  fr: 'Français',
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/** The stored choice wins, then the first browser language we support (`de-CH` → `de`), then English. */
export function pickLanguage(stored: string | null, preferred: readonly string[]): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return fallbackLanguage;
}
