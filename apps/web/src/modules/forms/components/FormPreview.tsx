import {
  Alert,
  Button,
  Checkbox,
  MultiSelect,
  NativeSelect,
  Paper,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { FormLanguage } from '../api/forms.ts';
import { type DefinitionDraft, type FieldDraft, textIn } from '../definition.ts';

/** The visitor's texts of the preview: the form's own words, else the built-in ones in that language. */
function useVisitorTexts(language: FormLanguage) {
  const { i18n } = useTranslation();
  const t = i18n.getFixedT(language);
  return {
    submit: t('forms.preview.defaultSubmit'),
    success: t('forms.preview.defaultSuccess'),
    choose: t('forms.preview.choose'),
  };
}

/**
 * The form as a visitor sees it in one language, drawn from the definition being edited (the
 * hosted page and the embed draw the same fields, labels and texts on the server's side).
 */
export function FormPreview({
  definition,
  language,
}: {
  definition: DefinitionDraft;
  language: FormLanguage;
}) {
  const { t } = useTranslation();
  const visitor = useVisitorTexts(language);
  const text = (texts: DefinitionDraft['title']) => textIn(texts, language, definition.languages);
  const title = text(definition.title);
  const success = text(definition.successMessage) || visitor.success;

  return (
    <Stack gap="sm" data-testid="form-preview" data-language={language} lang={language}>
      <Paper withBorder p="lg" radius="md">
        <form onSubmit={(event) => event.preventDefault()} aria-label={title || t('forms.preview.title')}>
          <Stack gap="sm">
            {title && (
              <Title order={2} size="h3" data-testid="preview-title">
                {title}
              </Title>
            )}
            {definition.fields.map((field) => (
              <PreviewField
                key={field.uid}
                field={field}
                label={text(field.label) || field.name}
                optionLabel={(option) => text(option.label) || option.value}
                choose={visitor.choose}
              />
            ))}
            <div>
              <Button type="submit" data-testid="preview-submit">
                {text(definition.submitLabel) || visitor.submit}
              </Button>
            </div>
          </Stack>
        </form>
      </Paper>
      <Text size="xs" c="dimmed">
        {definition.redirectUrl?.trim()
          ? t('forms.preview.afterRedirect', { url: definition.redirectUrl.trim() })
          : t('forms.preview.afterSuccess')}
      </Text>
      {!definition.redirectUrl?.trim() && (
        <Alert variant="light" color="green" data-testid="preview-success">
          {success}
        </Alert>
      )}
    </Stack>
  );
}

function PreviewField({
  field,
  label,
  optionLabel,
  choose,
}: {
  field: FieldDraft;
  label: string;
  optionLabel: (option: FieldDraft['options'][number]) => string;
  choose: string;
}) {
  const common = {
    label,
    required: field.required,
    'data-testid': `preview-field-${field.name}`,
  };
  const options = field.options.map((option) => ({
    value: option.value || String(option.uid),
    label: optionLabel(option),
  }));
  switch (field.type) {
    case 'textarea':
      return <Textarea {...common} autosize minRows={3} />;
    case 'select':
      return <NativeSelect {...common} data={[{ value: '', label: choose }, ...options]} />;
    case 'multiselect':
      return <MultiSelect {...common} data={options} comboboxProps={{ withinPortal: false }} />;
    case 'checkbox':
      return <Checkbox label={label} required={field.required} data-testid={common['data-testid']} />;
    case 'email':
    case 'tel':
    case 'date':
    case 'number':
      return <TextInput {...common} type={field.type} />;
    case 'text':
      return <TextInput {...common} />;
  }
}
