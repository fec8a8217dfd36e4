import { z } from 'zod';
import { ApiError, apiFetch, isRecord } from '../../../api/client.ts';
import { ignoreBody, parseWith } from '../../../api/schemas.ts';

/** The signed-in user as `GET /api/v1/auth/me` and `POST /api/v1/auth/login` describe them. */
const meSchema = z.object({
  userId: z.string(),
  tenantId: z.string(),
  email: z.string(),
  displayName: z.string().nullable(),
  roles: z.array(z.string()),
  rights: z.array(z.string()),
  totpEnabled: z.boolean().default(false),
});
export type Me = z.infer<typeof meSchema>;

const loginResultSchema = meSchema.extend({ csrfToken: z.string() });

export type Credentials = {
  email: string;
  password: string;
  /** A 6-digit code from the authenticator app, or one of the recovery codes. */
  totp?: string | undefined;
  /** Which business to sign in to when the email is a user in several. */
  tenantId?: string | undefined;
};

export type TenantChoice = { id: string; name: string };

const tenantChoicesSchema = z.array(z.object({ id: z.string(), name: z.string() }));

/** The signed-in user, or null when nobody is signed in (the server answers 401). */
export async function fetchMe(signal?: AbortSignal): Promise<Me | null> {
  try {
    return await apiFetch('/api/v1/auth/me', parseWith(meSchema), { signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export async function login(credentials: Credentials): Promise<Me> {
  const result = await apiFetch('/api/v1/auth/login', parseWith(loginResultSchema), {
    method: 'POST',
    json: credentials,
  });
  const { csrfToken: _cookieHasIt, ...me } = result;
  return me;
}

export function logout(): Promise<void> {
  return apiFetch('/api/v1/auth/logout', ignoreBody, { method: 'POST' });
}

/** The businesses to choose from when a 409 `AUTH_TENANT_AMBIGUOUS` answers a login. */
export function tenantChoicesOf(error: ApiError): TenantChoice[] {
  if (!isRecord(error.body)) return [];
  const parsed = tenantChoicesSchema.safeParse(error.body.tenants);
  return parsed.success ? parsed.data : [];
}

/**
 * Whether an error means the session is gone (expired, signed out elsewhere, CSRF token stale):
 * the user has to sign in again. Wrong credentials on a login or password check are not that.
 */
export function endsSession(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 403) return error.code === 'CSRF_TOKEN_INVALID';
  return error.status === 401 && (error.code === undefined || error.code === 'AUTH_REQUIRED');
}

/** Asks for a reset link; the server answers the same whether or not the account exists. */
export function requestPasswordReset(input: { email: string; language: 'de' | 'en' | 'fr' }): Promise<void> {
  return apiFetch('/api/v1/auth/password-reset', ignoreBody, { method: 'POST', json: input });
}

/** Sets a new password with the token of an emailed link (ends every session of the user). */
export function confirmPasswordReset(input: { token: string; newPassword: string }): Promise<void> {
  return apiFetch('/api/v1/auth/password-reset/confirm', ignoreBody, { method: 'POST', json: input });
}
