import { EmptyState } from '@mantine/core';
import { ApiError } from '../../../api/client.ts';

/** Whether an error says the server has no such route: a part of Kontor this server lacks yet. */
export function isMissingRoute(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && error.code === 'ROUTE_NOT_FOUND';
}

/**
 * The honest state of a tab whose API this server does not offer yet (as `ModuleUnavailable`
 * is for a whole module): nothing is shown that is not there.
 */
export function FeatureUnavailable({
  title,
  description,
  testId,
}: {
  title: string;
  description: string;
  testId?: string;
}) {
  return (
    <EmptyState
      mt="md"
      title={title}
      description={description}
      data-testid={testId ?? 'feature-unavailable'}
    />
  );
}
