/**
 * The newsletter editor's model: a draft with a text box per language (title, description,
 * opt-out text, welcome mail subject and body), turned into what the server takes.
 */

export const NEWSLETTER_LANGUAGES = ['de', 'en', 'fr'] as const;
export type NewsletterLanguage = (typeof NEWSLETTER_LANGUAGES)[number];

type LangTexts = Partial<Record<NewsletterLanguage, string>>;
export type NewsletterTexts = Partial<
  Record<NewsletterLanguage, { title: string; description?: string | null; optOutText?: string | null }>
>;

export type NewsletterInput = {
  name: string;
  /** Omitted: the server derives it from the name. */
  listId?: string;
  texts: NewsletterTexts;
  languages: NewsletterLanguage[];
  doubleOptIn: boolean;
  welcomeEnabled: boolean;
  welcome: { subject: LangTexts; body: LangTexts };
  senderName: string | null;
  senderAddress: string | null;
};

type PerLanguage = { title: string; description: string; optOutText: string; subject: string; body: string };

export type NewsletterDraft = {
  name: string;
  listId: string;
  languages: NewsletterLanguage[];
  doubleOptIn: boolean;
  welcomeEnabled: boolean;
  senderName: string;
  senderAddress: string;
  texts: Record<NewsletterLanguage, PerLanguage>;
};

const emptyTexts = (): PerLanguage => ({ title: '', description: '', optOutText: '', subject: '', body: '' });

/** A new newsletter: double opt-in and the welcome mail on, as the law and good practice suggest. */
export function emptyNewsletterDraft(language: NewsletterLanguage): NewsletterDraft {
  return {
    name: '',
    listId: '',
    languages: [language],
    doubleOptIn: true,
    welcomeEnabled: true,
    senderName: '',
    senderAddress: '',
    texts: { de: emptyTexts(), en: emptyTexts(), fr: emptyTexts() },
  };
}

export type SavedNewsletter = {
  name: string;
  listId: string;
  languages?: readonly string[] | undefined;
  texts: Partial<
    Record<
      NewsletterLanguage,
      { title: string; description?: string | null | undefined; optOutText?: string | null | undefined }
    >
  >;
  doubleOptIn: boolean;
  welcomeEnabled: boolean;
  welcome: { subject: LangTexts; body: LangTexts };
  senderName?: string | null | undefined;
  senderAddress?: string | null | undefined;
};

export function draftOfNewsletter(newsletter: SavedNewsletter): NewsletterDraft {
  const texts = { de: emptyTexts(), en: emptyTexts(), fr: emptyTexts() };
  for (const lang of NEWSLETTER_LANGUAGES) {
    const own = newsletter.texts[lang];
    texts[lang] = {
      title: own?.title ?? '',
      description: own?.description ?? '',
      optOutText: own?.optOutText ?? '',
      subject: newsletter.welcome.subject[lang] ?? '',
      body: newsletter.welcome.body[lang] ?? '',
    };
  }
  const listed = NEWSLETTER_LANGUAGES.filter((lang) => newsletter.languages?.includes(lang));
  const languages =
    listed.length > 0 ? listed : NEWSLETTER_LANGUAGES.filter((lang) => texts[lang].title.trim() !== '');
  return {
    name: newsletter.name,
    listId: newsletter.listId,
    languages: languages.length > 0 ? languages : ['en'],
    doubleOptIn: newsletter.doubleOptIn,
    welcomeEnabled: newsletter.welcomeEnabled,
    senderName: newsletter.senderName ?? '',
    senderAddress: newsletter.senderAddress ?? '',
    texts,
  };
}

/** The draft as the server takes it: texts of the chosen languages only, trimmed, empty ones null. */
export function newsletterInput(draft: NewsletterDraft): NewsletterInput {
  const texts: NewsletterTexts = {};
  const subject: LangTexts = {};
  const body: LangTexts = {};
  for (const lang of draft.languages) {
    const own = draft.texts[lang];
    texts[lang] = {
      title: own.title.trim(),
      description: own.description.trim() || null,
      optOutText: own.optOutText.trim() || null,
    };
    if (own.subject.trim()) subject[lang] = own.subject.trim();
    if (own.body.trim()) body[lang] = own.body;
  }
  const listId = draft.listId.trim();
  return {
    name: draft.name.trim(),
    ...(listId === '' ? {} : { listId }),
    texts,
    languages: [...draft.languages],
    doubleOptIn: draft.doubleOptIn,
    welcomeEnabled: draft.welcomeEnabled,
    welcome: { subject, body },
    senderName: draft.senderName.trim() || null,
    senderAddress: draft.senderAddress.trim() || null,
  };
}

/** The list id the server takes: a lower-case slug (the `List-Id` header is built from it). */
export const LIST_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export type NewsletterIssue = 'required' | 'listId' | 'languages' | 'email';

/** What the editor checks before saving, by the server's paths; the server checks everything again. */
export function checkNewsletter(draft: NewsletterDraft): Record<string, NewsletterIssue> {
  const issues: Record<string, NewsletterIssue> = {};
  if (draft.name.trim() === '') issues.name = 'required';
  const listId = draft.listId.trim();
  if (listId !== '' && !LIST_ID_PATTERN.test(listId)) issues.listId = 'listId';
  if (draft.languages.length === 0) issues.languages = 'languages';
  for (const lang of draft.languages) {
    if (draft.texts[lang].title.trim() === '') issues[`texts.${lang}.title`] = 'required';
    if (draft.welcomeEnabled) {
      if (draft.texts[lang].subject.trim() === '') issues[`welcome.subject.${lang}`] = 'required';
      if (draft.texts[lang].body.trim() === '') issues[`welcome.body.${lang}`] = 'required';
    }
  }
  const address = draft.senderAddress.trim();
  if (address !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) issues.senderAddress = 'email';
  return issues;
}

/** A list id made from the name: `Kunden-News 2027` → `kunden-news-2027`. */
export function listIdOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
}

/** A newsletter's title in the language asked for, else in another, else its internal name. */
export function newsletterTitle(
  newsletter: { name: string; texts: Partial<Record<NewsletterLanguage, { title: string } | undefined>> },
  language: string,
): string {
  const own = newsletter.texts[language.slice(0, 2) as NewsletterLanguage]?.title;
  if (own) return own;
  for (const lang of NEWSLETTER_LANGUAGES) {
    const title = newsletter.texts[lang]?.title;
    if (title) return title;
  }
  return newsletter.name;
}
