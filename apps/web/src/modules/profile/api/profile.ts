import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { ignoreBody, parseWith } from '../../../api/schemas.ts';

export function changePassword(input: { currentPassword: string; newPassword: string }): Promise<void> {
  return apiFetch('/api/v1/auth/password', ignoreBody, { method: 'POST', json: input });
}

const totpSetupSchema = z.object({ secret: z.string().min(1), otpauthUrl: z.string() });
export type TotpSetup = z.infer<typeof totpSetupSchema>;

/** A new secret for the authenticator app; 2FA is not on until `enableTotp` confirms a code. */
export function startTotpSetup(): Promise<TotpSetup> {
  return apiFetch('/api/v1/auth/totp/setup', parseWith(totpSetupSchema), { method: 'POST' });
}

const recoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) });

export async function enableTotp(code: string): Promise<string[]> {
  const result = await apiFetch('/api/v1/auth/totp/enable', parseWith(recoveryCodesSchema), {
    method: 'POST',
    json: { code },
  });
  return result.recoveryCodes;
}

export function disableTotp(password: string): Promise<void> {
  return apiFetch('/api/v1/auth/totp/disable', ignoreBody, { method: 'POST', json: { password } });
}
