import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client.ts';
import { endSession, endsSession } from '../modules/auth/index.ts';

export function createQueryClient(): QueryClient {
  // Any request that finds the session gone (expired, signed out elsewhere) sends the user to the
  // login page, which brings them back to where they were.
  const onError = (error: unknown) => {
    if (endsSession(error)) endSession(queryClient, 'expired');
  };
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // A 4xx answer will not change on retry; network and 5xx failures may.
        retry: (failureCount, error) =>
          !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failureCount < 2,
      },
    },
  });
  return queryClient;
}
