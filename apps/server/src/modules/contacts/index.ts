/** Contacts: persons and companies, their tags, validation and search (issue 4, first slice). */

export { getCompany } from './companies.service.ts';
export { contactsRoutes } from './contacts.routes.ts';
export {
  COMPANY_FIELD_CATEGORIES,
  CONTACT_FIELD_CATEGORIES,
  type Company,
  type Contact,
  PAYMENT_METHODS,
  type PaymentMethod,
} from './contacts.schema.ts';
export { getContact } from './contacts.service.ts';
export type {
  CompanyTable,
  CompanyTagTable,
  ContactsTables,
  ContactTable,
  ContactTagTable,
  CustomFields,
  CustomFieldValue,
  TagTable,
} from './contacts.tables.ts';
