import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  Loader,
  Paper,
  Radio,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { NotFoundPage } from '../../../app/NotFoundPage.tsx';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useHasRight } from '../../auth/index.ts';
import { ConfirmDeleteModal, isUuid } from '../../contacts/index.ts';
import type { Question } from '../api/questions.ts';
import {
  useArchiveQuestion,
  useCreateQuestion,
  useQuestion,
  useUpdateQuestion,
} from '../hooks/useQuestions.ts';
import {
  checkQuestion,
  draftOfQuestion,
  emptyOption,
  emptyQuestionDraft,
  metaChanged,
  type OptionDraft,
  type QuestionDraft,
  questionInput,
  slugOf,
  wordingChanged,
} from '../model/question.ts';
import {
  CHANNELS,
  CONSENT_LANGUAGES,
  type ConsentLanguage,
  LEGAL_BASES,
  POLARITIES,
  type Polarity,
  PURPOSES,
  pickText,
} from '../model/vocabulary.ts';
import { useConsentLabels } from './labels.ts';
import { QuestionVersions } from './QuestionVersions.tsx';

/** `/settings/consent-questions/new` and `/settings/consent-questions/:questionId`. */
export function QuestionEditorPage() {
  const { t } = useTranslation();
  const { questionId } = useParams();
  const valid = questionId === undefined || isUuid(questionId);
  const question = useQuestion(valid ? questionId : undefined);
  if (!valid) return <NotFoundPage />;
  if (questionId === undefined) return <Editor />;
  if (question.isPending) return <Loader />;
  if (question.isError) {
    if (question.error instanceof ApiError && question.error.status === 404) return <NotFoundPage />;
    return (
      <Stack>
        <Anchor component={Link} to="/settings/consent-questions" size="sm">
          ← {t('navSections.consentQuestions')}
        </Anchor>
        <ErrorAlert error={question.error} />
      </Stack>
    );
  }
  return <Editor key={question.data.id} question={question.data} />;
}

