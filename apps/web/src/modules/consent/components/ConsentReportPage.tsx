import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { dayAfter, startOfDay } from '../../settings/index.ts';
import type { Question } from '../api/questions.ts';
import { AGE_BUCKETS, type AnswersReport, BUCKETS, type Bucket } from '../api/reports.ts';
import { useAllQuestions } from '../hooks/useQuestions.ts';
import { useAnswersReport, useOpenChangesReport } from '../hooks/useReports.ts';
import { stacksOf } from '../model/chart.ts';
import { between, formatDuration, urgencyColor, urgencyOf } from '../model/duration.ts';
import { pickText } from '../model/vocabulary.ts';
import { type ChartSeries, StackedBarChart } from './StackedBarChart.tsx';

const ageKeys = { '<1d': 'lt1d', '1-3d': 'd1to3', '3-7d': 'd3to7', '>7d': 'gt7d' } as const;
const ageColors = { '<1d': 'gray', '1-3d': 'yellow', '3-7d': 'orange', '>7d': 'red' } as const;
const shades: Record<string, string[]> = {
  grant: ['green.6', 'teal.5', 'green.8', 'lime.6'],
  prohibition: ['red.7', 'pink.6', 'red.9'],
  neutral: ['gray.5', 'orange.5', 'gray.7', 'yellow.6'],
};
const cssColor = (name: string) => {
  const [hue, shade] = name.split('.');
  return `var(--mantine-color-${hue}-${shade})`;
};

