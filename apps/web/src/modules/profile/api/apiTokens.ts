import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { ignoreBody, parseWith } from '../../../api/schemas.ts';

const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;

const issuedApiTokenSchema = apiTokenSchema.extend({ token: z.string() });
export type IssuedApiToken = z.infer<typeof issuedApiTokenSchema>;

export async function listApiTokens(signal?: AbortSignal): Promise<ApiToken[]> {
  const page = await apiFetch('/api/v1/api-tokens', parseWith(z.object({ items: z.array(apiTokenSchema) })), {
    signal,
  });
  return page.items;
}

/** The secret is in this answer only; the server keeps a hash. */
export function createApiToken(input: {
  name: string;
  expiresAt?: string | undefined;
}): Promise<IssuedApiToken> {
  return apiFetch('/api/v1/api-tokens', parseWith(issuedApiTokenSchema), { method: 'POST', json: input });
}

export function revokeApiToken(id: string): Promise<void> {
  return apiFetch(`/api/v1/api-tokens/${encodeURIComponent(id)}`, ignoreBody, { method: 'DELETE' });
}
