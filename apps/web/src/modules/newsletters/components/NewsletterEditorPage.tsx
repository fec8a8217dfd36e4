import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Code,
  Group,
  Loader,
  SegmentedControl,
  Stack,
  Switch,
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
import { isUuid } from '../../contacts/index.ts';
import type { Newsletter } from '../api/newsletters.ts';
import { useCreateNewsletter, useNewsletter, useUpdateNewsletter } from '../hooks/useNewsletters.ts';
import {
  checkNewsletter,
  draftOfNewsletter,
  emptyNewsletterDraft,
  listIdOf,
  NEWSLETTER_LANGUAGES,
  type NewsletterDraft,
  type NewsletterLanguage,
  newsletterInput,
  newsletterTitle,
} from '../model/newsletter.ts';

/** `/newsletters/new` and `/newsletters/:newsletterId`. */
export function NewsletterEditorPage() {
  const { t } = useTranslation();
  const { newsletterId } = useParams();
  const valid = newsletterId === undefined || isUuid(newsletterId);
  const newsletter = useNewsletter(valid ? newsletterId : undefined);
  if (!valid) return <NotFoundPage />;
  if (newsletterId === undefined) return <Editor />;
  if (newsletter.isPending) return <Loader />;
  if (newsletter.isError) {
    if (newsletter.error instanceof ApiError && newsletter.error.status === 404) return <NotFoundPage />;
    return (
      <Stack>
        <Anchor component={Link} to="/newsletters" size="sm">
          ← {t('modules.newsletters')}
        </Anchor>
        <ErrorAlert error={newsletter.error} />
      </Stack>
    );
  }
  return <Editor key={newsletter.data.id} newsletter={newsletter.data} />;
}

const uiLanguage = (language: string): NewsletterLanguage =>
  NEWSLETTER_LANGUAGES.find((lang) => lang === language.slice(0, 2)) ?? 'en';

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

/** The variables the welcome mail may use (the server passes nothing else). */
const liquidVariables = [
  '{{ contact.salutation }}',
  '{{ contact.firstName }}',
  '{{ contact.lastName }}',
  '{{ newsletter.title }}',
];

