import { ActionIcon, Alert, Checkbox, Group, Select, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PolarityBadge, pickText, type Question, useQuestionChoices } from '../../consent/index.ts';
import { type Newsletter, newsletterTitle, useNewsletterChoices } from '../../newsletters/index.ts';

export type ConsentChoice = {
  consentQuestionIds: string[];
  requiredConsentQuestionIds: string[];
  newsletterIds: string[];
};

export const questionLabelIn = (question: Question, language: string) =>
  pickText(
    { de: question.texts.de?.label, en: question.texts.en?.label, fr: question.texts.fr?.label },
    language,
  ) || question.key;

/** The consent questions (current versions) and newsletters the builder can offer and the preview shows. */
export function useConsentChoices() {
  // Every signed-in user may read the questions' wording (the server answers it to any role).
  const mayReadQuestions = true;
  const questions = useQuestionChoices(mayReadQuestions);
  const newsletters = useNewsletterChoices(true);
  return {
    mayReadQuestions,
    questions: questions.data ?? [],
    newsletters: (newsletters.data ?? []).filter(
      (newsletter) => !newsletter.archivedAt && !newsletter.archived,
    ),
    allNewsletters: newsletters.data ?? [],
    loading: questions.isPending && mayReadQuestions,
  };
}

/**
 * The builder's consent part: which questions the form asks (in order, each optionally required)
 * and which newsletters it offers. Nothing is ever pre-selected for the visitor.
 */
export function ConsentEditor({
  value,
  onChange,
  questions,
  newsletters,
  mayReadQuestions,
  errorOf,
  readOnly,
}: {
  value: ConsentChoice;
  onChange: (change: Partial<ConsentChoice>) => void;
  questions: Question[];
  newsletters: Newsletter[];
  mayReadQuestions: boolean;
  errorOf: (path: string) => string | undefined;
  readOnly: boolean;
}) {
  const { t, i18n } = useTranslation();
  const chosen = value.consentQuestionIds;
  const remaining = questions.filter((question) => !chosen.includes(question.id));
  const move = (index: number, by: -1 | 1) => {
    const ids = [...chosen];
    const [moved] = ids.splice(index, 1);
    if (moved === undefined) return;
    ids.splice(index + by, 0, moved);
    onChange({ consentQuestionIds: ids });
  };
  const remove = (id: string) =>
    onChange({
      consentQuestionIds: chosen.filter((other) => other !== id),
      requiredConsentQuestionIds: value.requiredConsentQuestionIds.filter((other) => other !== id),
    });
  const setRequired = (id: string, required: boolean) =>
    onChange({
      requiredConsentQuestionIds: required
        ? [...value.requiredConsentQuestionIds.filter((other) => other !== id), id]
        : value.requiredConsentQuestionIds.filter((other) => other !== id),
    });

  return (
    <Stack gap="md" data-testid="form-consent">
      <Text size="xs" c="dimmed">
        {t('forms.consent.hint')}
      </Text>
      <Stack gap="xs">
        <Text size="sm" fw={500}>
          {t('forms.consent.questions')}
        </Text>
        {!mayReadQuestions && (
          <Alert color="gray" variant="light">
            <Text size="xs">{t('forms.consent.noRight', { count: chosen.length })}</Text>
          </Alert>
        )}
        {mayReadQuestions && chosen.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('forms.consent.noQuestions')}
          </Text>
        )}
        {mayReadQuestions &&
          chosen.map((id, index) => {
            const question = questions.find((candidate) => candidate.id === id);
            return (
              <Group
                key={id}
                gap="xs"
                justify="space-between"
                wrap="nowrap"
                data-testid="form-consent-question"
                data-question-id={id}
              >
                <Stack gap={2} style={{ flex: 1 }}>
                  <Text size="sm">
                    {question ? questionLabelIn(question, i18n.language) : t('forms.consent.unknownQuestion')}
                  </Text>
                  {question && (
                    <Group gap={4}>
                      {question.options.map((option) => (
                        <PolarityBadge key={option.key} polarity={option.polarity}>
                          {pickText(option.label, i18n.language) || option.key}
                        </PolarityBadge>
                      ))}
                    </Group>
                  )}
                  {errorOf(`definition.consentQuestionIds.${index}`) && (
                    <Text size="xs" c="red">
                      {errorOf(`definition.consentQuestionIds.${index}`)}
                    </Text>
                  )}
                </Stack>
                <Checkbox
                  label={t('forms.consent.required')}
                  checked={value.requiredConsentQuestionIds.includes(id)}
                  onChange={(event) => setRequired(id, event.currentTarget.checked)}
                  disabled={readOnly}
                  data-testid="form-consent-required"
                />
                {!readOnly && (
                  <Group gap={2} wrap="nowrap">
                    <ActionIcon
                      variant="subtle"
                      aria-label={t('forms.builder.moveUp')}
                      disabled={index === 0}
                      onClick={() => move(index, -1)}
                    >
                      ↑
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      aria-label={t('forms.builder.moveDown')}
                      disabled={index === chosen.length - 1}
                      onClick={() => move(index, 1)}
                    >
                      ↓
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('forms.consent.removeQuestion')}
                      onClick={() => remove(id)}
                    >
                      ×
                    </ActionIcon>
                  </Group>
                )}
              </Group>
            );
          })}
        {mayReadQuestions && !readOnly && (
          <Select
            placeholder={
              questions.length === 0 ? t('forms.consent.noneDefined') : t('forms.consent.addQuestion')
            }
            aria-label={t('forms.consent.addQuestion')}
            data={remaining.map((question) => ({
              value: question.id,
              label: questionLabelIn(question, i18n.language),
            }))}
            value={null}
            onChange={(id) => id && onChange({ consentQuestionIds: [...chosen, id] })}
            disabled={remaining.length === 0}
            searchable
            data-testid="form-consent-add"
          />
        )}
        {errorOf('definition.consentQuestionIds') && (
          <Text size="xs" c="red">
            {errorOf('definition.consentQuestionIds')}
          </Text>
        )}
      </Stack>
      <Checkbox.Group
        label={t('forms.consent.newsletters')}
        description={t('forms.consent.newslettersHint')}
        value={value.newsletterIds}
        onChange={(newsletterIds) => onChange({ newsletterIds })}
        error={errorOf('definition.newsletterIds')}
        data-testid="form-newsletters"
      >
        <Stack gap={6} mt="xs">
          {newsletters.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('forms.consent.noNewsletters')}
            </Text>
          ) : (
            newsletters.map((newsletter) => (
              <Checkbox
                key={newsletter.id}
                value={newsletter.id}
                label={newsletterTitle(newsletter, i18n.language)}
                description={newsletter.doubleOptIn ? t('forms.consent.doi') : t('forms.consent.noDoi')}
                disabled={readOnly}
                data-testid={`form-newsletter-${newsletter.id}`}
              />
            ))
          )}
        </Stack>
      </Checkbox.Group>
    </Stack>
  );
}
