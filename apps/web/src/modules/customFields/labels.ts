import type { CustomField } from './api/customFields.ts';

type Lang = 'de' | 'en' | 'fr';
const langOf = (language: string): Lang | undefined => {
  const short = language.slice(0, 2);
  return short === 'de' || short === 'en' || short === 'fr' ? short : undefined;
};

/** A field's label in the user's language, else its default label. */
export function fieldLabelIn(field: Pick<CustomField, 'label' | 'labels'>, language: string): string {
  const lang = langOf(language);
  return (lang && field.labels[lang]) || field.label;
}

/** An option's label in the user's language, else its default label. */
export function optionLabelIn(field: CustomField, value: string, language: string): string {
  const option = field.options.find((o) => o.value === value);
  if (!option) return value;
  const lang = langOf(language);
  return (lang && option.labels[lang]) || option.label;
}

/** Server field messages by path (`options.2.value`), the `body.` prefix dropped. */
export function errorsByPath(errors: readonly { path: string; message: string }[]): Record<string, string> {
  const byPath: Record<string, string> = {};
  for (const { path, message } of errors) byPath[path.replace(/^body\./, '')] ??= message;
  return byPath;
}