function Editor({ newsletter }: { newsletter?: Newsletter }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const mayCreate = useHasRight('marketing:create');
  const mayUpdate = useHasRight('marketing:update');
  const archived = newsletter?.archivedAt != null || newsletter?.archived === true;
  const readOnly = newsletter ? !mayUpdate || archived : !mayCreate;
  const create = useCreateNewsletter();
  const update = useUpdateNewsletter();
  const mutation = newsletter ? update : create;
  const [draft, setDraft] = useState<NewsletterDraft>(() =>
    newsletter ? draftOfNewsletter(newsletter) : emptyNewsletterDraft(uiLanguage(i18n.language)),
  );
  const [saved, setSaved] = useState(() =>
    newsletter ? JSON.stringify(newsletterInput(draftOfNewsletter(newsletter))) : '',
  );
  const [language, setLanguage] = useState<NewsletterLanguage>(draft.languages[0] ?? 'en');
  const [listIdTouched, setListIdTouched] = useState(newsletter !== undefined);
  const [submitted, setSubmitted] = useState(false);
  const [justSaved, setJustSaved] = useState(false);
  usePageTitle(newsletter ? newsletterTitle(newsletter, i18n.language) : t('newsletters.new'));

  const issues = checkNewsletter(draft);
  const input = newsletterInput(draft);
  const dirty = JSON.stringify(input) !== saved;
  const serverErrors = errorsByPath(mutation.error);
  const errorOf = (...paths: string[]): string | undefined => {
    for (const path of paths) {
      const server = serverErrors[path];
      if (server !== undefined) return server;
      const issue = submitted ? issues[path] : undefined;
      if (issue) return t(`newsletters.errors.${issue}`);
    }
    return undefined;
  };
  const languagesWithErrors = new Set(
    [...Object.keys(serverErrors), ...(submitted ? Object.keys(issues) : [])].flatMap(
      (path) => /\.(de|en|fr)(\.|$)/.exec(path)?.[1] ?? [],
    ),
  );
  const invalid = submitted && Object.keys(issues).length > 0;

  const set = (change: Partial<NewsletterDraft>) => {
    setDraft((current) => ({ ...current, ...change }));
    setJustSaved(false);
  };
  const setText = (field: keyof NewsletterDraft['texts']['de'], value: string) =>
    set({ texts: { ...draft.texts, [language]: { ...draft.texts[language], [field]: value } } });
  const setLanguages = (chosen: NewsletterLanguage[]) => {
    const languages = NEWSLETTER_LANGUAGES.filter((lang) => chosen.includes(lang));
    set({ languages });
    if (languages.length > 0 && !languages.includes(language)) setLanguage(languages[0] ?? 'en');
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(issues).length > 0) return;
    if (newsletter) {
      update.mutate(
        { id: newsletter.id, changes: input },
        {
          onSuccess: () => {
            setSaved(JSON.stringify(input));
            setJustSaved(true);
          },
        },
      );
    } else {
      create.mutate(input, {
        onSuccess: (created) => void navigate(`/newsletters/${created.id}`, { replace: true }),
      });
    }
  };

  const texts = draft.texts[language];
  return (
    <form onSubmit={submit} noValidate data-testid="newsletter-editor">
      <Stack gap="lg">
        <Group justify="space-between" align="flex-end">
          <Stack gap={4}>
            <Anchor component={Link} to="/newsletters" size="sm">
              ← {t('modules.newsletters')}
            </Anchor>
            <Group gap="sm">
              <Title order={1}>
                {newsletter ? newsletterTitle(newsletter, i18n.language) : t('newsletters.new')}
              </Title>
              {archived && (
                <Badge color="dark" variant="light">
                  {t('newsletters.archivedBadge')}
                </Badge>
              )}
            </Group>
          </Stack>
          <Group gap="xs">
            {newsletter && (
              <Button
                component={Link}
                to={`/newsletters/${newsletter.id}/subscriptions`}
                variant="default"
                data-testid="newsletter-subscriptions-link"
              >
                {t('newsletters.subscriptions')}
              </Button>
            )}
            {newsletter && mayUpdate && (
              <Button
                variant="subtle"
                color={archived ? undefined : 'red'}
                loading={update.isPending && update.variables?.changes.archived !== undefined}
                onClick={() => update.mutate({ id: newsletter.id, changes: { archived: !archived } })}
                data-testid="newsletter-archive"
              >
                {archived ? t('newsletters.restore') : t('newsletters.archive')}
              </Button>
            )}
            {!readOnly && (
              <Button
                type="submit"
                loading={mutation.isPending}
                disabled={newsletter !== undefined && !dirty}
                data-testid="newsletter-save"
              >
                {newsletter ? t('common.save') : t('newsletters.create')}
              </Button>
            )}
          </Group>
        </Group>

        {justSaved && !dirty && (
          <Alert color="green" variant="light" data-testid="newsletter-saved">
            {t('newsletters.saved')}
          </Alert>
        )}
        {invalid && (
          <Alert color="red" variant="light" role="alert" data-testid="newsletter-invalid">
            {t('newsletters.errors.fix')}
          </Alert>
        )}
        {mutation.error !== null &&
          (mutation.error instanceof ApiError && mutation.error.errors.length > 0 ? (
            <Alert color="red" variant="light" role="alert" title={t('errors.title')}>
              <Text size="sm">{t('newsletters.errors.fix')}</Text>
              {Object.entries(serverErrors).map(([path, message]) => (
                <Text key={path} size="sm">
                  <Code>{path}</Code>: {message}
                </Text>
              ))}
            </Alert>
          ) : (
            <ErrorAlert
              error={mutation.error}
              messages={{
                CONSENT_NEWSLETTER_NAME_TAKEN: t('newsletters.errors.nameTaken'),
                CONSENT_NEWSLETTER_LIST_ID_TAKEN: t('newsletters.errors.listIdTaken'),
              }}
            />
          ))}

        <Section title={t('newsletters.general')}>
          <TextInput
            label={t('newsletters.name')}
            description={t('newsletters.nameHint')}
            value={draft.name}
            onChange={(event) => {
              const name = event.currentTarget.value;
              set(listIdTouched ? { name } : { name, listId: listIdOf(name) });
            }}
            error={errorOf('name')}
            required
            disabled={readOnly}
            data-testid="newsletter-name"
          />
          <TextInput
            label={t('newsletters.listId')}
            description={
              newsletter?.listIdHeader
                ? t('newsletters.listIdHeader', { header: newsletter.listIdHeader })
                : t('newsletters.listIdHint')
            }
            value={draft.listId}
            onChange={(event) => {
              setListIdTouched(true);
              set({ listId: event.currentTarget.value });
            }}
            error={errorOf('listId')}
            disabled={readOnly}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            data-testid="newsletter-list-id"
          />
          <Checkbox.Group
            label={t('newsletters.languages')}
            value={draft.languages}
            onChange={(chosen) => setLanguages(chosen as NewsletterLanguage[])}
            error={errorOf('languages')}
          >
            <Group mt="xs">
              {NEWSLETTER_LANGUAGES.map((lang) => (
                <Checkbox
                  key={lang}
                  value={lang}
                  label={t(`forms.languages.${lang}`)}
                  disabled={readOnly}
                  data-testid={`newsletter-language-${lang}`}
                />
              ))}
            </Group>
          </Checkbox.Group>
          <Switch
            label={t('newsletters.doubleOptIn')}
            description={t('newsletters.doubleOptInHint')}
            checked={draft.doubleOptIn}
            onChange={(event) => set({ doubleOptIn: event.currentTarget.checked })}
            disabled={readOnly}
            data-testid="newsletter-doi"
          />
          {!draft.doubleOptIn && (
            <Alert color="orange" variant="light" data-testid="newsletter-doi-off-warning">
              {t('newsletters.doubleOptInOff')}
            </Alert>
          )}
          <Group grow align="flex-start">
            <TextInput
              label={t('newsletters.senderName')}
              value={draft.senderName}
              onChange={(event) => set({ senderName: event.currentTarget.value })}
              error={errorOf('senderName')}
              disabled={readOnly}
            />
            <TextInput
              label={t('newsletters.senderAddress')}
              type="email"
              value={draft.senderAddress}
              onChange={(event) => set({ senderAddress: event.currentTarget.value })}
              error={errorOf('senderAddress')}
              disabled={readOnly}
            />
          </Group>
          <Text size="xs" c="dimmed">
            {t('newsletters.senderHint')}
          </Text>
        </Section>

        <Card withBorder padding="md" data-testid="newsletter-texts">
          <Stack gap="sm">
            <Group justify="space-between">
              <Title order={2} size="h4">
                {t('newsletters.texts')}
              </Title>
              {draft.languages.length > 0 && (
                <SegmentedControl
                  aria-label={t('newsletters.editLanguage')}
                  data={draft.languages.map((lang) => ({
                    value: lang,
                    label: `${lang.toUpperCase()}${languagesWithErrors.has(lang) ? ' !' : ''}`,
                  }))}
                  value={language}
                  onChange={(value) => setLanguage(value as NewsletterLanguage)}
                  data-testid="newsletter-language"
                />
              )}
            </Group>
            <TextInput
              label={t('newsletters.textTitle', { language: language.toUpperCase() })}
              value={texts.title}
              onChange={(event) => setText('title', event.currentTarget.value)}
              error={errorOf(`texts.${language}.title`, `texts.${language}`)}
              required
              disabled={readOnly}
              data-testid="newsletter-title"
            />
            <Textarea
              label={t('newsletters.description', { language: language.toUpperCase() })}
              description={t('newsletters.descriptionHint')}
              value={texts.description}
              onChange={(event) => setText('description', event.currentTarget.value)}
              error={errorOf(`texts.${language}.description`)}
              autosize
              minRows={2}
              disabled={readOnly}
              data-testid="newsletter-description"
            />
            <Textarea
              label={t('newsletters.optOutText', { language: language.toUpperCase() })}
              description={t('newsletters.optOutTextHint')}
              value={texts.optOutText}
              onChange={(event) => setText('optOutText', event.currentTarget.value)}
              error={errorOf(`texts.${language}.optOutText`)}
              autosize
              minRows={2}
              disabled={readOnly}
              data-testid="newsletter-opt-out-text"
            />
          </Stack>
        </Card>

        <Section title={t('newsletters.welcome')}>
          <Switch
            label={t('newsletters.welcomeEnabled')}
            description={t('newsletters.welcomeHint')}
            checked={draft.welcomeEnabled}
            onChange={(event) => set({ welcomeEnabled: event.currentTarget.checked })}
            disabled={readOnly}
            data-testid="newsletter-welcome-enabled"
          />
          {draft.welcomeEnabled && (
            <>
              <TextInput
                label={t('newsletters.welcomeSubject', { language: language.toUpperCase() })}
                value={texts.subject}
                onChange={(event) => setText('subject', event.currentTarget.value)}
                error={errorOf(`welcome.subject.${language}`, 'welcome.subject')}
                disabled={readOnly}
                data-testid="newsletter-welcome-subject"
              />
              <Textarea
                label={t('newsletters.welcomeBody', { language: language.toUpperCase() })}
                value={texts.body}
                onChange={(event) => setText('body', event.currentTarget.value)}
                error={errorOf(`welcome.body.${language}`, 'welcome.body')}
                autosize
                minRows={6}
                disabled={readOnly}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                data-testid="newsletter-welcome-body"
              />
              <Text size="xs" c="dimmed">
                {t('newsletters.liquidHint')}{' '}
                {liquidVariables.map((variable) => (
                  <Code key={variable} mr={4}>
                    {variable}
                  </Code>
                ))}
              </Text>
            </>
          )}
        </Section>
      </Stack>
    </form>
  );
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
