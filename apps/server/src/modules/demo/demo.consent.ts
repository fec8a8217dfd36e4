import type { TenantTx } from '../../kernel/db/tenancy.ts';
import type { Principal } from '../../kernel/http/auth.ts';
import { createNewsletter, createQuestion } from '../consent/index.ts';

/**
 * The demo tenant's consent questions and newsletter (issue 6), created through the consent
 * module's own functions (the rules and audit of `POST /api/v1/consent-questions` and `POST
 * /api/v1/newsletters`): a car dealer asks about email promotions, brochures by post, phone calls,
 * open/click tracking, and offers "do not contact me at all" (a prohibition, channel any); its
 * newsletter has double opt-in and a welcome mail, both on.
 */

type Texts = { de: string; en: string; fr: string };
type DemoOption = { key: string; label: Texts; polarity: 'grant' | 'prohibition' | 'neutral' };
type DemoQuestion = {
  key: string;
  purpose: string;
  channel: 'email' | 'postal' | 'phone' | 'sms' | 'any';
  legalBasis: string;
  label: Texts;
  help: Texts;
  options: DemoOption[];
};

const YES_NO: DemoOption[] = [
  { key: 'yes', label: { de: 'Ja, gerne', en: 'Yes, please', fr: 'Oui, volontiers' }, polarity: 'grant' },
  { key: 'no', label: { de: 'Nein, danke', en: 'No, thank you', fr: 'Non, merci' }, polarity: 'neutral' },
];

const WITHDRAW: Texts = {
  de: 'Sie können Ihre Einwilligung jederzeit widerrufen, z. B. über den Link in jeder E-Mail oder in Ihren Einstellungen.',
  en: 'You can withdraw your consent at any time, e.g. through the link in every email or in your preferences.',
  fr: 'Vous pouvez retirer votre consentement à tout moment, p. ex. via le lien figurant dans chaque e-mail ou dans vos préférences.',
};

/** In this order; the first is the question the demo form shows. */
export const DEMO_QUESTIONS: readonly DemoQuestion[] = [
  {
    key: 'email-promotions',
    purpose: 'dpv:DirectMarketing',
    channel: 'email',
    legalBasis: 'eu-gdpr:A6-1-a',
    label: {
      de: 'Dürfen wir Ihnen Angebote und Neuigkeiten per E-Mail senden?',
      en: 'May we send you offers and news by email?',
      fr: 'Pouvons-nous vous envoyer des offres et des nouveautés par e-mail ?',
    },
    help: WITHDRAW,
    options: YES_NO,
  },
  {
    key: 'postal-brochures',
    purpose: 'dpv:DirectMarketing',
    channel: 'postal',
    legalBasis: 'eu-gdpr:A6-1-a',
    label: {
      de: 'Möchten Sie Prospekte und Einladungen per Post erhalten?',
      en: 'Would you like to receive brochures and invitations by post?',
      fr: 'Souhaitez-vous recevoir des brochures et des invitations par courrier ?',
    },
    help: WITHDRAW,
    options: YES_NO,
  },
  {
    key: 'phone-calls',
    purpose: 'dpv:DirectMarketing',
    channel: 'phone',
    legalBasis: 'eu-gdpr:A6-1-a',
    label: {
      de: 'Dürfen wir Sie anrufen, um Ihnen Angebote vorzustellen?',
      en: 'May we call you to present offers?',
      fr: 'Pouvons-nous vous appeler pour vous présenter des offres ?',
    },
    help: WITHDRAW,
    options: YES_NO,
  },
  {
    key: 'email-tracking',
    purpose: 'dpv:ServiceUsageAnalytics',
    channel: 'email',
    legalBasis: 'eu-gdpr:A6-1-a',
    label: {
      de: 'Dürfen wir messen, ob Sie unsere E-Mails öffnen und welche Links Sie anklicken?',
      en: 'May we measure whether you open our emails and which links you click?',
      fr: 'Pouvons-nous mesurer si vous ouvrez nos e-mails et sur quels liens vous cliquez ?',
    },
    help: {
      de: 'So erfahren wir, welche Themen Sie interessieren. Ohne Ihre Einwilligung messen wir nichts.',
      en: 'This tells us which topics interest you. Without your consent we measure nothing.',
      fr: 'Cela nous indique les sujets qui vous intéressent. Sans votre consentement, nous ne mesurons rien.',
    },
    options: YES_NO,
  },
  {
    key: 'no-contact',
    purpose: 'dpv:DirectMarketing',
    channel: 'any',
    // The objection to direct marketing (GDPR Art. 21(2), (3)): it beats every permission.
    legalBasis: 'eu-gdpr:A21',
    label: {
      de: 'Widerspruch gegen Werbung',
      en: 'Objection to advertising',
      fr: 'Opposition à la prospection',
    },
    help: {
      de: 'Wenn Sie widersprechen, kontaktieren wir Sie auf keinem Weg mehr zu Werbezwecken – weder per E-Mail noch per Post oder Telefon.',
      en: 'If you object, we will no longer contact you for advertising in any way – not by email, post or phone.',
      fr: 'Si vous vous y opposez, nous ne vous contacterons plus à des fins publicitaires, ni par e-mail, ni par courrier, ni par téléphone.',
    },
    options: [
      {
        key: 'do-not-contact',
        label: {
          de: 'Bitte kontaktieren Sie mich überhaupt nicht',
          en: 'Do not contact me at all',
          fr: 'Ne me contactez pas du tout',
        },
        polarity: 'prohibition',
      },
      {
        key: 'no-objection',
        label: { de: 'Kein Widerspruch', en: 'No objection', fr: 'Pas d’opposition' },
        polarity: 'neutral',
      },
    ],
  },
];

