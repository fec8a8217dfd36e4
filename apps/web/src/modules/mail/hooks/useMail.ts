import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  getMailSettings,
  getMailStatus,
  listMessages,
  listOutbox,
  type MailSettingsInput,
  type MessageStatus,
  resumeMail,
  updateMailSettings,
} from '../api/mail.ts';

const mailKey = ['mail'] as const;
const pageSize = 50;

/** Polled while the page is open, so that states move on their own. */
export function useMailStatus() {
  return useQuery({
    queryKey: [...mailKey, 'status'],
    queryFn: ({ signal }) => getMailStatus(signal),
    refetchInterval: 5_000,
  });
}

export function useMessages(status: MessageStatus | undefined) {
  return useInfiniteQuery({
    queryKey: [...mailKey, 'messages', status ?? 'all'],
    queryFn: ({ pageParam, signal }) => listMessages({ status, limit: pageSize, cursor: pageParam }, signal),
    refetchInterval: 10_000,
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useOutbox() {
  return useInfiniteQuery({
    queryKey: [...mailKey, 'outbox'],
    queryFn: ({ pageParam, signal }) => listOutbox({ limit: pageSize, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useMailSettings() {
  return useQuery({ queryKey: [...mailKey, 'settings'], queryFn: ({ signal }) => getMailSettings(signal) });
}

export function useResumeMail() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: resumeMail,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: mailKey }),
  });
}

export function useUpdateMailSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: MailSettingsInput) => updateMailSettings(input),
    onSuccess: (saved) => queryClient.setQueryData([...mailKey, 'settings'], saved),
  });
}
