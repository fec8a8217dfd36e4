/** What the preference centre says itself, in de/en/fr (the tenant's own texts come from its newsletters and questions). */
import type { PublicPageLanguage } from '../../../kernel/http/public-page.ts';

export type PreferencesTexts = {
  title: string;
  intro: (tenant: string) => string;
  newsletters: string;
  newslettersHint: string;
  noNewsletters: string;
  pending: string;
  optOut: string;
  consents: string;
  save: string;
  saved: string;
  unsubscribeAll: string;
  unsubscribeAllHint: string;
  unsubscribedAll: string;
  confirmationSent: string;
  invalidAnswer: string;
  expiredTitle: string;
  expiredText: string;
  unknownTitle: string;
  unknownText: string;
  requestTitle: string;
  requestText: string;
  email: string;
  emailInvalid: string;
  send: string;
  requestedTitle: string;
  requestedText: string;
  tooManyTitle: string;
  tooManyText: string;
  mail: (i: { tenant: string; link: string; days: number }) => { subject: string; text: string };
};

export const PREFERENCES_TEXTS: Record<PublicPageLanguage, PreferencesTexts> = {
  de: {
    title: 'Ihre Einstellungen',
    intro: (t) =>
      `Hier legen Sie fest, welche Newsletter Sie von ${t} erhalten und wie wir Sie kontaktieren dürfen.`,
    newsletters: 'Newsletter',
    newslettersHint: 'Angehakt: Sie erhalten diesen Newsletter.',
    noNewsletters: 'Zurzeit gibt es keine Newsletter.',
    pending:
      'Wartet auf Ihre Bestätigung – bitte klicken Sie auf den Link in der E-Mail, die wir Ihnen geschickt haben.',
    optOut: 'Haken entfernen:',
    consents: 'Ihre Einwilligungen',
    save: 'Einstellungen speichern',
    saved: 'Ihre Einstellungen sind gespeichert.',
    unsubscribeAll: 'Von allen Newslettern abmelden',
    unsubscribeAllHint: 'Sie erhalten danach keinen unserer Newsletter mehr.',
    unsubscribedAll: 'Sie sind von allen Newslettern abgemeldet.',
    confirmationSent:
      'Für neu gewählte Newsletter haben wir Ihnen eine E-Mail geschickt: Bitte bestätigen Sie die Anmeldung über den Link darin.',
    invalidAnswer:
      'Eine Antwort passte nicht zu den Fragen. Bitte prüfen Sie Ihre Angaben und speichern Sie erneut.',
    expiredTitle: 'Link abgelaufen',
    expiredText: 'Dieser Link zu Ihren Einstellungen ist abgelaufen. Fordern Sie hier einen neuen an.',
    unknownTitle: 'Link ungültig',
    unknownText: 'Diesen Link kennen wir nicht. Fordern Sie hier einen Link zu Ihren Einstellungen an.',
    requestTitle: 'Link zu Ihren Einstellungen',
    requestText:
      'Geben Sie Ihre E-Mail-Adresse ein. Wenn wir sie kennen, schicken wir Ihnen einen Link, mit dem Sie Ihre Newsletter und Einwilligungen verwalten.',
    email: 'E-Mail-Adresse',
    emailInvalid: 'Bitte geben Sie eine gültige E-Mail-Adresse ein.',
    send: 'Link anfordern',
    requestedTitle: 'Bitte sehen Sie in Ihr Postfach',
    requestedText:
      'Wenn wir diese E-Mail-Adresse kennen, ist ein Link zu Ihren Einstellungen unterwegs. Er gilt 60 Tage.',
    tooManyTitle: 'Zu viele Anfragen',
    tooManyText:
      'Für diese E-Mail-Adresse wurden gerade mehrere Links angefordert. Bitte versuchen Sie es später erneut.',
    mail: (i) => ({
      subject: `Ihre Einstellungen bei ${i.tenant}`,
      text: [
        'Guten Tag,',
        '',
        `über diesen Link verwalten Sie Ihre Newsletter und Einwilligungen bei ${i.tenant}; er gilt ${i.days} Tage:`,
        '',
        i.link,
        '',
        'Wenn Sie den Link nicht angefordert haben, ignorieren Sie diese Nachricht; es ändert sich nichts.',
      ].join('\n'),
    }),
  },
  en: {
    title: 'Your preferences',
    intro: (t) => `Choose which newsletters you receive from ${t} and how we may contact you.`,
    newsletters: 'Newsletters',
    newslettersHint: 'Ticked: you receive this newsletter.',
    noNewsletters: 'There are no newsletters at the moment.',
    pending: 'Waiting for your confirmation — please click the link in the email we sent you.',
    optOut: 'Untick to:',
    consents: 'Your consents',
    save: 'Save preferences',
    saved: 'Your preferences are saved.',
    unsubscribeAll: 'Unsubscribe from all newsletters',
    unsubscribeAllHint: 'You will then receive none of our newsletters.',
    unsubscribedAll: 'You are unsubscribed from all newsletters.',
    confirmationSent:
      'For newly chosen newsletters we sent you an email: please confirm the subscription with the link in it.',
    invalidAnswer: 'An answer did not match the questions. Please check and save again.',
    expiredTitle: 'Link expired',
    expiredText: 'This link to your preferences has expired. Ask for a new one here.',
    unknownTitle: 'Invalid link',
    unknownText: 'We do not know this link. Ask for a link to your preferences here.',
    requestTitle: 'Link to your preferences',
    requestText:
      'Enter your email address. If we know it, we send you a link to manage your newsletters and consents.',
    email: 'Email address',
    emailInvalid: 'Please enter a valid email address.',
    send: 'Send me the link',
    requestedTitle: 'Please check your inbox',
    requestedText:
      'If we know this email address, a link to your preferences is on its way. It works for 60 days.',
    tooManyTitle: 'Too many requests',
    tooManyText: 'Several links were requested for this email address just now. Please try again later.',
    mail: (i) => ({
      subject: `Your preferences at ${i.tenant}`,
      text: [
        'Hello,',
        '',
        `with this link you manage your newsletters and consents at ${i.tenant}; it works for ${i.days} days:`,
        '',
        i.link,
        '',
        'If you did not ask for it, ignore this message; nothing changes.',
      ].join('\n'),
    }),
  },
  fr: {
    title: 'Vos préférences',
    intro: (t) =>
      `Choisissez les lettres d’information que vous recevez de ${t} et la manière dont nous pouvons vous contacter.`,
    newsletters: 'Lettres d’information',
    newslettersHint: 'Cochée : vous recevez cette lettre d’information.',
    noNewsletters: 'Il n’y a pas de lettre d’information pour le moment.',
    pending:
      'En attente de votre confirmation — veuillez cliquer sur le lien de l’e-mail que nous vous avons envoyé.',
    optOut: 'Décocher pour :',
    consents: 'Vos consentements',
    save: 'Enregistrer mes préférences',
    saved: 'Vos préférences sont enregistrées.',
    unsubscribeAll: 'Se désinscrire de toutes les lettres d’information',
    unsubscribeAllHint: 'Vous ne recevrez ensuite plus aucune de nos lettres d’information.',
    unsubscribedAll: 'Vous êtes désinscrit·e de toutes les lettres d’information.',
    confirmationSent:
      'Pour les lettres d’information nouvellement choisies, nous vous avons envoyé un e-mail : veuillez confirmer l’inscription avec le lien qu’il contient.',
    invalidAnswer:
      'Une réponse ne correspondait pas aux questions. Veuillez vérifier et enregistrer à nouveau.',
    expiredTitle: 'Lien expiré',
    expiredText: 'Ce lien vers vos préférences a expiré. Demandez-en un nouveau ici.',
    unknownTitle: 'Lien invalide',
    unknownText: 'Nous ne connaissons pas ce lien. Demandez ici un lien vers vos préférences.',
    requestTitle: 'Lien vers vos préférences',
    requestText:
      'Saisissez votre adresse e-mail. Si nous la connaissons, nous vous envoyons un lien pour gérer vos lettres d’information et vos consentements.',
    email: 'Adresse e-mail',
    emailInvalid: 'Veuillez saisir une adresse e-mail valide.',
    send: 'Recevoir le lien',
    requestedTitle: 'Veuillez consulter votre boîte de réception',
    requestedText:
      'Si nous connaissons cette adresse e-mail, un lien vers vos préférences est en route. Il est valable 60 jours.',
    tooManyTitle: 'Trop de demandes',
    tooManyText:
      'Plusieurs liens viennent d’être demandés pour cette adresse e-mail. Veuillez réessayer plus tard.',
    mail: (i) => ({
      subject: `Vos préférences chez ${i.tenant}`,
      text: [
        'Bonjour,',
        '',
        `ce lien vous permet de gérer vos lettres d’information et vos consentements chez ${i.tenant} ; il est valable ${i.days} jours :`,
        '',
        i.link,
        '',
        'Si vous ne l’avez pas demandé, ignorez ce message ; rien ne change.',
      ].join('\n'),
    }),
  },
};