/** The body of `POST /api/v1/consent-questions` for one demo question. */
export function questionBody(q: DemoQuestion) {
  return {
    key: q.key,
    purpose: q.purpose,
    channel: q.channel,
    legalBasis: q.legalBasis,
    texts: {
      de: { label: q.label.de, help: q.help.de },
      en: { label: q.label.en, help: q.help.en },
      fr: { label: q.label.fr, help: q.help.fr },
    },
    options: q.options.map((o) => ({ key: o.key, label: o.label, polarity: o.polarity })),
  };
}

/** The body of `POST /api/v1/newsletters` for the demo newsletter: double opt-in and a welcome mail. */
export function newsletterBody() {
  return {
    name: 'Autohaus-News',
    listId: 'autohaus-news',
    languages: ['de', 'en', 'fr'] as ('de' | 'en' | 'fr')[],
    texts: {
      de: {
        title: 'Autohaus-News',
        description: 'Einmal im Monat: neue Modelle, Service-Aktionen und Einladungen zu Probefahrten.',
        optOutText: 'Sie erhalten keine Autohaus-News mehr. Sie können sie jederzeit wieder bestellen.',
      },
      en: {
        title: 'Car dealer news',
        description: 'Once a month: new models, service offers and invitations to test drives.',
        optOutText: 'You will no longer receive the car dealer news. You can subscribe again at any time.',
      },
      fr: {
        title: 'Actualités du garage',
        description: 'Une fois par mois : nouveaux modèles, offres d’entretien et invitations à des essais.',
        optOutText:
          'Vous ne recevrez plus les actualités du garage. Vous pouvez vous réabonner à tout moment.',
      },
    },
    doubleOptIn: true,
    welcomeEnabled: true,
    welcome: {
      subject: {
        de: 'Willkommen bei den {{ newsletter.title }}',
        en: 'Welcome to {{ newsletter.title }}',
        fr: 'Bienvenue aux {{ newsletter.title }}',
      },
      body: {
        de: 'Guten Tag{% if contact.firstName %} {{ contact.firstName }}{% endif %}{% if contact.lastName %} {{ contact.lastName }}{% endif %},\n\nvielen Dank für Ihre Anmeldung! Ab jetzt erhalten Sie einmal im Monat die {{ newsletter.title }}: neue Modelle, Service-Aktionen und Einladungen zu Probefahrten.\n\nFreundliche Grüsse\nIhr Demo-Team',
        en: 'Hello{% if contact.firstName %} {{ contact.firstName }}{% endif %}{% if contact.lastName %} {{ contact.lastName }}{% endif %},\n\nthank you for subscribing! From now on you will receive {{ newsletter.title }} once a month: new models, service offers and invitations to test drives.\n\nKind regards\nThe demo team',
        fr: 'Bonjour{% if contact.firstName %} {{ contact.firstName }}{% endif %}{% if contact.lastName %} {{ contact.lastName }}{% endif %},\n\nmerci pour votre inscription ! Vous recevrez désormais une fois par mois les {{ newsletter.title }} : nouveaux modèles, offres d’entretien et invitations à des essais.\n\nMeilleures salutations\nL’équipe démo',
      },
    },
    senderName: null,
    senderAddress: null,
  };
}

export type DemoConsent = {
  /** The questions' ids by key (DEMO_QUESTIONS order). */
  questionIds: Record<string, string>;
  newsletterId: string;
};

/**
 * Creates the demo questions and newsletter in the caller's transaction, as `principal` (the
 * admin). `baseUrl` only shapes the newsletter view the consent module answers with.
 */
export async function createDemoConsent(
  tx: TenantTx,
  principal: Principal,
  baseUrl: string,
): Promise<DemoConsent> {
  const questionIds: Record<string, string> = {};
  for (const question of DEMO_QUESTIONS) {
    questionIds[question.key] = (await createQuestion(tx, principal, questionBody(question))).id;
  }
  const newsletter = await createNewsletter(tx, principal, newsletterBody(), baseUrl);
  return { questionIds, newsletterId: newsletter.id };
}
