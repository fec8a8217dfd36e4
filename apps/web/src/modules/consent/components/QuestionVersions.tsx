import { Badge, Button, Card, Code, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import type { QuestionVersion } from '../api/questions.ts';
import { useQuestionVersions } from '../hooks/useQuestions.ts';
import { useUserNames } from '../hooks/useUserNames.ts';
import { CONSENT_LANGUAGES } from '../model/vocabulary.ts';
import { PolarityBadge } from './PolarityBadge.tsx';

/**
 * Every version of a question's wording, newest first: what exactly people were shown, with the
 * hash each consent records. Versions are never changed; earlier consents keep theirs.
 */
export function QuestionVersions({
  questionId,
  currentVersion,
}: {
  questionId: string;
  currentVersion: number;
}) {
  const { t } = useTranslation();
  const versions = useQuestionVersions(questionId);
  const formatDateTime = useFormatDateTime();
  const userName = useUserNames();
  const [open, setOpen] = useState<number | null>(null);
  const rows = [...(versions.data ?? [])].sort((a, b) => b.version - a.version);

  return (
    <Card withBorder padding="md" data-testid="consent-question-versions">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('consent.versions.title')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('consent.versions.intro')}
        </Text>
        {versions.isPending ? (
          <Loader size="sm" />
        ) : versions.isError ? (
          <ErrorAlert error={versions.error} />
        ) : (
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('consent.versions.version')}</Table.Th>
                <Table.Th>{t('consent.versions.createdAt')}</Table.Th>
                <Table.Th>{t('consent.versions.createdBy')}</Table.Th>
                <Table.Th>{t('consent.versions.hash')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((version) => {
                const expanded = open === version.version;
                return (
                  <Fragment key={version.version}>
                    <Table.Tr data-testid="consent-version" data-version={version.version}>
                      <Table.Td>
                        <Group gap={6}>
                          <Text size="sm" fw={500}>
                            {t('consent.questions.versionN', { version: version.version })}
                          </Text>
                          {version.version === currentVersion && (
                            <Badge size="xs" variant="light">
                              {t('consent.versions.current')}
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(version.createdAt)}
                      </Table.Td>
                      <Table.Td>
                        {version.createdBy
                          ? (userName(version.createdBy) ?? version.createdBy.slice(0, 8))
                          : '—'}
                      </Table.Td>
                      <Table.Td>
                        <Code title={version.textHash}>{version.textHash.slice(0, 12)}</Code>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Button
                          size="xs"
                          variant="subtle"
                          aria-expanded={expanded}
                          onClick={() => setOpen(expanded ? null : version.version)}
                          data-testid="consent-version-toggle"
                        >
                          {expanded ? t('consent.versions.hide') : t('consent.versions.show')}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                    {expanded && (
                      <Table.Tr>
                        <Table.Td colSpan={5} bg="var(--mantine-color-default-hover)">
                          <VersionWording version={version} />
                        </Table.Td>
                      </Table.Tr>
                    )}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}

function VersionWording({ version }: { version: QuestionVersion }) {
  return (
    <Stack gap="sm" data-testid="consent-version-wording">
      {CONSENT_LANGUAGES.filter((lang) => version.texts[lang]).map((lang) => (
        <Stack key={lang} gap={4} lang={lang}>
          <Group gap="xs">
            <Badge size="xs" variant="outline">
              {lang.toUpperCase()}
            </Badge>
            <Text size="sm" fw={500}>
              {version.texts[lang]?.label}
            </Text>
          </Group>
          {version.texts[lang]?.help && (
            <Text size="xs" c="dimmed">
              {version.texts[lang]?.help}
            </Text>
          )}
          <Group gap={4}>
            {version.options.map((option) => (
              <PolarityBadge key={option.key} polarity={option.polarity}>
                {option.label[lang] ?? option.key}
              </PolarityBadge>
            ))}
          </Group>
        </Stack>
      ))}
    </Stack>
  );
}
