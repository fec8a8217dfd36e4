import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Code,
  Grid,
  Group,
  List,
  Loader,
  MultiSelect,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import type { TFunction } from 'i18next';
import { type FormEvent, type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { NotFoundPage } from '../../../app/NotFoundPage.tsx';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useHasRight } from '../../auth/index.ts';
import { ConfirmDeleteModal, isUuid, TagsField } from '../../contacts/index.ts';
import { fieldLabelIn, useCustomFields } from '../../customFields/index.ts';
import {
  FORM_LANGUAGES,
  FORM_STATUSES,
  type Form,
  type FormLanguage,
  type FormStatus,
  type Texts,
} from '../api/forms.ts';
import {
  type DefinitionDraft,
  definitionOf,
  draftOf,
  emptyDraft,
  errorsByPath,
  FIELD_NAME_PATTERN,
  type FormDraft,
  typesWithOptions,
} from '../definition.ts';
import { useCreateForm, useDeleteForm, useForm, useUpdateForm, useUserChoices } from '../hooks/useForms.ts';
import { ConsentEditor, useConsentChoices } from './ConsentEditor.tsx';
import { EmbedDialog } from './EmbedDialog.tsx';
import { FieldsEditor } from './FieldsEditor.tsx';
import { FormPreview } from './FormPreview.tsx';
import { FormStatusBadge } from './StatusBadge.tsx';
import { monospaceInput } from './styles.ts';

/** `/forms/new` and `/forms/:formId`: the builder with its live preview. */
export function FormBuilderPage() {
  const { t } = useTranslation();
  const { formId } = useParams();
  const valid = formId === undefined || isUuid(formId);
  const form = useForm(valid ? formId : undefined);
  if (!valid) return <NotFoundPage />;
  if (formId === undefined) return <Builder />;
  if (form.isPending) return <Loader />;
  if (form.isError) {
    if (form.error instanceof ApiError && form.error.status === 404) return <NotFoundPage />;
    return (
      <Stack>
        <Anchor component={Link} to="/forms" size="sm">
          ← {t('modules.forms')}
        </Anchor>
        <ErrorAlert error={form.error} />
      </Stack>
    );
  }
  return <Builder key={form.data.id} form={form.data} />;
}

const uiLanguage = (language: string): FormLanguage => {
  const short = language.slice(0, 2);
  return FORM_LANGUAGES.find((lang) => lang === short) ?? 'en';
};

/** What the client checks before saving; the server checks everything again and names the inputs. */
function check(draft: FormDraft): Record<string, string> {
  const issues: Record<string, string> = {};
  if (draft.name.trim() === '') issues.name = 'required';
  if (draft.definition.languages.length === 0) issues['definition.languages'] = 'languages';
  if (draft.definition.fields.length === 0) issues['definition.fields'] = 'fields';
  const names = new Set<string>();
  draft.definition.fields.forEach((field, index) => {
    const name = field.name.trim();
    if (!FIELD_NAME_PATTERN.test(name)) issues[`definition.fields.${index}.name`] = 'fieldName';
    else if (names.has(name)) issues[`definition.fields.${index}.name`] = 'duplicateName';
    names.add(name);
    if (typesWithOptions.includes(field.type)) {
      if (field.options.length === 0) issues[`definition.fields.${index}.options`] = 'options';
      field.options.forEach((option, at) => {
        if (option.value.trim() === '') issues[`definition.fields.${index}.options.${at}.value`] = 'required';
      });
    }
  });
  const redirect = draft.definition.redirectUrl?.trim() ?? '';
  if (redirect !== '' && !/^https:\/\/[^\s/]+/.test(redirect)) issues['definition.redirectUrl'] = 'https';
  if (
    draft.definition.autoReply.enabled &&
    !draft.definition.fields.some((f) => f.target === 'contact.email')
  )
    issues['definition.autoReply.enabled'] = 'needsEmail';
  if (draft.definition.autoReply.enabled) {
    for (const lang of draft.definition.languages) {
      if (!draft.definition.autoReply.subject[lang]?.trim())
        issues[`definition.autoReply.subject.${lang}`] = 'required';
      if (!draft.definition.autoReply.body[lang]?.trim())
        issues[`definition.autoReply.body.${lang}`] = 'required';
    }
  }
  return issues;
}

