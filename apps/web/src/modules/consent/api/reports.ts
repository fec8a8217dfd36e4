import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { parseWith, queryString } from '../../../api/schemas.ts';

export const BUCKETS = ['day', 'week', 'month'] as const;
export type Bucket = (typeof BUCKETS)[number];

const answersReportSchema = z.object({
  bucket: z.enum(BUCKETS),
  from: z.string(),
  to: z.string(),
  items: z.array(
    z.object({
      /** UTC start of the day, ISO week (Monday) or month. */
      bucketStart: z.string(),
      questionId: z.string(),
      questionKey: z.string(),
      optionKey: z.string(),
      state: z.string(),
      count: z.number(),
    }),
  ),
});
export type AnswersReport = z.infer<typeof answersReportSchema>;

export const AGE_BUCKETS = ['<1d', '1-3d', '3-7d', '>7d'] as const;

const openChangesReportSchema = z.object({
  open: z.number(),
  oldestOpenAt: z.string().nullable(),
  ages: z.array(z.object({ age: z.string(), count: z.number() })),
  processedLast30Days: z.number(),
  medianProcessingHours: z.number().nullable(),
});
export type OpenChangesReport = z.infer<typeof openChangesReportSchema>;

export function getAnswersReport(
  params: { from?: string | undefined; to?: string | undefined; bucket: Bucket },
  signal?: AbortSignal,
): Promise<AnswersReport> {
  return apiFetch(`/api/v1/consent-reports/answers${queryString(params)}`, parseWith(answersReportSchema), {
    signal,
  });
}

export function getOpenChangesReport(signal?: AbortSignal): Promise<OpenChangesReport> {
  return apiFetch('/api/v1/consent-reports/open-changes', parseWith(openChangesReportSchema), { signal });
}