/** A date input's value (`2026-09-02`) some days before today. */
function daysAgo(days: number): string {
  const date = new Date();
  date.setDate(date.getDate() - days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `/privacy/consent-report`: answers per question over time, and how long changes wait for staff. */
export function ConsentReportPage() {
  const { t } = useTranslation();
  usePageTitle(t('navSections.consentReport'));
  const [range, setRange] = useState({ from: daysAgo(89), to: daysAgo(0), bucket: 'week' as Bucket });
  const params = useMemo(
    () => ({ from: startOfDay(range.from), to: dayAfter(range.to), bucket: range.bucket }),
    [range],
  );
  const answers = useAnswersReport(params);

  return (
    <Stack gap="lg" data-testid="consent-report-page">
      <Stack gap={4}>
        <Title order={1}>{t('navSections.consentReport')}</Title>
        <Text c="dimmed" maw={760}>
          {t('consent.report.intro')}
        </Text>
      </Stack>
      <OpenChangesCard />
      <RangeForm value={range} onApply={setRange} />
      {answers.isPending ? (
        <Loader />
      ) : answers.isError ? (
        <ErrorAlert error={answers.error} />
      ) : answers.data.items.length === 0 ? (
        <Text c="dimmed" data-testid="consent-report-empty">
          {t('consent.report.empty')}
        </Text>
      ) : (
        <AnswerCharts report={answers.data} />
      )}
    </Stack>
  );
}

function RangeForm({
  value,
  onApply,
}: {
  value: { from: string; to: string; bucket: Bucket };
  onApply: (value: { from: string; to: string; bucket: Bucket }) => void;
}) {
  const { t } = useTranslation();
  const [from, setFrom] = useState(value.from);
  const [to, setTo] = useState(value.to);
  const [bucket, setBucket] = useState<Bucket>(value.bucket);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({ from, to, bucket });
  };
  return (
    <form onSubmit={submit} data-testid="consent-report-range">
      <Group align="flex-end" gap="sm">
        <TextInput
          label={t('settings.audit.from')}
          type="date"
          value={from}
          onChange={(event) => setFrom(event.currentTarget.value)}
        />
        <TextInput
          label={t('settings.audit.to')}
          type="date"
          value={to}
          onChange={(event) => setTo(event.currentTarget.value)}
        />
        <Select
          label={t('consent.report.bucket')}
          data={BUCKETS.map((b) => ({ value: b, label: t(`consent.report.buckets.${b}`) }))}
          value={bucket}
          onChange={(next) => next && setBucket(next as Bucket)}
          allowDeselect={false}
          w={140}
        />
        <Button type="submit">{t('settings.audit.apply')}</Button>
      </Group>
    </form>
  );
}

function OpenChangesCard() {
  const { t, i18n } = useTranslation();
  const report = useOpenChangesReport();
  if (report.isPending) return <Loader size="sm" />;
  if (report.isError) return <ErrorAlert error={report.error} />;
  const { open, oldestOpenAt, ages, processedLast30Days, medianProcessingHours } = report.data;
  const oldestAge = oldestOpenAt ? between(oldestOpenAt, new Date()) : 0;
  const countOf = (age: string) => ages.find((row) => row.age === age)?.count ?? 0;

  return (
    <Card withBorder padding="md" data-testid="consent-report-open">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            {t('consent.report.openChanges')}
          </Title>
          <Anchor component={Link} to="/privacy/consent-changes" size="sm">
            {t('consent.report.toQueue')}
          </Anchor>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Stack gap={2}>
            <Text size="xs" c="dimmed">
              {t('consent.report.openNow')}
            </Text>
            <Text size="xl" fw={700} data-testid="consent-report-open-count">
              {open}
            </Text>
            {oldestOpenAt && (
              <Badge color={urgencyColor[urgencyOf(oldestAge)]} variant="light">
                {t('consent.report.oldest', { age: formatDuration(oldestAge, i18n.language) })}
              </Badge>
            )}
          </Stack>
          <Stack gap={2}>
            <Text size="xs" c="dimmed">
              {t('consent.report.processed30')}
            </Text>
            <Text size="xl" fw={700}>
              {processedLast30Days}
            </Text>
          </Stack>
          <Stack gap={2}>
            <Text size="xs" c="dimmed">
              {t('consent.report.medianProcessing')}
            </Text>
            <Text size="xl" fw={700}>
              {medianProcessingHours === null
                ? '—'
                : formatDuration(medianProcessingHours * 3_600_000, i18n.language)}
            </Text>
          </Stack>
        </SimpleGrid>
        <Stack gap={4} data-testid="consent-report-ages">
          <Text size="xs" c="dimmed">
            {t('consent.report.byAge')}
          </Text>
          {AGE_BUCKETS.map((age) => (
            <Group key={age} gap="sm" wrap="nowrap">
              <Text size="sm" w={140}>
                {t(`consent.report.ages.${ageKeys[age]}`)}
              </Text>
              <Progress
                value={open === 0 ? 0 : (countOf(age) / open) * 100}
                color={ageColors[age]}
                style={{ flex: 1 }}
                aria-label={t(`consent.report.ages.${ageKeys[age]}`)}
              />
              <Text size="sm" w={40} ta="right">
                {countOf(age)}
              </Text>
            </Group>
          ))}
          <Text size="xs" c="dimmed">
            {t('consent.report.handlingHint')}
          </Text>
        </Stack>
      </Stack>
    </Card>
  );
}

function AnswerCharts({ report }: { report: AnswersReport }) {
  const { t, i18n } = useTranslation();
  const questions = useAllQuestions();
  const rows = report.items.map((item) => ({
    bucket: item.bucketStart,
    questionId: item.questionId,
    optionKey: item.optionKey,
    count: item.count,
  }));
  const questionIds = [...new Set(report.items.map((item) => item.questionId))];
  const keyOf = new Map(report.items.map((item) => [item.questionId, item.questionKey]));
  const stateOf = new Map(report.items.map((item) => [`${item.questionId}:${item.optionKey}`, item.state]));
  const dateFormat = new Intl.DateTimeFormat(
    i18n.language,
    report.bucket === 'month'
      ? { month: 'short', year: '2-digit', timeZone: 'UTC' }
      : { day: 'numeric', month: 'short', timeZone: 'UTC' },
  );
  const formatBucket = (bucket: string) => {
    const date = new Date(bucket);
    return Number.isNaN(date.getTime()) ? bucket : dateFormat.format(date);
  };

  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
      {questionIds.map((questionId) => {
        const question = questions.data?.find((candidate) => candidate.id === questionId);
        const stacks = stacksOf(
          rows,
          questionId,
          question?.options.map((option) => option.key),
        );
        const title = question
          ? questionLabel(question, i18n.language)
          : (keyOf.get(questionId) ?? questionId);
        const used: Record<string, number> = {};
        const series: ChartSeries[] = stacks.series.map((s) => {
          const option = question?.options.find((candidate) => candidate.key === s.key);
          const polarity =
            option?.polarity ??
            (stateOf.get(`${questionId}:${s.key}`) === 'dpv:ConsentGiven'
              ? 'grant'
              : stateOf.get(`${questionId}:${s.key}`) === 'dpv:Prohibition'
                ? 'prohibition'
                : 'neutral');
          const palette = shades[polarity] ?? shades.neutral ?? [];
          const index = used[polarity] ?? 0;
          used[polarity] = index + 1;
          return {
            key: s.key,
            label: option ? pickText(option.label, i18n.language) || s.key : s.key,
            color: cssColor(palette[index % palette.length] ?? 'gray.5'),
            values: s.values,
          };
        });
        return (
          <Card
            key={questionId}
            withBorder
            padding="md"
            data-testid="consent-report-question"
            data-question-id={questionId}
          >
            <Stack gap="xs">
              <Title order={2} size="h5">
                {title}
              </Title>
              <StackedBarChart
                title={t('consent.report.chartTitle', { question: title })}
                buckets={stacks.buckets}
                series={series}
                formatBucket={formatBucket}
                testId="consent-report-chart"
              />
            </Stack>
          </Card>
        );
      })}
    </SimpleGrid>
  );
}

function questionLabel(question: Question, language: string): string {
  return (
    pickText(
      { de: question.texts.de?.label, en: question.texts.en?.label, fr: question.texts.fr?.label },
      language,
    ) || question.key
  );
}