const perLanguageTexts: Record<
  string,
  'title' | 'submitLabel' | 'successMessage' | 'autoReplySubject' | 'autoReplyBody'
> = {
  'definition.title': 'title',
  'definition.submitLabel': 'submitLabel',
  'definition.successMessage': 'successMessage',
  'definition.autoReply.subject': 'autoReplySubject',
  'definition.autoReply.body': 'autoReplyBody',
};

/** Where a message belongs, in words where the builder has them (`Field 2 · Label (DE)`), else its path. */
function describePath(t: TFunction, path: string): string | undefined {
  const lang = /\.(de|en|fr)$/.exec(path)?.[1];
  const language = lang?.toUpperCase() ?? '';
  const base = lang ? path.slice(0, -3) : path;
  const text = perLanguageTexts[base];
  if (text && lang) return t(`forms.builder.${text}`, { language });
  const label = /^definition\.fields\.(\d+)\.label$/.exec(base);
  if (label && lang)
    return `${t('forms.builder.fieldNumber', { number: Number(label[1]) + 1 })} · ${t('forms.builder.fieldLabel', { language })}`;
  const option = /^definition\.fields\.(\d+)\.options\.(\d+)\.label$/.exec(base);
  if (option && lang)
    return `${t('forms.builder.fieldNumber', { number: Number(option[1]) + 1 })} · ${t('forms.builder.optionLabel', { language })}`;
  return undefined;
}

/** Whether a server message about `path` is shown at an input while `language` is being edited. */
function isPlaced(path: string, language: FormLanguage, fieldCount: number): boolean {
  const lang = /\.(de|en|fr)$/.exec(path)?.[1];
  if (lang !== undefined && lang !== language) return false;
  const field = /^definition\.fields\.(\d+)\./.exec(path)?.[1];
  if (field !== undefined && Number(field) >= fieldCount) return false;
  return /^(name|status|definition\.(languages|title|fields|tags|overwrite|submitLabel|successMessage|redirectUrl|autoReply|notifyUserIds|consentQuestionIds|requiredConsentQuestionIds|newsletterIds))(\.|$)/.test(
    path,
  );
}

