/** Contacts: persons and companies, their tags, validation and search (issue 4, first slice). */

export { createCompanies } from './companies.import.ts';
export { createCompany, getCompany } from './companies.service.ts';
export { type ContactSet, contactsByIds, visibleContactIds } from './contacts.batch-read.ts';
export {
  contactCustomFields,
  IMPORTABLE_CONTACT_FIELDS,
  type ImportableContactField,
  type ImportBatchResult,
  type ImportContactsOptions,
  type ImportDedupe,
  type ImportOutcome,
  type ImportPrincipal,
  importContacts,
  type PreparedContact,
  type PreparedRow,
  prepareContactRow,
} from './contacts.import.ts';
export { contactsRoutes } from './contacts.routes.ts';
export {
  COMPANY_FIELD_CATEGORIES,
  CONTACT_FIELD_CATEGORIES,
  type Company,
  type Contact,
  type CreateContactInput,
  createCompanySchema,
  createContactSchema,
  createContactSchemaFor,
  isContactField,
  PAYMENT_METHODS,
  type PaymentMethod,
  type UpdateContactInput,
} from './contacts.schema.ts';
export {
  type ContactWriter,
  createContact,
  findContactIdByEmail,
  getContact,
  systemWriter,
  updateContact,
} from './contacts.service.ts';
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
export type { CustomFieldDefinition } from './custom-fields/custom-fields.schema.ts';
export { createCustomFieldSchema } from './custom-fields/custom-fields.schema.ts';
export { categoriesByKey, createDefinition } from './custom-fields/custom-fields.service.ts';
export {
  type Compiled as SelectionCompiled,
  registerSelectionLeaf,
  registerSelectionSuppression,
  SELECTION_PURPOSES,
  type SelectionLeaf,
  type SelectionPurpose,
  type SelectionSuppression,
} from './selections/selections.leaf.ts';
export { selectionsRoutes } from './selections/selections.routes.ts';
export type { FilterNode as SelectionFilter } from './selections/selections.schema.ts';
export {
  countContacts,
  type FilterOptions,
  type FilterPrincipal,
  getSelection,
  selectContactIds,
} from './selections/selections.service.ts';
