// The custom-fields module's public face: the settings page, and the pieces the contact and
// company forms and overviews render the tenant's custom fields with.
export type { CustomField } from './api/customFields.ts';
export { CustomFieldInputs } from './components/CustomFieldInputs.tsx';
export { CustomFieldsSettingsPage } from './components/CustomFieldsSettingsPage.tsx';
export { CustomFieldsView, formatCustomValue } from './components/CustomFieldsView.tsx';
export { useCustomFields } from './hooks/useCustomFields.ts';
export { type CustomFieldsForm, useCustomFieldsForm } from './hooks/useCustomFieldsForm.ts';
export { fieldLabelIn, optionLabelIn } from './labels.ts';
