// The contacts module's public face: other code imports from here, never from deeper files.
// The companies module builds on the record pieces below (fields, forms, documents, access log).
export type { FieldAccess } from '@kontor/contracts';
export type { Contact } from './api/contacts.ts';
export { customFieldsSchema } from './api/contacts.ts';
export { CompanySelect } from './components/CompanySelect.tsx';
export { ConfirmDeleteModal } from './components/ConfirmDeleteModal.tsx';
export { CellText } from './components/ContactListPage.tsx';
export { CustomFieldsCard, TagList } from './components/ContactOverview.tsx';
export { type ContactChoice, ContactSelect } from './components/ContactSelect.tsx';
export { ContactsPage } from './components/ContactsPage.tsx';
export { DocumentsPanel } from './components/DocumentsPanel.tsx';
export { FieldGroups } from './components/FieldGroups.tsx';
export { fieldLabel } from './components/FieldValue.tsx';
export { FormFieldGroups } from './components/FormFieldGroups.tsx';
export { FormProblem, focusFirstInvalid } from './components/FormProblem.tsx';
export { RecordAccessPanel } from './components/RecordAccessPanel.tsx';
export { TagsField } from './components/TagsField.tsx';
export { type Column, VirtualTable } from './components/VirtualTable.tsx';
export { companyFields, contactFields } from './fields.ts';
export { changedValues, sameTags, valuesToCreate } from './form.ts';
export { useContactList } from './hooks/useContacts.ts';
export { useFieldAccess } from './hooks/useFieldAccess.ts';
export { useListParams } from './hooks/useListParams.ts';
export { useRecordForm } from './hooks/useRecordForm.ts';
export { useTags } from './hooks/useTags.ts';
export { useCountryOptions } from './locale.ts';
export { contactName } from './names.ts';
export { isUuid } from './uuid.ts';
