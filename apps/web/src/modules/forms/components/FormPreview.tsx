import {
  Alert,
  Button,
  Checkbox,
  MultiSelect,
  NativeSelect,
  Paper,
  Radio,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { pickText, type Question } from '../../consent/index.ts';
import type { Newsletter } from '../../newsletters/index.ts';
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
  questions = [],
  newsletters = [],
}: {
  definition: DefinitionDraft;
  language: FormLanguage;
  /** The consent questions and newsletters to draw the chosen ones from (current versions). */
  questions?: readonly Question[];
  newsletters?: readonly Newsletter[];
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
            {definition.consentQuestionIds.map((id) => {
              const question = questions.find((candidate) => candidate.id === id);
              return question ? (
                <PreviewQuestion
                  key={id}
                  question={question}
                  language={language}
                  languages={definition.languages}
                  required={definition.requiredConsentQuestionIds.includes(id)}
                />
              ) : null;
            })}
            {definition.newsletterIds.map((id) => {
              const newsletter = newsletters.find((candidate) => candidate.id === id);
              return newsletter ? (
                <PreviewNewsletter
                  key={id}
                  newsletter={newsletter}
                  language={language}
                  languages={definition.languages}
                />
              ) : null;
            })}
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

/** A text in the form's language, else in its other languages, else in any. */
function inLanguage(
  texts: Partial<Record<FormLanguage, string | undefined>>,
  language: FormLanguage,
  languages: readonly FormLanguage[],
): string {
  const own = texts[language];
  if (own) return own;
  for (const other of languages) {
    const value = texts[other];
    if (value) return value;
  }
  return pickText(texts, language);
}

/** A consent question as the hosted page draws it: a radio group, nothing pre-selected. */
function PreviewQuestion({
  question,
  language,
  languages,
  required,
}: {
  question: Question;
  language: FormLanguage;
  languages: readonly FormLanguage[];
  required: boolean;
}) {
  const text = (lang: FormLanguage) => question.texts[lang];
  const label = inLanguage(
    { de: text('de')?.label, en: text('en')?.label, fr: text('fr')?.label },
    language,
    languages,
  );
  const help = inLanguage(
    { de: text('de')?.help, en: text('en')?.help, fr: text('fr')?.help },
    language,
    languages,
  );
  return (
    <Radio.Group
      label={label || question.key}
      description={help || undefined}
      required={required}
      data-testid="preview-consent"
      data-question-id={question.id}
    >
      <Stack gap={6} mt={6}>
        {question.options.map((option) => (
          <Radio
            key={option.key}
            value={option.key}
            label={inLanguage(option.label, language, languages) || option.key}
          />
        ))}
      </Stack>
    </Radio.Group>
  );
}

/** A newsletter as the hosted page offers it: a checkbox, never pre-ticked. */
function PreviewNewsletter({
  newsletter,
  language,
  languages,
}: {
  newsletter: Newsletter;
  language: FormLanguage;
  languages: readonly FormLanguage[];
}) {
  const title = inLanguage(
    { de: newsletter.texts.de?.title, en: newsletter.texts.en?.title, fr: newsletter.texts.fr?.title },
    language,
    languages,
  );
  const description = inLanguage(
    {
      de: newsletter.texts.de?.description ?? undefined,
      en: newsletter.texts.en?.description ?? undefined,
      fr: newsletter.texts.fr?.description ?? undefined,
    },
    language,
    languages,
  );
  return (
    <Checkbox
      label={title || newsletter.name}
      description={description || undefined}
      data-testid="preview-newsletter"
      data-newsletter-id={newsletter.id}
    />
  );
}