/** Server messages by path, without the `body.` prefix and with `/` as `.`. */
function errorsByPath(error: unknown): Record<string, string> {
  const byPath: Record<string, string> = {};
  if (!(error instanceof ApiError)) return byPath;
  for (const { path, message } of error.errors) {
    byPath[
      path
        .replace(/^body\./, '')
        .replace(/^\//, '')
        .replaceAll('/', '.')
    ] ??= message;
  }
  return byPath;
}

const uiLanguage = (language: string): ConsentLanguage =>
  CONSENT_LANGUAGES.find((lang) => lang === language.slice(0, 2)) ?? 'en';

function Editor({ question }: { question?: Question }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const labels = useConsentLabels();
  const mayUpdate = useHasRight('privacy:update');
  const mayCreate = useHasRight('privacy:create');
  const mayDelete = useHasRight('privacy:delete');
  const readOnly = question ? !mayUpdate || question.archivedAt !== null : !mayCreate;
  const create = useCreateQuestion();
  const update = useUpdateQuestion();
  const archive = useArchiveQuestion();
  const mutation = question ? update : create;
  const [draft, setDraft] = useState<QuestionDraft>(() =>
    question ? draftOfQuestion(question) : emptyQuestionDraft(),
  );
  const [language, setLanguage] = useState<ConsentLanguage>(() => {
    if (!question) return uiLanguage(i18n.language);
    const own = uiLanguage(i18n.language);
    return question.texts[own] ? own : (CONSENT_LANGUAGES.find((lang) => question.texts[lang]) ?? own);
  });
  const [keyTouched, setKeyTouched] = useState(question !== undefined);
  const [submitted, setSubmitted] = useState(false);
  const [confirmArchive, setConfirmArchive] = useState(false);
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  const title = question
    ? pickText(
        { de: question.texts.de?.label, en: question.texts.en?.label, fr: question.texts.fr?.label },
        i18n.language,
      ) || question.key
    : t('consent.questions.new');
  usePageTitle(title);

  const issues = checkQuestion(draft);
  const input = questionInput(draft);
  const newWording = question ? wordingChanged(question, input) : true;
  const newMeta = question ? metaChanged(question, input) : true;
  const dirty = newWording || newMeta;
  // Key, purpose, channel and basis are fixed once consents use the question (the server says so).
  const metaLocked = question?.inUse === true;
  const serverErrors = errorsByPath(mutation.error);
  const errorOf = (path: string): string | undefined => {
    const server = serverErrors[path];
    if (server !== undefined) return server;
    const issue = submitted ? issues[path] : undefined;
    return issue ? t(`consent.questions.errors.${issue}`) : undefined;
  };
  const languagesWithErrors = new Set(
    [...Object.keys(serverErrors), ...(submitted ? Object.keys(issues) : [])].flatMap(
      (path) => /\.(de|en|fr)(\.|$)/.exec(path)?.[1] ?? [],
    ),
  );
  const unplaced = Object.entries(serverErrors).filter(
    ([path]) => !/^(key|purpose|channel|legalBasis|texts|options)(\.|$)/.test(path),
  );

  const set = (change: Partial<QuestionDraft>) => {
    setDraft((current) => ({ ...current, ...change }));
    setSavedVersion(null);
  };
  const setText = (field: 'label' | 'help', value: string) => {
    const texts = { ...draft.texts, [language]: { ...draft.texts[language], [field]: value } };
    const change: Partial<QuestionDraft> = { texts };
    if (field === 'label' && !keyTouched) change.key = slugOf(value);
    set(change);
  };
  const setOption = (uid: number, change: Partial<OptionDraft>) =>
    set({ options: draft.options.map((option) => (option.uid === uid ? { ...option, ...change } : option)) });
  const moveOption = (index: number, by: -1 | 1) => {
    const options = [...draft.options];
    const [moved] = options.splice(index, 1);
    if (!moved) return;
    options.splice(index + by, 0, moved);
    set({ options });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(issues).length > 0) return;
    if (question) {
      const changes = {
        ...(newMeta && !metaLocked
          ? { key: input.key, purpose: input.purpose, channel: input.channel, legalBasis: input.legalBasis }
          : {}),
        ...(newWording ? { texts: input.texts, options: input.options } : {}),
      };
      update.mutate({ id: question.id, changes }, { onSuccess: (saved) => setSavedVersion(saved.version) });
    } else {
      create.mutate(input, {
        onSuccess: (created) => void navigate(`/settings/consent-questions/${created.id}`, { replace: true }),
      });
    }
  };

  const label = draft.texts[language].label;
  return (
    <Stack gap="lg" data-testid="consent-question-editor">
      <form onSubmit={submit} noValidate>
        <Stack gap="lg">
          <Group justify="space-between" align="flex-end">
            <Stack gap={4}>
              <Anchor component={Link} to="/settings/consent-questions" size="sm">
                ← {t('navSections.consentQuestions')}
              </Anchor>
              <Group gap="sm">
                <Title order={1} maw={720}>
                  {title}
                </Title>
                {question && (
                  <Badge variant="outline" color="gray" data-testid="consent-question-version">
                    {t('consent.questions.versionN', { version: question.version })}
                  </Badge>
                )}
                {question?.archivedAt && (
                  <Badge color="dark" variant="light">
                    {t('consent.questions.archivedBadge')}
                  </Badge>
                )}
              </Group>
            </Stack>
            <Group gap="xs">
              {question && mayUpdate && question.archivedAt !== null && (
                <Button
                  variant="default"
                  loading={update.isPending}
                  onClick={() => update.mutate({ id: question.id, changes: { archived: false } })}
                  data-testid="consent-question-restore"
                >
                  {t('consent.questions.restore')}
                </Button>
              )}
              {question && mayDelete && question.archivedAt === null && (
                <Button
                  variant="subtle"
                  color="red"
                  onClick={() => setConfirmArchive(true)}
                  data-testid="consent-question-archive"
                >
                  {t('consent.questions.archive')}
                </Button>
              )}
              {!readOnly && (
                <Button
                  type="submit"
                  loading={mutation.isPending}
                  disabled={question !== undefined && !dirty}
                  data-testid="consent-question-save"
                >
                  {question
                    ? newWording
                      ? t('consent.questions.saveVersion', { version: question.version + 1 })
                      : t('common.save')
                    : t('consent.questions.create')}
                </Button>
              )}
            </Group>
          </Group>

          {savedVersion !== null && !dirty && (
            <Alert color="green" variant="light" data-testid="consent-question-saved">
              {t('consent.questions.saved', { version: savedVersion })}
            </Alert>
          )}
          {question && newWording && !readOnly && (
            <Alert color="yellow" variant="light" data-testid="consent-question-new-version">
              {t('consent.questions.newVersionHint', {
                next: question.version + 1,
                current: question.version,
              })}
            </Alert>
          )}
          {submitted && Object.keys(issues).length > 0 && (
            <Alert color="red" variant="light" role="alert" data-testid="consent-question-invalid">
              {t('consent.questions.errors.fix')}
            </Alert>
          )}
          {mutation.error !== null &&
            (mutation.error instanceof ApiError && mutation.error.errors.length > 0 ? (
              <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
                <Text size="sm">{t('consent.questions.errors.fix')}</Text>
                {unplaced.map(([path, message]) => (
                  <Text key={path} size="sm">
                    {path}: {message}
                  </Text>
                ))}
              </Alert>
            ) : (
              <ErrorAlert
                error={mutation.error}
                messages={{
                  CONSENT_QUESTION_KEY_TAKEN: t('consent.questions.errors.keyTaken'),
                  CONSENT_QUESTION_IN_USE: t('consent.questions.errors.inUse'),
                }}
              />
            ))}

          <Grid gap="lg">
            <Grid.Col span={{ base: 12, md: 7 }}>
              <Stack gap="md">
                <Section title={t('consent.questions.wording')}>
                  <Group justify="space-between">
                    <Text size="xs" c="dimmed" maw={420}>
                      {t('consent.questions.wordingHint')}
                    </Text>
                    <SegmentedControl
                      aria-label={t('consent.questions.editLanguage')}
                      data={CONSENT_LANGUAGES.map((lang) => ({
                        value: lang,
                        label: `${lang.toUpperCase()}${languagesWithErrors.has(lang) ? ' !' : ''}`,
                      }))}
                      value={language}
                      onChange={(value) => setLanguage(value as ConsentLanguage)}
                      data-testid="consent-question-language"
                    />
                  </Group>
                  <TextInput
                    label={t('consent.questions.label', { language: language.toUpperCase() })}
                    value={label}
                    onChange={(event) => setText('label', event.currentTarget.value)}
                    error={
                      errorOf(`texts.${language}.label`) ?? (language === 'en' ? errorOf('texts') : undefined)
                    }
                    disabled={readOnly}
                    data-testid="consent-question-label"
                  />
                  {errorOf('texts') && language !== 'en' && (
                    <Text size="xs" c="red">
                      {errorOf('texts')}
                    </Text>
                  )}
                  <Textarea
                    label={t('consent.questions.help', { language: language.toUpperCase() })}
                    description={t('consent.questions.helpHint')}
                    value={draft.texts[language].help}
                    onChange={(event) => setText('help', event.currentTarget.value)}
                    error={errorOf(`texts.${language}.help`)}
                    autosize
                    minRows={2}
                    disabled={readOnly}
                    data-testid="consent-question-help"
                  />
                  <OptionsEditor
                    options={draft.options}
                    language={language}
                    readOnly={readOnly}
                    errorOf={errorOf}
                    onChange={setOption}
                    onMove={moveOption}
                    onRemove={(uid) => set({ options: draft.options.filter((option) => option.uid !== uid) })}
                    onAdd={() => set({ options: [...draft.options, emptyOption()] })}
                  />
                </Section>

                <Section title={t('consent.questions.meaning')}>
                  {metaLocked && (
                    <Text size="xs" c="dimmed" data-testid="consent-question-meta-locked">
                      {t('consent.questions.metaLocked')}
                    </Text>
                  )}
                  <TextInput
                    label={t('consent.questions.key')}
                    description={t('consent.questions.keyHint')}
                    value={draft.key}
                    onChange={(event) => {
                      setKeyTouched(true);
                      set({ key: event.currentTarget.value });
                    }}
                    error={errorOf('key')}
                    disabled={readOnly || metaLocked}
                    required
                    styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                    data-testid="consent-question-key"
                  />
                  <Select
                    label={t('consent.questions.purpose')}
                    description={t('consent.questions.purposeHint')}
                    data={withCurrent(PURPOSES, draft.purpose).map((purpose) => ({
                      value: purpose,
                      label: `${labels.purpose(purpose)} (${purpose})`,
                    }))}
                    value={draft.purpose}
                    onChange={(purpose) => purpose && set({ purpose })}
                    allowDeselect={false}
                    searchable
                    error={errorOf('purpose')}
                    disabled={readOnly || metaLocked}
                    data-testid="consent-question-purpose"
                  />
                  <Group grow align="flex-start">
                    <Select
                      label={t('consent.questions.channel')}
                      description={t('consent.questions.channelHint')}
                      data={withCurrent(CHANNELS, draft.channel).map((channel) => ({
                        value: channel,
                        label: labels.channel(channel),
                      }))}
                      value={draft.channel}
                      onChange={(channel) => channel && set({ channel })}
                      allowDeselect={false}
                      error={errorOf('channel')}
                      disabled={readOnly || metaLocked}
                      data-testid="consent-question-channel"
                    />
                    <Select
                      label={t('consent.questions.legalBasis')}
                      data={withCurrent(LEGAL_BASES, draft.legalBasis).map((basis) => ({
                        value: basis,
                        label: labels.legalBasis(basis),
                      }))}
                      value={draft.legalBasis}
                      onChange={(legalBasis) => legalBasis && set({ legalBasis })}
                      allowDeselect={false}
                      error={errorOf('legalBasis')}
                      disabled={readOnly || metaLocked}
                      data-testid="consent-question-legal-basis"
                    />
                  </Group>
                </Section>
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 5 }}>
              <Stack gap="xs" style={{ position: 'sticky', top: 76 }}>
                <Group justify="space-between">
                  <Title order={2} size="h4">
                    {t('consent.questions.preview')}
                  </Title>
                  <Badge variant="light">{language.toUpperCase()}</Badge>
                </Group>
                <QuestionPreview draft={draft} language={language} />
                <Text size="xs" c="dimmed">
                  {t('consent.questions.previewHint')}
                </Text>
              </Stack>
            </Grid.Col>
          </Grid>
        </Stack>
      </form>

      {question && <QuestionVersions questionId={question.id} currentVersion={question.version} />}

      {question && confirmArchive && (
        <ConfirmDeleteModal
          title={t('consent.questions.archiveTitle', { key: question.key })}
          confirmLabel={t('consent.questions.archive')}
          pending={archive.isPending}
          error={archive.error}
          onConfirm={() =>
            archive.mutate(question.id, {
              onSuccess: () => void navigate('/settings/consent-questions', { replace: true }),
            })
          }
          onClose={() => setConfirmArchive(false)}
          testId="consent-question-archive-confirm"
        >
          {t('consent.questions.archiveText')}
        </ConfirmDeleteModal>
      )}
    </Stack>
  );
}

