/**
 * The consent report's chart data: answer counts per time bucket turned into stacked bars (one
 * stack per bucket, one segment per answer), and a y axis with round steps.
 */

export type CountRow = { bucket: string; questionId: string; optionKey: string; count: number };

export type Stacks = {
  /** Bucket starts, oldest first. */
  buckets: string[];
  /** One series per answer, in the order given (else first seen); values per bucket. */
  series: { key: string; values: number[] }[];
  /** The tallest stack. */
  max: number;
};

/** The rows of one question as stacks per bucket; `order` lists answer keys to put first. */
export function stacksOf(
  rows: readonly CountRow[],
  questionId: string,
  order: readonly string[] = [],
): Stacks {
  const own = rows.filter((row) => row.questionId === questionId);
  const buckets = [...new Set(own.map((row) => row.bucket))].sort();
  const seen = [...new Set(own.map((row) => row.optionKey))];
  const keys = [...order.filter((key) => seen.includes(key)), ...seen.filter((key) => !order.includes(key))];
  const index = new Map(buckets.map((bucket, at) => [bucket, at]));
  const series = keys.map((key) => ({ key, values: buckets.map(() => 0) }));
  for (const row of own) {
    const target = series.find((candidate) => candidate.key === row.optionKey);
    const at = index.get(row.bucket);
    if (target && at !== undefined) target.values[at] = (target.values[at] ?? 0) + row.count;
  }
  const totals = buckets.map((_, at) => series.reduce((sum, s) => sum + (s.values[at] ?? 0), 0));
  return { buckets, series, max: Math.max(0, ...totals) };
}

/** A y axis from 0 with 1, 2 or 5 × 10ⁿ steps and at most `count` of them above 0. */
export function niceScale(max: number, count = 4): { top: number; ticks: number[] } {
  if (max <= 0) return { top: 1, ticks: [0, 1] };
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough) ?? 10 * power;
  const whole = Math.max(1, Math.round(step));
  const top = Math.ceil(max / whole) * whole;
  const ticks: number[] = [];
  for (let value = 0; value <= top; value += whole) ticks.push(value);
  return { top, ticks };
}

/** Totals per answer over the whole range, largest first. */
export function totalsOf(stacks: Stacks): { key: string; total: number }[] {
  return stacks.series
    .map((s) => ({ key: s.key, total: s.values.reduce((sum, value) => sum + value, 0) }))
    .sort((a, b) => b.total - a.total);
}
