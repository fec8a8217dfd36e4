import type { CustomFieldType } from '@kontor/contracts';
import type { CustomField } from '../customFields/index.ts';
import type {
  Form,
  FormDefinition,
  FormField,
  FormFieldType,
  FormLanguage,
  FormStatus,
  Texts,
} from './api/forms.ts';

/** The form field name the server accepts: a letter, then lower-case letters, digits and _. */
export const FIELD_NAME_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;

/** Standard contact fields a form field may fill, in the order the target picker lists them. */
export const CONTACT_TARGETS = [
  'salutation',
  'firstName',
  'lastName',
  'email',
  'phone',
  'mobile',
  'fax',
  'website',
  'language',
  'street',
  'addressLine1',
  'addressLine2',
  'postalCode',
  'city',
  'region',
  'country',
  'birthday',
  'vatId',
] as const;
export type ContactTarget = (typeof CONTACT_TARGETS)[number];

/** The input type that suits a standard contact field. */
const contactTargetTypes: Partial<Record<ContactTarget, FormFieldType>> = {
  email: 'email',
  phone: 'tel',
  mobile: 'tel',
  fax: 'tel',
  birthday: 'date',
};

const customTypes: Record<CustomFieldType, FormFieldType> = {
  text: 'text',
  long_text: 'textarea',
  number: 'number',
  decimal: 'number',
  date: 'date',
  boolean: 'checkbox',
  single_select: 'select',
  multi_select: 'multiselect',
  url: 'text',
  email: 'email',
};

export const typesWithOptions: readonly FormFieldType[] = ['select', 'multiselect'];

export type OptionDraft = { uid: number; value: string; label: Texts };
export type FieldDraft = Omit<FormField, 'options'> & { uid: number; options: OptionDraft[] };
export type DefinitionDraft = Omit<FormDefinition, 'fields'> & { fields: FieldDraft[] };
export type FormDraft = { name: string; status: FormStatus; definition: DefinitionDraft };

let nextUid = 1;
export const newUid = (): number => nextUid++;

export function emptyDraft(language: FormLanguage): FormDraft {
  return {
    name: '',
    status: 'draft',
    definition: {
      languages: [language],
      title: {},
      fields: [
        {
          uid: newUid(),
          name: 'email',
          target: 'contact.email',
          type: 'email',
          label: {},
          required: true,
          options: [],
        },
      ],
      tags: [],
      newsletterIds: [],
      consentQuestionIds: [],
      requiredConsentQuestionIds: [],
      overwrite: [],
      submitLabel: {},
      successMessage: {},
      redirectUrl: null,
      autoReply: { enabled: false, subject: {}, body: {} },
      notifyUserIds: [],
    },
  };
}

export function draftOf(form: Form): FormDraft {
  return {
    name: form.name,
    status: form.status,
    definition: {
      ...form.definition,
      fields: form.definition.fields.map((field) => ({
        ...field,
        uid: newUid(),
        options: (field.options ?? []).map((option) => ({ ...option, uid: newUid() })),
      })),
    },
  };
}

/** Drops empty texts, so that a language left blank is absent rather than "". */
export function cleanTexts(texts: Texts): Texts {
  const out: Texts = {};
  for (const lang of ['de', 'en', 'fr'] as const) {
    const value = texts[lang]?.trim();
    if (value) out[lang] = value;
  }
  return out;
}

/** The definition as the server takes it. */
export function definitionOf(draft: DefinitionDraft): FormDefinition {
  const redirect = draft.redirectUrl?.trim() ?? '';
  return {
    ...draft,
    title: cleanTexts(draft.title),
    submitLabel: cleanTexts(draft.submitLabel),
    successMessage: cleanTexts(draft.successMessage),
    redirectUrl: redirect === '' ? null : redirect,
    // Only questions the form shows can be required.
    requiredConsentQuestionIds: draft.requiredConsentQuestionIds.filter((id) =>
      draft.consentQuestionIds.includes(id),
    ),
    autoReply: {
      enabled: draft.autoReply.enabled,
      subject: cleanTexts(draft.autoReply.subject),
      body: cleanTexts(draft.autoReply.body),
    },
    fields: draft.fields.map(({ uid: _uid, options, ...field }) => ({
      ...field,
      name: field.name.trim(),
      label: cleanTexts(field.label),
      ...(typesWithOptions.includes(field.type)
        ? {
            options: options.map((option) => ({
              value: option.value.trim(),
              label: cleanTexts(option.label),
            })),
          }
        : {}),
    })),
  };
}

/** A text in the language asked for, else in the form's first language that has one. */
export function textIn(texts: Texts, language: FormLanguage, languages: readonly FormLanguage[]): string {
  const own = texts[language];
  if (own) return own;
  for (const other of languages) {
    const value = texts[other];
    if (value) return value;
  }
  return '';
}

/** What a field named after its target is called: `contact.firstName` → `first_name`, `custom.car_make` → `car_make`. */
export function nameForTarget(target: string): string {
  const [, key = ''] = target.split('.');
  return key
    .replace(/([A-Z])/g, '_$1')
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .replace(/^[^a-z]+/, '');
}

/** The type, options and labels a field gets when its target is chosen. */
export function fieldForTarget(
  field: FieldDraft,
  target: string,
  customFields: readonly CustomField[],
): FieldDraft {
  const next: FieldDraft = { ...field, target };
  if (field.name === '' || field.name === nameForTarget(field.target)) next.name = nameForTarget(target);
  if (target.startsWith('contact.')) {
    next.type = contactTargetTypes[target.slice('contact.'.length) as ContactTarget] ?? 'text';
  } else if (target.startsWith('custom.')) {
    const custom = customFields.find((candidate) => `custom.${candidate.key}` === target);
    if (custom) {
      next.type = customTypes[custom.type];
      next.required = field.required || custom.required;
      if (Object.keys(cleanTexts(field.label)).length === 0)
        next.label = { ...custom.labels, ...(custom.labels.en ? {} : { en: custom.label }) };
      next.options = custom.options.map((option) => ({
        uid: newUid(),
        value: option.value,
        label: { ...option.labels, ...(option.labels.en ? {} : { en: option.label }) },
      }));
    }
  }
  return next;
}

/** Server messages by path, with the `body.` prefix dropped (`definition.fields.0.name`). */
export function errorsByPath(errors: readonly { path: string; message: string }[]): Record<string, string> {
  const byPath: Record<string, string> = {};
  for (const { path, message } of errors)
    byPath[
      path
        .replace(/^body\./, '')
        .replace(/^\//, '')
        .replaceAll('/', '.')
    ] ??= message;
  return byPath;
}