/** The list to choose from, with a value the list does not know (from a newer server) kept. */
function withCurrent(list: readonly string[], current: string): string[] {
  return list.includes(current) ? [...list] : [...list, current];
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

function OptionsEditor({
  options,
  language,
  readOnly,
  errorOf,
  onChange,
  onMove,
  onRemove,
  onAdd,
}: {
  options: OptionDraft[];
  language: ConsentLanguage;
  readOnly: boolean;
  errorOf: (path: string) => string | undefined;
  onChange: (uid: number, change: Partial<OptionDraft>) => void;
  onMove: (index: number, by: -1 | 1) => void;
  onRemove: (uid: number) => void;
  onAdd: () => void;
}) {
  const { t } = useTranslation();
  const labels = useConsentLabels();
  return (
    <Stack gap="xs" data-testid="consent-question-options">
      <Text size="sm" fw={500}>
        {t('consent.questions.options')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('consent.questions.optionsHint')}
      </Text>
      {options.map((option, index) => (
        <Group key={option.uid} gap="xs" align="flex-start" wrap="nowrap" data-testid="consent-option">
          <TextInput
            aria-label={t('consent.questions.optionLabel', { language: language.toUpperCase() })}
            placeholder={t('consent.questions.optionLabel', { language: language.toUpperCase() })}
            value={option.label[language]}
            onChange={(event) =>
              onChange(option.uid, { label: { ...option.label, [language]: event.currentTarget.value } })
            }
            error={errorOf(`options.${index}.label.${language}`) ?? errorOf(`options.${index}.label`)}
            disabled={readOnly}
            style={{ flex: 2 }}
            data-testid="consent-option-label"
          />
          <TextInput
            aria-label={t('consent.questions.optionKey')}
            placeholder={t('consent.questions.optionKey')}
            value={option.key}
            onChange={(event) => onChange(option.uid, { key: event.currentTarget.value })}
            error={errorOf(`options.${index}.key`)}
            disabled={readOnly}
            style={{ flex: 1 }}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            data-testid="consent-option-key"
          />
          <Select
            aria-label={t('consent.questions.polarity')}
            data={POLARITIES.map((polarity) => ({ value: polarity, label: labels.polarity(polarity) }))}
            value={option.polarity}
            onChange={(polarity) => polarity && onChange(option.uid, { polarity: polarity as Polarity })}
            allowDeselect={false}
            disabled={readOnly}
            w={170}
            data-testid="consent-option-polarity"
          />
          {!readOnly && (
            <Group gap={2} wrap="nowrap" mt={4}>
              <ActionIcon
                variant="subtle"
                aria-label={t('consent.questions.moveUp')}
                disabled={index === 0}
                onClick={() => onMove(index, -1)}
              >
                ↑
              </ActionIcon>
              <ActionIcon
                variant="subtle"
                aria-label={t('consent.questions.moveDown')}
                disabled={index === options.length - 1}
                onClick={() => onMove(index, 1)}
              >
                ↓
              </ActionIcon>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t('consent.questions.removeOption')}
                onClick={() => onRemove(option.uid)}
              >
                ×
              </ActionIcon>
            </Group>
          )}
        </Group>
      ))}
      {errorOf('options') && (
        <Text size="xs" c="red">
          {errorOf('options')}
        </Text>
      )}
      {!readOnly && (
        <div>
          <Button size="xs" variant="light" onClick={onAdd} data-testid="consent-option-add">
            {t('consent.questions.addOption')}
          </Button>
        </div>
      )}
    </Stack>
  );
}

/** The question as a form shows it: a radio group, nothing pre-selected. */
function QuestionPreview({ draft, language }: { draft: QuestionDraft; language: ConsentLanguage }) {
  const { t } = useTranslation();
  const label = draft.texts[language].label.trim();
  return (
    <Paper withBorder p="lg" radius="md" lang={language} data-testid="consent-question-preview">
      <Radio.Group
        label={label || t('consent.questions.previewNoLabel')}
        description={draft.texts[language].help.trim() || undefined}
      >
        <Stack gap={6} mt="xs">
          {draft.options.map((option) => (
            <Radio
              key={option.uid}
              value={option.key || String(option.uid)}
              label={option.label[language].trim() || option.key || '—'}
            />
          ))}
        </Stack>
      </Radio.Group>
    </Paper>
  );
}