function Builder({ form }: { form?: Form }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const mayCreate = useHasRight('marketing:create');
  const mayUpdate = useHasRight('marketing:update');
  const mayReadUsers = useHasRight('users:read');
  const mayDelete = useHasRight('marketing:delete');
  const remove = useDeleteForm();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const readOnly = form ? !mayUpdate : !mayCreate;
  const customFields = useCustomFields('contact');
  const consentChoices = useConsentChoices();
  const users = useUserChoices(mayReadUsers);
  const create = useCreateForm();
  const update = useUpdateForm();
  const mutation = form ? update : create;

  const [draft, setDraft] = useState<FormDraft>(() =>
    form ? draftOf(form) : emptyDraft(uiLanguage(i18n.language)),
  );
  const [saved, setSaved] = useState(() => (form ? JSON.stringify(inputOf(draftOf(form))) : ''));
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  const [language, setLanguage] = useState<FormLanguage>(draft.definition.languages[0] ?? 'en');
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [embedOpen, setEmbedOpen] = useState(false);
  usePageTitle(form ? form.name : t('forms.new'));

  const definition = draft.definition;
  const issues = check(draft);
  const dirty = JSON.stringify(inputOf(draft)) !== saved;

  const errorOf = (path: string, ...more: string[]): string | undefined => {
    for (const candidate of [path, ...more]) {
      const server =
        serverErrors[candidate] ??
        Object.entries(serverErrors).find(([key]) => {
          // A message about a part of this input (`tags.3`), not about a nested input or another language.
          const rest = key.slice(candidate.length);
          const otherLanguage = /^\.(de|en|fr)$/.test(rest) && rest !== `.${language}`;
          return key.startsWith(`${candidate}.`) && !/\.\d+\./.test(rest) && !otherLanguage;
        })?.[1];
      if (server !== undefined) return server;
      const issue = submitted ? issues[candidate] : undefined;
      if (issue !== undefined) return t(`forms.errors.${issue as 'required'}`);
    }
    return undefined;
  };
  const setDefinition = (change: Partial<DefinitionDraft>) => {
    setDraft((current) => ({ ...current, definition: { ...current.definition, ...change } }));
    setSavedVersion(null);
  };
  const setText = (key: 'title' | 'submitLabel' | 'successMessage', value: string) =>
    setDefinition({ [key]: { ...definition[key], [language]: value } });
  const setLanguages = (languages: FormLanguage[]) => {
    setDefinition({ languages });
    if (languages.length > 0 && !languages.includes(language)) setLanguage(languages[0] ?? 'en');
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setServerErrors({});
    if (Object.keys(issues).length > 0) return;
    const input = inputOf(draft);
    const onError = (error: unknown) => {
      if (error instanceof ApiError) setServerErrors(errorsByPath(error.errors));
    };
    if (form) {
      update.mutate(
        { id: form.id, changes: input },
        {
          onSuccess: (next) => {
            setSaved(JSON.stringify(input));
            setSavedVersion(next.version);
          },
          onError,
        },
      );
    } else {
      create.mutate(input, {
        onSuccess: (created) => navigate(`/forms/${created.id}`, { replace: true }),
        onError,
      });
    }
  };

  // Messages about texts of another language than the one being edited are listed above the form,
  // and that language is marked in the language switch.
  const clientErrors = submitted
    ? Object.fromEntries(
        Object.entries(issues).map(([path, issue]) => [path, t(`forms.errors.${issue as 'required'}`)]),
      )
    : {};
  const allErrors: Record<string, string> = { ...clientErrors, ...serverErrors };
  const clientInvalid = submitted && Object.keys(issues).length > 0;
  const languagesWithErrors = new Set(
    Object.keys(allErrors).flatMap((path) => /\.(de|en|fr)$/.exec(path)?.[1] ?? []),
  );
  const unplaced = Object.entries(allErrors).filter(
    ([path]) => !isPlaced(path, language, definition.fields.length),
  );
  const unplacedList =
    unplaced.length === 0 ? null : (
      <List size="sm" mt="xs" data-testid="form-errors-elsewhere">
        {unplaced.map(([path, message]) => {
          const where = describePath(t, path);
          return (
            <List.Item key={path}>
              {where ?? <Code>{path}</Code>}: {message}
            </List.Item>
          );
        })}
      </List>
    );
  const textProps = (key: 'title' | 'submitLabel' | 'successMessage') => ({
    value: definition[key][language] ?? '',
    onChange: (event: { currentTarget: { value: string } }) => setText(key, event.currentTarget.value),
    error: errorOf(`definition.${key}.${language}`, `definition.${key}`),
    disabled: readOnly,
    'data-testid': `form-${key}`,
  });
  const overwriteChoices = useMemo(
    () =>
      [...new Set(definition.fields.map((field) => field.target))].filter(
        (target) => target !== 'none' && target !== 'contact.email',
      ),
    [definition.fields],
  );
  const targetLabel = (target: string): string => {
    if (target.startsWith('contact.')) return t(`contacts.fields.${target.slice(8) as 'email'}`);
    const custom = customFields.data?.find((field) => `custom.${field.key}` === target);
    return custom ? fieldLabelIn(custom, i18n.language) : target;
  };

  return (
    <form onSubmit={submit} noValidate data-testid="form-builder">
      <Stack gap="lg">
        <Group justify="space-between" align="flex-end">
          <Stack gap={4}>
            <Anchor component={Link} to="/forms" size="sm">
              ← {t('modules.forms')}
            </Anchor>
            <Group gap="sm">
              <Title order={1}>{form ? form.name : t('forms.new')}</Title>
              {form && <FormStatusBadge status={form.status} />}
              {form && (
                <Badge variant="outline" color="gray" data-testid="form-version">
                  {t('forms.versionN', { version: form.version })}
                </Badge>
              )}
            </Group>
          </Stack>
          <Group gap="xs">
            {form && (
              <>
                <Button
                  component={Link}
                  to={`/forms/${form.id}/submissions`}
                  variant="default"
                  data-testid="form-submissions-link"
                >
                  {t('forms.submissions')}
                </Button>
                <Button variant="default" onClick={() => setEmbedOpen(true)} data-testid="form-embed">
                  {t('forms.embed.open')}
                </Button>
                {mayDelete && (
                  <Button
                    variant="subtle"
                    color="red"
                    onClick={() => setConfirmDelete(true)}
                    data-testid="form-delete"
                  >
                    {t('forms.delete')}
                  </Button>
                )}
              </>
            )}
            {!readOnly && (
              <Button
                type="submit"
                loading={mutation.isPending}
                disabled={form !== undefined && !dirty}
                data-testid="form-save"
              >
                {form ? t('common.save') : t('forms.create')}
              </Button>
            )}
          </Group>
        </Group>
        {savedVersion !== null && !dirty && (
          <Alert color="green" variant="light" data-testid="form-saved">
            {t('forms.savedVersion', { version: savedVersion })}
          </Alert>
        )}
        {clientInvalid && (
          <Alert color="red" variant="light" role="alert" data-testid="form-invalid">
            <Text size="sm">{t('forms.errors.fix')}</Text>
            {unplacedList}
          </Alert>
        )}
        {!clientInvalid &&
          mutation.error !== null &&
          (!(mutation.error instanceof ApiError) || mutation.error.errors.length === 0 ? (
            <ErrorAlert error={mutation.error} />
          ) : (
            <Alert
              color="red"
              variant="light"
              title={t('errors.title')}
              role="alert"
              data-testid="form-server-invalid"
            >
              <Text size="sm">{t('forms.errors.fix')}</Text>
              {unplacedList}
            </Alert>
          ))}

        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack gap="md">
              <Section title={t('forms.builder.general')}>
                <TextInput
                  label={t('forms.name')}
                  description={t('forms.builder.nameHint')}
                  value={draft.name}
                  onChange={(event) => {
                    const name = event.currentTarget.value;
                    setDraft((current) => ({ ...current, name }));
                  }}
                  error={errorOf('name')}
                  required
                  disabled={readOnly}
                  data-testid="form-name"
                />
                <Stack gap={4}>
                  <Text size="sm" fw={500}>
                    {t('forms.status')}
                  </Text>
                  <SegmentedControl
                    data={FORM_STATUSES.map((status) => ({
                      value: status,
                      label: t(`forms.statuses.${status}`),
                    }))}
                    value={draft.status}
                    onChange={(value) => setDraft((current) => ({ ...current, status: value as FormStatus }))}
                    disabled={readOnly}
                    data-testid="form-status-input"
                  />
                  <Text size="xs" c="dimmed">
                    {t('forms.builder.statusHint')}
                  </Text>
                </Stack>
                <LanguagesInput
                  value={definition.languages}
                  onChange={setLanguages}
                  error={errorOf('definition.languages')}
                  disabled={readOnly}
                />
              </Section>

              <Card withBorder padding="md" data-testid="form-texts">
                <Stack gap="sm">
                  <Group justify="space-between">
                    <Title order={2} size="h4">
                      {t('forms.builder.texts')}
                    </Title>
                    <SegmentedControl
                      aria-label={t('forms.builder.editLanguage')}
                      data={definition.languages.map((lang) => ({
                        value: lang,
                        label: `${lang.toUpperCase()}${languagesWithErrors.has(lang) ? ' !' : ''}`,
                      }))}
                      value={language}
                      onChange={(value) => setLanguage(value as FormLanguage)}
                      data-testid="form-language"
                    />
                  </Group>
                  <Text size="xs" c="dimmed">
                    {t('forms.builder.textsHint')}
                  </Text>
                  <TextInput
                    label={t('forms.builder.title', { language: language.toUpperCase() })}
                    {...textProps('title')}
                  />
                  <FieldsEditor
                    fields={definition.fields}
                    onChange={(fields) => setDefinition({ fields })}
                    language={language}
                    customFields={customFields.data ?? []}
                    errorOf={errorOf}
                    readOnly={readOnly}
                  />
                  <TextInput
                    label={t('forms.builder.submitLabel', { language: language.toUpperCase() })}
                    placeholder={i18n.getFixedT(language)('forms.preview.defaultSubmit')}
                    {...textProps('submitLabel')}
                  />
                </Stack>
              </Card>

              <Section title={t('forms.consent.title')}>
                <ConsentEditor
                  value={{
                    consentQuestionIds: definition.consentQuestionIds,
                    requiredConsentQuestionIds: definition.requiredConsentQuestionIds,
                    newsletterIds: definition.newsletterIds,
                  }}
                  onChange={setDefinition}
                  questions={consentChoices.questions}
                  newsletters={consentChoices.newsletters}
                  mayReadQuestions={consentChoices.mayReadQuestions}
                  errorOf={(path) => errorOf(path)}
                  readOnly={readOnly}
                />
              </Section>

              <Section title={t('forms.builder.afterSubmit')}>
                <TextInput
                  label={t('forms.builder.redirectUrl')}
                  description={t('forms.builder.redirectHint')}
                  placeholder="https://example.com/thanks"
                  value={definition.redirectUrl ?? ''}
                  onChange={(event) => setDefinition({ redirectUrl: event.currentTarget.value })}
                  error={errorOf('definition.redirectUrl')}
                  disabled={readOnly}
                  data-testid="form-redirectUrl"
                />
                <Textarea
                  label={t('forms.builder.successMessage', { language: language.toUpperCase() })}
                  placeholder={i18n.getFixedT(language)('forms.preview.defaultSuccess')}
                  autosize
                  minRows={2}
                  {...textProps('successMessage')}
                />
                <TagsField
                  label={t('forms.builder.tags')}
                  description={t('forms.builder.tagsHint')}
                  value={definition.tags}
                  onChange={(tags) => setDefinition({ tags })}
                  error={errorOf('definition.tags')}
                  testId="form-tags"
                />
                <Checkbox.Group
                  label={t('forms.builder.overwrite')}
                  description={t('forms.builder.overwriteHint')}
                  value={definition.overwrite}
                  onChange={(overwrite) => setDefinition({ overwrite })}
                  error={errorOf('definition.overwrite')}
                  data-testid="form-overwrite"
                >
                  <Group mt="xs" gap="md">
                    {overwriteChoices.length === 0 ? (
                      <Text size="sm" c="dimmed">
                        {t('forms.builder.overwriteNone')}
                      </Text>
                    ) : (
                      overwriteChoices.map((target) => (
                        <Checkbox
                          key={target}
                          value={target}
                          label={targetLabel(target)}
                          disabled={readOnly}
                          data-testid={`overwrite-${target}`}
                        />
                      ))
                    )}
                  </Group>
                </Checkbox.Group>
              </Section>

              <Section title={t('forms.builder.autoReply')}>
                <Switch
                  label={t('forms.builder.autoReplyEnabled')}
                  checked={definition.autoReply.enabled}
                  onChange={(event) =>
                    setDefinition({
                      autoReply: { ...definition.autoReply, enabled: event.currentTarget.checked },
                    })
                  }
                  error={errorOf('definition.autoReply.enabled')}
                  disabled={readOnly}
                  data-testid="form-autoReply-enabled"
                />
                {definition.autoReply.enabled && (
                  <>
                    <TextInput
                      label={t('forms.builder.autoReplySubject', { language: language.toUpperCase() })}
                      value={definition.autoReply.subject[language] ?? ''}
                      onChange={(event) =>
                        setDefinition({
                          autoReply: {
                            ...definition.autoReply,
                            subject: withText(
                              definition.autoReply.subject,
                              language,
                              event.currentTarget.value,
                            ),
                          },
                        })
                      }
                      error={errorOf(
                        `definition.autoReply.subject.${language}`,
                        'definition.autoReply.subject',
                      )}
                      disabled={readOnly}
                      data-testid="form-autoReply-subject"
                    />
                    <Textarea
                      label={t('forms.builder.autoReplyBody', { language: language.toUpperCase() })}
                      autosize
                      minRows={5}
                      value={definition.autoReply.body[language] ?? ''}
                      onChange={(event) =>
                        setDefinition({
                          autoReply: {
                            ...definition.autoReply,
                            body: withText(definition.autoReply.body, language, event.currentTarget.value),
                          },
                        })
                      }
                      error={errorOf(`definition.autoReply.body.${language}`, 'definition.autoReply.body')}
                      disabled={readOnly}
                      styles={monospaceInput}
                      data-testid="form-autoReply-body"
                    />
                    <Text size="xs" c="dimmed" data-testid="form-liquid-hint">
                      {t('forms.builder.liquidHint')}{' '}
                      {liquidVariables.map((variable) => (
                        <Code key={variable} mr={4}>
                          {variable}
                        </Code>
                      ))}
                    </Text>
                  </>
                )}
              </Section>

              <Section title={t('forms.builder.notify')}>
                {mayReadUsers ? (
                  <MultiSelect
                    label={t('forms.builder.notifyUsers')}
                    description={t('forms.builder.notifyHint')}
                    data={(users.data ?? []).map((user) => ({
                      value: user.id,
                      label: user.displayName ?? user.email,
                    }))}
                    value={definition.notifyUserIds}
                    onChange={(notifyUserIds) => setDefinition({ notifyUserIds })}
                    error={errorOf('definition.notifyUserIds')}
                    searchable
                    disabled={readOnly}
                    data-testid="form-notify"
                  />
                ) : (
                  <Text size="sm" c="dimmed">
                    {t('forms.builder.notifyNoRight', { count: definition.notifyUserIds.length })}
                  </Text>
                )}
              </Section>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <div style={{ position: 'sticky', top: 76 }}>
              <Stack gap="xs">
                <Group justify="space-between">
                  <Title order={2} size="h4">
                    {t('forms.preview.title')}
                  </Title>
                  <Badge variant="light">{language.toUpperCase()}</Badge>
                </Group>
                <FormPreview
                  definition={definition}
                  language={language}
                  questions={consentChoices.questions}
                  newsletters={consentChoices.allNewsletters}
                />
              </Stack>
            </div>
          </Grid.Col>
        </Grid>
      </Stack>
      {form && confirmDelete && (
        <ConfirmDeleteModal
          title={t('forms.deleteTitle', { name: form.name })}
          confirmLabel={t('forms.delete')}
          pending={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate(form.id, { onSuccess: () => navigate('/forms', { replace: true }) })}
          onClose={() => setConfirmDelete(false)}
          testId="form-delete-confirm"
        >
          {t('forms.deleteWarn')}
        </ConfirmDeleteModal>
      )}
      {form && embedOpen && (
        <EmbedDialog formId={form.id} status={form.status} onClose={() => setEmbedOpen(false)} />
      )}
    </form>
  );
}

