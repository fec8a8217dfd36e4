import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { type LogFilter, listLog } from '../api/log.ts';
import { type Bucket, getAnswersReport, getOpenChangesReport } from '../api/reports.ts';

const reportsKey = ['consent', 'reports'] as const;
const pageSize = 50;

export function useConsentLog(filter: LogFilter, lang: string) {
  return useInfiniteQuery({
    queryKey: ['consent', 'log', filter, lang],
    queryFn: ({ pageParam, signal }) =>
      listLog({ ...filter, lang, limit: pageSize, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useAnswersReport(params: {
  from?: string | undefined;
  to?: string | undefined;
  bucket: Bucket;
}) {
  return useQuery({
    queryKey: [...reportsKey, 'answers', params],
    queryFn: ({ signal }) => getAnswersReport(params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useOpenChangesReport() {
  return useQuery({
    queryKey: [...reportsKey, 'open-changes'],
    queryFn: ({ signal }) => getOpenChangesReport(signal),
  });
}
