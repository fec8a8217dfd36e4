import { type QueryClient, useQuery } from '@tanstack/react-query';
import { fetchMe, type Me } from '../api/session.ts';

export const meQueryKey = ['auth', 'me'] as const;

/** Why the user lands on the login page again without having signed out. */
export type SessionNotice = 'expired';
const sessionNoticeKey = ['auth', 'notice'] as const;

/** Who is signed in: `null` when nobody is, `undefined` while the server has not said yet. */
export function useMe() {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: ({ signal }) => fetchMe(signal),
    staleTime: 60_000,
  });
}

/** Forgets the session and everything loaded under it; the login page then takes over. */
export function endSession(queryClient: QueryClient, notice?: SessionNotice): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' });
  if (notice) queryClient.setQueryData(sessionNoticeKey, notice);
  queryClient.setQueryData<Me | null>(meQueryKey, null);
}

/** Starts a session: nothing cached for a previous user survives into it. */
export function startSession(queryClient: QueryClient, me: Me): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' });
  queryClient.removeQueries({ queryKey: sessionNoticeKey });
  queryClient.setQueryData<Me | null>(meQueryKey, me);
}

/** Reads (once) why the previous session ended, for the login page to explain. */
export function takeSessionNotice(queryClient: QueryClient): SessionNotice | undefined {
  const notice = queryClient.getQueryData<SessionNotice>(sessionNoticeKey);
  queryClient.removeQueries({ queryKey: sessionNoticeKey });
  return notice;
}
