import type { TFunction } from 'i18next';

/** What a contact is called in lists and titles: the name, else the email, else the company. */
export function contactName(
  t: TFunction,
  contact: {
    firstName: string | null;
    lastName: string | null;
    email: string | null;
    companyName: string | null;
  },
): string {
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ').trim();
  return name || contact.email || contact.companyName || t('contacts.unnamed');
}
