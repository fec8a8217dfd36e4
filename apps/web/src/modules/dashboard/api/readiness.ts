import { ApiError, apiFetch, isRecord } from '../../../api/client.ts';

export type DatabaseKind = 'pglite' | 'postgres';

/** The server's answer to `GET /readyz` (200 when ready, 503 when not). */
export type Readiness = {
  status: 'ready' | 'not_ready';
  database: DatabaseKind | undefined;
  migrations: number | undefined;
};

export function parseReadiness(body: unknown): Readiness {
  if (!isRecord(body) || (body.status !== 'ready' && body.status !== 'not_ready')) {
    throw new Error('Unexpected /readyz response');
  }
  return {
    status: body.status,
    database: body.database === 'pglite' || body.database === 'postgres' ? body.database : undefined,
    migrations: typeof body.migrations === 'number' ? body.migrations : undefined,
  };
}

export async function fetchReadiness(signal?: AbortSignal): Promise<Readiness> {
  try {
    return await apiFetch('/readyz', parseReadiness, { signal });
  } catch (error) {
    // 503 is an answer, not a failure: the server is up and says it is not ready yet.
    if (error instanceof ApiError && error.status === 503) return parseReadiness(error.body);
    throw error;
  }
}
