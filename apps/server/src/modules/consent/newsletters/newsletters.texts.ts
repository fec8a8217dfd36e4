/**
 * What the newsletters part says itself, in de/en/fr: the double-opt-in mail (neutral — no
 * advertising, no name or text anyone typed, only the tenant's name, the newsletter's title and
 * the link), the footer of every newsletter mail, and the confirm and unsubscribe pages.
 */
import { escapeHtml } from '../../../kernel/http/public-page.ts';
import type { Language } from './newsletters.tables.ts';

export type ConfirmationMailInput = { tenant: string; title: string; link: string; days: number };

export const confirmationMail: Record<
  Language,
  (i: ConfirmationMailInput) => { subject: string; text: string }
> = {
  de: (i) => ({
    subject: `Bitte bestätigen Sie Ihre Anmeldung: ${i.title}`,
    text: [
      'Guten Tag,',
      '',
      `für diese E-Mail-Adresse wurde bei ${i.tenant} der Newsletter „${i.title}“ bestellt.`,
      `Bitte bestätigen Sie die Anmeldung über diesen Link; er gilt ${i.days} Tage und nur einmal:`,
      '',
      i.link,
      '',
      'Erst nach Ihrer Bestätigung erhalten Sie diesen Newsletter.',
      'Wenn Sie nichts bestellt haben, ignorieren Sie diese Nachricht: Es geschieht nichts, und die Anfrage wird nach Ablauf gelöscht.',
    ].join('\n'),
  }),
  en: (i) => ({
    subject: `Please confirm your subscription: ${i.title}`,
    text: [
      'Hello,',
      '',
      `the newsletter “${i.title}” of ${i.tenant} was requested for this email address.`,
      `Please confirm the subscription with this link; it works for ${i.days} days and only once:`,
      '',
      i.link,
      '',
      'You will receive the newsletter only after you confirm.',
      'If you did not ask for it, ignore this message: nothing happens, and the request is deleted when it expires.',
    ].join('\n'),
  }),
  fr: (i) => ({
    subject: `Veuillez confirmer votre inscription : ${i.title}`,
    text: [
      'Bonjour,',
      '',
      `la lettre d’information « ${i.title} » de ${i.tenant} a été demandée pour cette adresse e-mail.`,
      `Veuillez confirmer l’inscription avec ce lien ; il est valable ${i.days} jours et une seule fois :`,
      '',
      i.link,
      '',
      'Vous ne recevrez la lettre d’information qu’après votre confirmation.',
      'Si vous n’avez rien demandé, ignorez ce message : rien ne se passe, et la demande est supprimée à son expiration.',
    ].join('\n'),
  }),
};

export type FooterInput = { title: string; unsubscribeUrl: string; preferencesUrl: string };

const FOOTER: Record<Language, { why: (title: string) => string; unsubscribe: string; preferences: string }> =
  {
    de: {
      why: (t) => `Sie erhalten diese E-Mail, weil Sie „${t}“ abonniert haben.`,
      unsubscribe: 'Abmelden',
      preferences: 'Ihre Einstellungen',
    },
    en: {
      why: (t) => `You receive this email because you subscribed to “${t}”.`,
      unsubscribe: 'Unsubscribe',
      preferences: 'Your preferences',
    },
    fr: {
      why: (t) => `Vous recevez cet e-mail parce que vous êtes inscrit·e à « ${t} ».`,
      unsubscribe: 'Se désinscrire',
      preferences: 'Vos préférences',
    },
  };

/** The visible footer of every newsletter mail: why, the unsubscribe link and the preference centre. */
export function newsletterFooter(language: Language, input: FooterInput): { text: string; html: string } {
  const f = FOOTER[language];
  const text = [
    '',
    '-- ',
    f.why(input.title),
    `${f.unsubscribe}: ${input.unsubscribeUrl}`,
    `${f.preferences}: ${input.preferencesUrl}`,
  ].join('\n');
  const html = `<hr style="border:0;border-top:1px solid #ccc;margin:24px 0 12px">
<p style="font-family:sans-serif;font-size:12px;line-height:1.5;color:#555">${escapeHtml(f.why(input.title))}<br>
<a href="${escapeHtml(input.unsubscribeUrl)}">${escapeHtml(f.unsubscribe)}</a> · <a href="${escapeHtml(input.preferencesUrl)}">${escapeHtml(f.preferences)}</a></p>`;
  return { text, html };
}

export type PageTexts = {
  confirmTitle: string;
  confirmText: (title: string) => string;
  confirmButton: string;
  confirmedTitle: string;
  confirmedText: (title: string) => string;
  alreadyConfirmedTitle: string;
  alreadyConfirmedText: (title: string) => string;
  usedTitle: string;
  usedText: string;
  expiredTitle: string;
  expiredText: (days: number) => string;
  unknownTitle: string;
  unknownText: string;
  unsubscribeTitle: string;
  unsubscribeText: (title: string) => string;
  unsubscribeButton: string;
  unsubscribedTitle: string;
  unsubscribedText: (title: string) => string;
  notSubscribedText: (title: string) => string;
  preferencesLink: string;
  failedTitle: string;
  failedText: string;
};

