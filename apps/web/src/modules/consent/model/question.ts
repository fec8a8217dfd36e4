import { CONSENT_LANGUAGES, type ConsentLanguage, type Polarity } from './vocabulary.ts';

/**
 * The consent question editor's model: a draft with a text box per language, turned into what the
 * server takes. Wording (texts and options) is versioned on the server: a change of it makes a
 * new version, so the editor tells whether the draft's wording differs from the current one.
 */

export type QuestionTexts = Partial<Record<ConsentLanguage, { label: string; help?: string | undefined }>>;
export type OptionLabel = Partial<Record<ConsentLanguage, string>>;
export type QuestionOption = { key: string; label: OptionLabel; polarity: Polarity };

/** What the editor needs of a saved question. */
export type QuestionWording = { texts: QuestionTexts; options: readonly QuestionOption[] };
export type QuestionMeta = { key: string; purpose: string; channel: string; legalBasis: string };

export type OptionDraft = {
  uid: number;
  key: string;
  label: Record<ConsentLanguage, string>;
  polarity: Polarity;
};
export type QuestionDraft = QuestionMeta & {
  texts: Record<ConsentLanguage, { label: string; help: string }>;
  options: OptionDraft[];
};

export type QuestionInput = QuestionMeta & { texts: QuestionTexts; options: QuestionOption[] };

/** A key as the server takes it: a lower-case slug. */
export const QUESTION_KEY_PATTERN = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;
export const OPTION_KEY_PATTERN = QUESTION_KEY_PATTERN;

let nextUid = 1;
export const newOptionUid = (): number => nextUid++;

const emptyLabels = (): Record<ConsentLanguage, string> => ({ de: '', en: '', fr: '' });

export function emptyOption(polarity: Polarity = 'neutral'): OptionDraft {
  return { uid: newOptionUid(), key: '', label: emptyLabels(), polarity };
}

/** A new question starts as yes (grant) / no (neutral): the common shape of a consent. */
export function emptyQuestionDraft(): QuestionDraft {
  return {
    key: '',
    purpose: 'dpv:DirectMarketing',
    channel: 'email',
    legalBasis: 'eu-gdpr:A6-1-a',
    texts: { de: { label: '', help: '' }, en: { label: '', help: '' }, fr: { label: '', help: '' } },
    options: [
      { ...emptyOption('grant'), key: 'yes' },
      { ...emptyOption('neutral'), key: 'no' },
    ],
  };
}

export function draftOfQuestion(question: QuestionMeta & QuestionWording): QuestionDraft {
  const texts = {} as QuestionDraft['texts'];
  for (const lang of CONSENT_LANGUAGES) {
    texts[lang] = { label: question.texts[lang]?.label ?? '', help: question.texts[lang]?.help ?? '' };
  }
  return {
    key: question.key,
    purpose: question.purpose,
    channel: question.channel,
    legalBasis: question.legalBasis,
    texts,
    options: question.options.map((option) => ({
      uid: newOptionUid(),
      key: option.key,
      label: { ...emptyLabels(), ...option.label },
      polarity: option.polarity,
    })),
  };
}

/** The languages a draft has a label in: its texts are sent for these only. */
export function draftLanguages(draft: QuestionDraft): ConsentLanguage[] {
  return CONSENT_LANGUAGES.filter((lang) => draft.texts[lang].label.trim() !== '');
}

/** The draft as the server takes it: empty languages dropped, texts trimmed. */
export function questionInput(draft: QuestionDraft): QuestionInput {
  const languages = draftLanguages(draft);
  const texts: QuestionTexts = {};
  for (const lang of languages) {
    const help = draft.texts[lang].help.trim();
    texts[lang] = { label: draft.texts[lang].label.trim(), ...(help ? { help } : {}) };
  }
  return {
    key: draft.key.trim(),
    purpose: draft.purpose,
    channel: draft.channel,
    legalBasis: draft.legalBasis,
    texts,
    options: draft.options.map((option) => {
      const label: OptionLabel = {};
      for (const lang of CONSENT_LANGUAGES) {
        const value = option.label[lang].trim();
        if (value) label[lang] = value;
      }
      return { key: option.key.trim(), label, polarity: option.polarity };
    }),
  };
}

/** Wording in one canonical form (sorted keys, no empty help), to compare two of them. */
function canonical(wording: QuestionWording): string {
  const texts = CONSENT_LANGUAGES.flatMap((lang) => {
    const text = wording.texts[lang];
    if (!text || text.label.trim() === '') return [];
    return [[lang, text.label.trim(), text.help?.trim() ?? '']];
  });
  const options = wording.options.map((option) => [
    option.key,
    option.polarity,
    CONSENT_LANGUAGES.map((lang) => option.label[lang]?.trim() ?? ''),
  ]);
  return JSON.stringify({ texts, options });
}

/** Whether saving this wording makes a new version (the server decides; this says it beforehand). */
export function wordingChanged(current: QuestionWording, next: QuestionWording): boolean {
  return canonical(current) !== canonical(next);
}

export function metaChanged(current: QuestionMeta, next: QuestionMeta): boolean {
  return (
    current.key !== next.key ||
    current.purpose !== next.purpose ||
    current.channel !== next.channel ||
    current.legalBasis !== next.legalBasis
  );
}

export type QuestionIssue = 'required' | 'key' | 'duplicateKey' | 'label' | 'options' | 'optionLabel';

/**
 * What the editor checks before saving, by the server's paths (`texts`, `options.1.key`,
 * `options.0.label.de`); the server checks everything again.
 */
export function checkQuestion(draft: QuestionDraft): Record<string, QuestionIssue> {
  const issues: Record<string, QuestionIssue> = {};
  const key = draft.key.trim();
  if (key === '') issues.key = 'required';
  else if (!QUESTION_KEY_PATTERN.test(key)) issues.key = 'key';
  const languages = draftLanguages(draft);
  if (languages.length === 0) issues.texts = 'label';
  if (draft.options.length === 0) issues.options = 'options';
  const keys = new Set<string>();
  draft.options.forEach((option, index) => {
    const optionKey = option.key.trim();
    if (optionKey === '') issues[`options.${index}.key`] = 'required';
    else if (!OPTION_KEY_PATTERN.test(optionKey)) issues[`options.${index}.key`] = 'key';
    else if (keys.has(optionKey)) issues[`options.${index}.key`] = 'duplicateKey';
    keys.add(optionKey);
    for (const lang of languages) {
      if (option.label[lang].trim() === '') issues[`options.${index}.label.${lang}`] = 'optionLabel';
    }
  });
  return issues;
}

/** A key made from a label: `E-Mail-Werbung erlaubt` → `e-mail-werbung-erlaubt`. */
export function slugOf(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}