/** What the auto-reply templates may use (the server passes nothing else, never free text the visitor typed). */
const liquidVariables = [
  '{{ contact.salutation }}',
  '{{ contact.firstName }}',
  '{{ contact.lastName }}',
  '{{ contact.email }}',
  '{{ contact.language }}',
  '{{ form.name }}',
];

function inputOf(draft: FormDraft) {
  return { name: draft.name.trim(), status: draft.status, definition: definitionOf(draft.definition) };
}

function withText(texts: Texts, language: FormLanguage, value: string): Texts {
  return { ...texts, [language]: value };
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder padding="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {title}
        </Title>
        {children}
      </Stack>
    </Card>
  );
}

/** Which languages the form has; the first is the default a visitor gets when theirs is not offered. */
function LanguagesInput({
  value,
  onChange,
  error,
  disabled,
}: {
  value: FormLanguage[];
  onChange: (languages: FormLanguage[]) => void;
  error: string | undefined;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const first = value[0];
  const ordered = (chosen: FormLanguage[], preferred: FormLanguage | undefined) => {
    const rest = FORM_LANGUAGES.filter((lang) => chosen.includes(lang) && lang !== preferred);
    return preferred && chosen.includes(preferred) ? [preferred, ...rest] : rest;
  };
  return (
    <Group align="flex-start" gap="xl">
      <Checkbox.Group
        label={t('forms.builder.languages')}
        value={value}
        onChange={(chosen) => onChange(ordered(chosen as FormLanguage[], first))}
        error={error}
        data-testid="form-languages"
      >
        <Group mt="xs">
          {FORM_LANGUAGES.map((lang) => (
            <Checkbox
              key={lang}
              value={lang}
              label={t(`forms.languages.${lang}`)}
              disabled={disabled}
              data-testid={`form-language-${lang}`}
            />
          ))}
        </Group>
      </Checkbox.Group>
      <Select
        label={t('forms.builder.defaultLanguage')}
        data={value.map((lang) => ({ value: lang, label: t(`forms.languages.${lang}`) }))}
        value={first ?? null}
        onChange={(lang) => lang && onChange(ordered(value, lang as FormLanguage))}
        allowDeselect={false}
        disabled={disabled || value.length < 2}
        w={180}
        data-testid="form-default-language"
      />
    </Group>
  );
}