export const PAGE_TEXTS: Record<Language, PageTexts> = {
  de: {
    confirmTitle: 'Anmeldung bestätigen',
    confirmText: (t) => `Bitte bestätigen Sie, dass Sie den Newsletter „${t}“ erhalten möchten.`,
    confirmButton: 'Anmeldung bestätigen',
    confirmedTitle: 'Anmeldung bestätigt',
    confirmedText: (t) =>
      `Vielen Dank. Sie erhalten ab jetzt „${t}“. Abmelden können Sie sich jederzeit über den Link in jeder E-Mail.`,
    alreadyConfirmedTitle: 'Bereits bestätigt',
    alreadyConfirmedText: (t) =>
      `Dieser Link wurde schon verwendet: Ihre Anmeldung für „${t}“ ist bestätigt. Es hat sich nichts geändert.`,
    usedTitle: 'Link bereits verwendet',
    usedText:
      'Dieser Bestätigungslink wurde schon verwendet oder gilt nicht mehr. Es hat sich nichts geändert.',
    expiredTitle: 'Link abgelaufen',
    expiredText: (d) =>
      `Dieser Bestätigungslink ist abgelaufen (er galt ${d} Tage). Es hat sich nichts geändert. Wenn Sie den Newsletter erhalten möchten, melden Sie sich bitte erneut an.`,
    unknownTitle: 'Link ungültig',
    unknownText: 'Diesen Link kennen wir nicht, oder er ist nicht mehr gültig. Es hat sich nichts geändert.',
    unsubscribeTitle: 'Vom Newsletter abmelden',
    unsubscribeText: (t) => `Möchten Sie den Newsletter „${t}“ nicht mehr erhalten?`,
    unsubscribeButton: 'Abmelden',
    unsubscribedTitle: 'Abgemeldet',
    unsubscribedText: (t) => `Sie sind von „${t}“ abgemeldet und erhalten ihn nicht mehr.`,
    notSubscribedText: (t) => `Sie erhalten „${t}“ nicht (mehr).`,
    preferencesLink: 'Alle Newsletter und Einwilligungen verwalten',
    failedTitle: 'Das hat nicht geklappt',
    failedText: 'Ihre Anfrage konnte nicht bearbeitet werden. Bitte versuchen Sie es später erneut.',
  },
  en: {
    confirmTitle: 'Confirm your subscription',
    confirmText: (t) => `Please confirm that you want to receive the newsletter “${t}”.`,
    confirmButton: 'Confirm subscription',
    confirmedTitle: 'Subscription confirmed',
    confirmedText: (t) =>
      `Thank you. You will receive “${t}” from now on. You can unsubscribe at any time with the link in every email.`,
    alreadyConfirmedTitle: 'Already confirmed',
    alreadyConfirmedText: (t) =>
      `This link was used before: your subscription to “${t}” is confirmed. Nothing has changed.`,
    usedTitle: 'Link already used',
    usedText: 'This confirmation link was used before or is no longer valid. Nothing has changed.',
    expiredTitle: 'Link expired',
    expiredText: (d) =>
      `This confirmation link has expired (it worked for ${d} days). Nothing has changed. If you want the newsletter, please subscribe again.`,
    unknownTitle: 'Invalid link',
    unknownText: 'We do not know this link, or it is no longer valid. Nothing has changed.',
    unsubscribeTitle: 'Unsubscribe from the newsletter',
    unsubscribeText: (t) => `Do you no longer want to receive the newsletter “${t}”?`,
    unsubscribeButton: 'Unsubscribe',
    unsubscribedTitle: 'Unsubscribed',
    unsubscribedText: (t) => `You are unsubscribed from “${t}” and will no longer receive it.`,
    notSubscribedText: (t) => `You do not receive “${t}” (any more).`,
    preferencesLink: 'Manage all your newsletters and consents',
    failedTitle: 'That did not work',
    failedText: 'Your request could not be handled. Please try again later.',
  },
  fr: {
    confirmTitle: 'Confirmer votre inscription',
    confirmText: (t) => `Veuillez confirmer que vous souhaitez recevoir la lettre d’information « ${t} ».`,
    confirmButton: 'Confirmer l’inscription',
    confirmedTitle: 'Inscription confirmée',
    confirmedText: (t) =>
      `Merci. Vous recevrez désormais « ${t} ». Vous pouvez vous désinscrire à tout moment avec le lien présent dans chaque e-mail.`,
    alreadyConfirmedTitle: 'Déjà confirmée',
    alreadyConfirmedText: (t) =>
      `Ce lien a déjà été utilisé : votre inscription à « ${t} » est confirmée. Rien n’a changé.`,
    usedTitle: 'Lien déjà utilisé',
    usedText: 'Ce lien de confirmation a déjà été utilisé ou n’est plus valable. Rien n’a changé.',
    expiredTitle: 'Lien expiré',
    expiredText: (d) =>
      `Ce lien de confirmation a expiré (il était valable ${d} jours). Rien n’a changé. Si vous souhaitez recevoir la lettre d’information, veuillez vous inscrire à nouveau.`,
    unknownTitle: 'Lien invalide',
    unknownText: 'Nous ne connaissons pas ce lien, ou il n’est plus valable. Rien n’a changé.',
    unsubscribeTitle: 'Se désinscrire de la lettre d’information',
    unsubscribeText: (t) => `Vous ne souhaitez plus recevoir la lettre d’information « ${t} » ?`,
    unsubscribeButton: 'Se désinscrire',
    unsubscribedTitle: 'Désinscription effectuée',
    unsubscribedText: (t) => `Vous êtes désinscrit·e de « ${t} » et ne la recevrez plus.`,
    notSubscribedText: (t) => `Vous ne recevez pas (plus) « ${t} ».`,
    preferencesLink: 'Gérer toutes vos lettres d’information et vos consentements',
    failedTitle: 'Cela n’a pas fonctionné',
    failedText: 'Votre demande n’a pas pu être traitée. Veuillez réessayer plus tard.',
  },
};
