import { Anchor, Button, Group, Loader, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes } from 'react-router-dom';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { NotFoundPage } from '../../../app/NotFoundPage.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { RequireRight, useHasRight } from '../../auth/index.ts';
import { useQuestionList } from '../hooks/useQuestions.ts';
import { pickText } from '../model/vocabulary.ts';
import { useConsentLabels } from './labels.ts';
import { PolarityBadge } from './PolarityBadge.tsx';
import { QuestionEditorPage } from './QuestionEditorPage.tsx';

/** `/settings/consent-questions/*`: the business's consent questions, a new one, and one to edit. */
export function QuestionsSettingsPage() {
  return (
    <Routes>
      <Route index element={<QuestionListPage />} />
      <Route
        path="new"
        element={
          <RequireRight right="privacy:create">
            <QuestionEditorPage />
          </RequireRight>
        }
      />
      <Route path=":questionId" element={<QuestionEditorPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}

function QuestionListPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('navSections.consentQuestions'));
  const [view, setView] = useState<'active' | 'archived'>('active');
  const list = useQuestionList(view === 'archived');
  const labels = useConsentLabels();
  const formatDateTime = useFormatDateTime();
  const mayCreate = useHasRight('privacy:create');
  const questions = (list.data?.pages.flatMap((page) => page.items) ?? []).filter((question) =>
    view === 'archived' ? question.archivedAt !== null : question.archivedAt === null,
  );

  return (
    <Stack gap="lg" data-testid="consent-questions-page">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1}>{t('navSections.consentQuestions')}</Title>
          <Text c="dimmed" maw={760}>
            {t('consent.questions.intro')}
          </Text>
        </Stack>
        {mayCreate && (
          <Button component={Link} to="/settings/consent-questions/new" data-testid="consent-question-new">
            {t('consent.questions.new')}
          </Button>
        )}
      </Group>
      <SegmentedControl
        value={view}
        onChange={(value) => setView(value === 'archived' ? 'archived' : 'active')}
        data={[
          { value: 'active', label: t('consent.questions.active') },
          { value: 'archived', label: t('consent.questions.archived') },
        ]}
        w="fit-content"
      />
      {list.isPending ? (
        <Loader />
      ) : list.isError ? (
        <ErrorAlert error={list.error} />
      ) : questions.length === 0 ? (
        <Text c="dimmed" data-testid="consent-questions-empty">
          {view === 'archived' ? t('consent.questions.noneArchived') : t('consent.questions.none')}
        </Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={820}>
            <Table verticalSpacing="sm" data-testid="consent-questions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('consent.questions.question')}</Table.Th>
                  <Table.Th>{t('consent.questions.purpose')}</Table.Th>
                  <Table.Th>{t('consent.questions.channel')}</Table.Th>
                  <Table.Th>{t('consent.questions.options')}</Table.Th>
                  <Table.Th ta="right">{t('consent.questions.version')}</Table.Th>
                  <Table.Th>{t('consent.questions.updatedAt')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {questions.map((question) => (
                  <Table.Tr key={question.id} data-testid="consent-question-row" data-key={question.key}>
                    <Table.Td>
                      <Anchor component={Link} to={`/settings/consent-questions/${question.id}`} fw={500}>
                        {pickText(
                          {
                            de: question.texts.de?.label,
                            en: question.texts.en?.label,
                            fr: question.texts.fr?.label,
                          },
                          i18n.language,
                        ) || question.key}
                      </Anchor>
                      <Text size="xs" c="dimmed" ff="monospace">
                        {question.key}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{labels.purpose(question.purpose)}</Text>
                      <Text size="xs" c="dimmed">
                        {labels.legalBasis(question.legalBasis)}
                      </Text>
                    </Table.Td>
                    <Table.Td>{labels.channel(question.channel)}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {question.options.map((option) => (
                          <PolarityBadge key={option.key} polarity={option.polarity}>
                            {pickText(option.label, i18n.language) || option.key}
                          </PolarityBadge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm" title={t('consent.questions.versionN', { version: question.version })}>
                        {question.version}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(question.updatedAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {list.hasNextPage && (
            <Group justify="center">
              <Button
                variant="default"
                onClick={() => void list.fetchNextPage()}
                loading={list.isFetchingNextPage}
              >
                {t('common.loadMore')}
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}
