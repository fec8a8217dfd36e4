import type { FormLanguage } from './forms.schema.ts';

/** The staff notice of a submission, in the form's default language. */
export function notificationText(
  language: FormLanguage,
  v: { formName: string; contactUrl: string; summary: string },
): { subject: string; text: string } {
  const name = v.formName.replace(/\s+/g, ' ').slice(0, 150);
  switch (language) {
    case 'de':
      return {
        subject: `Neue Anfrage: ${name}`,
        text: `Über das Formular „${name}“ ist eine Anfrage eingegangen.\n\n${v.summary}\n\nKontakt: ${v.contactUrl}\n`,
      };
    case 'fr':
      return {
        subject: `Nouvelle demande : ${name}`,
        text: `Une demande est arrivée par le formulaire « ${name} ».\n\n${v.summary}\n\nContact : ${v.contactUrl}\n`,
      };
    case 'en':
      return {
        subject: `New enquiry: ${name}`,
        text: `An enquiry came in through the form "${name}".\n\n${v.summary}\n\nContact: ${v.contactUrl}\n`,
      };
  }
}
