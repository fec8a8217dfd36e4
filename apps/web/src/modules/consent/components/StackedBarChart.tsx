import { Box, Group, Stack, Table, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { niceScale } from '../model/chart.ts';

export type ChartSeries = { key: string; label: string; color: string; values: number[] };

const HEIGHT = 220;
const AXIS = 36;
const BOTTOM = 28;
const TOP = 8;
const SLOT = 36;

/**
 * A small stacked bar chart in plain SVG (one bar per time bucket, one segment per series),
 * with a legend and the same numbers as a table for screen readers and on request.
 */
export function StackedBarChart({
  title,
  buckets,
  series,
  formatBucket,
  testId,
}: {
  title: string;
  buckets: string[];
  series: ChartSeries[];
  formatBucket: (bucket: string) => string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const titleId = useId();
  const [showTable, setShowTable] = useState(false);
  const totals = buckets.map((_, at) => series.reduce((sum, s) => sum + (s.values[at] ?? 0), 0));
  const { top, ticks } = niceScale(Math.max(0, ...totals));
  const width = AXIS + Math.max(buckets.length, 6) * SLOT + 8;
  const plot = HEIGHT - TOP - BOTTOM;
  const y = (value: number) => TOP + plot - (value / top) * plot;
  // Thin out the x labels so that they do not overlap (one label per ~72 px).
  const every = Math.max(1, Math.ceil(72 / SLOT));

  return (
    <Stack gap="xs" data-testid={testId}>
      <Box style={{ overflowX: 'auto' }}>
        <svg
          role="img"
          aria-labelledby={titleId}
          viewBox={`0 0 ${width} ${HEIGHT}`}
          width={width}
          height={HEIGHT}
          style={{ maxWidth: '100%', height: 'auto', display: 'block' }}
        >
          <title id={titleId}>{title}</title>
          {ticks.map((tick) => (
            <g key={tick}>
              <line
                x1={AXIS}
                x2={width - 4}
                y1={y(tick)}
                y2={y(tick)}
                stroke="var(--mantine-color-default-border)"
                strokeDasharray={tick === 0 ? undefined : '2 3'}
              />
              <text
                x={AXIS - 6}
                y={y(tick)}
                textAnchor="end"
                dominantBaseline="middle"
                fontSize={10}
                fill="var(--mantine-color-dimmed)"
              >
                {tick}
              </text>
            </g>
          ))}
          {buckets.map((bucket, at) => {
            const x = AXIS + at * SLOT + 6;
            let base = 0;
            return (
              <g key={bucket} data-testid="chart-bar" data-total={totals[at]}>
                {series.map((s) => {
                  const value = s.values[at] ?? 0;
                  if (value === 0) return null;
                  const y1 = y(base + value);
                  const y0 = y(base);
                  base += value;
                  return (
                    <rect
                      key={s.key}
                      x={x}
                      y={y1}
                      width={SLOT - 12}
                      height={Math.max(1, y0 - y1)}
                      fill={s.color}
                    >
                      <title>{`${formatBucket(bucket)} · ${s.label}: ${value}`}</title>
                    </rect>
                  );
                })}
                {at % every === 0 && (
                  <text
                    x={x + (SLOT - 12) / 2}
                    y={HEIGHT - BOTTOM + 14}
                    textAnchor="middle"
                    fontSize={10}
                    fill="var(--mantine-color-dimmed)"
                  >
                    {formatBucket(bucket)}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      </Box>
      <Group gap="md" justify="space-between">
        <Group gap="md">
          {series.map((s) => (
            <Group key={s.key} gap={6} wrap="nowrap" data-testid="chart-legend">
              <Box w={12} h={12} style={{ background: s.color, borderRadius: 2 }} aria-hidden />
              <Text size="xs">
                {s.label} ({s.values.reduce((sum, value) => sum + value, 0)})
              </Text>
            </Group>
          ))}
        </Group>
        <UnstyledButton onClick={() => setShowTable((v) => !v)} aria-expanded={showTable}>
          <Text size="xs" c="blue">
            {showTable ? t('consent.report.hideTable') : t('consent.report.showTable')}
          </Text>
        </UnstyledButton>
      </Group>
      {showTable ? (
        <ChartTable buckets={buckets} series={series} formatBucket={formatBucket} />
      ) : (
        <VisuallyHidden>
          <ChartTable buckets={buckets} series={series} formatBucket={formatBucket} />
        </VisuallyHidden>
      )}
    </Stack>
  );
}

function ChartTable({
  buckets,
  series,
  formatBucket,
}: {
  buckets: string[];
  series: ChartSeries[];
  formatBucket: (bucket: string) => string;
}) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={360}>
      <Table withTableBorder fz="xs" verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('consent.report.period')}</Table.Th>
            {series.map((s) => (
              <Table.Th key={s.key} ta="right">
                {s.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {buckets.map((bucket, at) => (
            <Table.Tr key={bucket}>
              <Table.Td>{formatBucket(bucket)}</Table.Td>
              {series.map((s) => (
                <Table.Td key={s.key} ta="right">
                  {s.values[at] ?? 0}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
