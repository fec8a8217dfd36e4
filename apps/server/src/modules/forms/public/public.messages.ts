/** The languages of public form pages, and the texts the pages themselves say (not the form's own). */
export const PAGE_LANGUAGES = ['de', 'en', 'fr'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

export type PageMessages = {
  required: string;
  fieldRequired: string;
  fieldInvalid: string;
  errorSummary: string;
  notFoundTitle: string;
  notFoundText: string;
  thanksTitle: string;
  thanksText: string;
  tooManyTitle: string;
  tooManyText: string;
  tooLargeText: string;
  failedTitle: string;
  failedText: string;
  back: string;
  choose: string;
  noScript: string;
  honeypot: string;
  sending: string;
  answerRequired: string;
  consentChanged: string;
  newsletters: string;
};

const MESSAGES: Record<PageLanguage, PageMessages> = {
  de: {
    required: 'Pflichtfeld',
    fieldRequired: 'Bitte füllen Sie dieses Feld aus.',
    fieldInvalid: 'Bitte prüfen Sie diese Angabe.',
    errorSummary: 'Bitte prüfen Sie die markierten Felder.',
    notFoundTitle: 'Formular nicht gefunden',
    notFoundText: 'Dieses Formular gibt es nicht oder es ist nicht mehr veröffentlicht.',
    thanksTitle: 'Vielen Dank',
    thanksText: 'Ihre Angaben sind bei uns eingegangen.',
    tooManyTitle: 'Zu viele Anfragen',
    tooManyText: 'Von Ihrer Adresse kamen gerade sehr viele Anfragen. Bitte versuchen Sie es später erneut.',
    tooLargeText: 'Ihre Angaben sind zu umfangreich. Bitte kürzen Sie sie.',
    failedTitle: 'Das hat nicht geklappt',
    failedText: 'Ihre Angaben konnten nicht gesendet werden. Bitte versuchen Sie es erneut.',
    back: 'Zurück zum Formular',
    choose: 'Bitte wählen',
    noScript: 'Ohne JavaScript: Bitte nehmen Sie sich einige Sekunden Zeit, bevor Sie das Formular senden.',
    honeypot: 'Dieses Feld bitte leer lassen',
    sending: 'Wird gesendet …',
    answerRequired: 'Bitte wählen Sie eine Antwort.',
    consentChanged:
      'Diese Frage wurde inzwischen geändert. Bitte lesen Sie sie noch einmal und antworten Sie erneut.',
    newsletters: 'Newsletter',
  },
  en: {
    required: 'required',
    fieldRequired: 'Please fill in this field.',
    fieldInvalid: 'Please check this entry.',
    errorSummary: 'Please check the marked fields.',
    notFoundTitle: 'Form not found',
    notFoundText: 'This form does not exist or is no longer published.',
    thanksTitle: 'Thank you',
    thanksText: 'We have received your details.',
    tooManyTitle: 'Too many requests',
    tooManyText: 'Many requests came from your address just now. Please try again later.',
    tooLargeText: 'Your entries are too long. Please shorten them.',
    failedTitle: 'That did not work',
    failedText: 'Your details could not be sent. Please try again.',
    back: 'Back to the form',
    choose: 'Please choose',
    noScript: 'Without JavaScript: please take a few seconds before you send the form.',
    honeypot: 'Leave this field empty',
    sending: 'Sending …',
    answerRequired: 'Please choose an answer.',
    consentChanged: 'This question has changed in the meantime. Please read it again and answer.',
    newsletters: 'Newsletters',
  },
  fr: {
    required: 'obligatoire',
    fieldRequired: 'Veuillez remplir ce champ.',
    fieldInvalid: 'Veuillez vérifier cette saisie.',
    errorSummary: 'Veuillez vérifier les champs signalés.',
    notFoundTitle: 'Formulaire introuvable',
    notFoundText: 'Ce formulaire n’existe pas ou n’est plus publié.',
    thanksTitle: 'Merci',
    thanksText: 'Nous avons bien reçu vos informations.',
    tooManyTitle: 'Trop de demandes',
    tooManyText: 'Trop de demandes sont venues de votre adresse. Veuillez réessayer plus tard.',
    tooLargeText: 'Vos informations sont trop longues. Veuillez les raccourcir.',
    failedTitle: 'Cela n’a pas fonctionné',
    failedText: 'Vos informations n’ont pas pu être envoyées. Veuillez réessayer.',
    back: 'Retour au formulaire',
    choose: 'Veuillez choisir',
    noScript: 'Sans JavaScript : veuillez prendre quelques secondes avant d’envoyer le formulaire.',
    honeypot: 'Laissez ce champ vide',
    sending: 'Envoi …',
    answerRequired: 'Veuillez choisir une réponse.',
    consentChanged: 'Cette question a été modifiée entre-temps. Veuillez la relire et y répondre à nouveau.',
    newsletters: 'Newsletters',
  },
};

export function messagesOf(lang: PageLanguage): PageMessages {
  return MESSAGES[lang];
}

export function isPageLanguage(value: unknown): value is PageLanguage {
  return typeof value === 'string' && (PAGE_LANGUAGES as readonly string[]).includes(value);
}

/**
 * The page language: `?lang` when it is one of `offered`, else the first of `offered` the
 * browser asks for in `Accept-Language` (by q-value, `de-CH` counts as `de`), else `offered[0]`.
 */
export function negotiateLanguage(
  query: string | undefined,
  acceptLanguage: string | undefined,
  offered: readonly PageLanguage[] = PAGE_LANGUAGES,
): PageLanguage {
  const fallback = offered[0] ?? 'en';
  if (isPageLanguage(query) && offered.includes(query)) return query;
  if (!acceptLanguage) return fallback;
  const wanted = acceptLanguage
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return {
        lang: tag.trim().toLowerCase().split('-')[0] ?? '',
        weight: Number.isNaN(weight) ? 0 : weight,
        index,
      };
    })
    .filter((w) => w.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const w of wanted) {
    if (isPageLanguage(w.lang) && offered.includes(w.lang)) return w.lang;
  }
  return fallback;
}
