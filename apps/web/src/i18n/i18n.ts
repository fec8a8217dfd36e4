import { createInstance, type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import de from './de.json';
import en from './en.json';
import fr from './fr.json';
import { fallbackLanguage, type Language, languageStorageKey, languages, pickLanguage } from './languages.ts';

// `satisfies typeof en` makes the compiler report any key missing from a translation.
const resources = {
  de: { translation: de satisfies typeof en },
  en: { translation: en },
  fr: { translation: fr satisfies typeof en },
};

function readStoredLanguage(): string | null {
  try {
    return window.localStorage.getItem(languageStorageKey);
  } catch {
    return null; // storage disabled (private mode, strict settings): fall back to detection
  }
}

function storeLanguage(language: Language): void {
  try {
    window.localStorage.setItem(languageStorageKey, language);
  } catch {
    // the choice then lasts for this page view only
  }
}

export const i18n: I18n = createInstance();

i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});

void i18n.use(initReactI18next).init({
  resources,
  lng: pickLanguage(readStoredLanguage(), [...navigator.languages, navigator.language]),
  fallbackLng: fallbackLanguage,
  supportedLngs: languages,
  initAsync: false,
  interpolation: { escapeValue: false }, // React escapes already
});

/** Switches the UI language and remembers the explicit choice in this browser. */
export async function changeLanguage(language: Language): Promise<void> {
  storeLanguage(language);
  await i18n.changeLanguage(language);
}
