import type { ConsentLanguage } from './consent.schema.ts';

/**
 * The daily digest to the privacy officer, in the tenant's language: how many changes by
 * contacts wait, how old the oldest is, and where the queue is. Names no contact (the mail
 * leaves the system; the queue behind the sign-in shows who).
 */
export function digestText(
  language: ConsentLanguage,
  v: { open: number; oldestOpenAt: Date; overdue: number; queueUrl: string | null; day: string },
): { subject: string; text: string } {
  const oldest = v.oldestOpenAt.toISOString().slice(0, 10);
  switch (language) {
    case 'de': {
      const what =
        v.open === 1 ? '1 offene Einwilligungsänderung' : `${v.open} offene Einwilligungsänderungen`;
      const overdue =
        v.overdue > 0
          ? `\n${v.overdue === 1 ? 'Eine davon wartet' : `${v.overdue} davon warten`} seit mehr als 3 Tagen.`
          : '';
      return {
        subject: `Datenschutz: ${what}`,
        text:
          `Guten Tag\n\nKontakte haben Einwilligungen oder Newsletter-Abonnements geändert: ${what}, ` +
          `die älteste vom ${oldest}.${overdue}\n\n` +
          (v.queueUrl ? `Zur Bearbeitung: ${v.queueUrl}\n\n` : '') +
          `Diese Übersicht kommt täglich (${v.day}), solange Änderungen offen sind; ` +
          'sie lässt sich in den Einwilligungs-Einstellungen abschalten.\n',
      };
    }
    case 'fr': {
      const what =
        v.open === 1
          ? '1 modification de consentement en attente'
          : `${v.open} modifications de consentement en attente`;
      const overdue =
        v.overdue > 0
          ? `\n${v.overdue === 1 ? 'Une attend' : `${v.overdue} attendent`} depuis plus de 3 jours.`
          : '';
      return {
        subject: `Protection des données : ${what}`,
        text:
          `Bonjour,\n\nDes contacts ont modifié leurs consentements ou abonnements : ${what}, ` +
          `la plus ancienne du ${oldest}.${overdue}\n\n` +
          (v.queueUrl ? `Pour les traiter : ${v.queueUrl}\n\n` : '') +
          `Ce récapitulatif est envoyé chaque jour (${v.day}) tant que des modifications sont en attente ; ` +
          'il se désactive dans les paramètres des consentements.\n',
      };
    }
    case 'en': {
      const what = v.open === 1 ? '1 open consent change' : `${v.open} open consent changes`;
      const overdue =
        v.overdue > 0
          ? `\n${v.overdue === 1 ? 'One has' : `${v.overdue} have`} been waiting for more than 3 days.`
          : '';
      return {
        subject: `Privacy: ${what}`,
        text:
          `Hello,\n\nContacts changed their consents or newsletter subscriptions: ${what}, ` +
          `the oldest from ${oldest}.${overdue}\n\n` +
          (v.queueUrl ? `To process them: ${v.queueUrl}\n\n` : '') +
          `This summary comes daily (${v.day}) while changes are open; ` +
          'switch it off in the consent settings.\n',
      };
    }
  }
}
