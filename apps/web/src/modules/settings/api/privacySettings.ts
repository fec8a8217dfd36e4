import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { parseWith } from '../../../api/schemas.ts';

/** The bounds the server accepts for how long the access log is kept. */
export const retentionDays = { min: 30, max: 3650 } as const;

const privacySettingsSchema = z.object({ accessLogRetentionDays: z.number().int() });
export type PrivacySettings = z.infer<typeof privacySettingsSchema>;

export function getPrivacySettings(signal?: AbortSignal): Promise<PrivacySettings> {
  return apiFetch('/api/v1/settings/privacy', parseWith(privacySettingsSchema), { signal });
}

export function updatePrivacySettings(changes: Partial<PrivacySettings>): Promise<PrivacySettings> {
  return apiFetch('/api/v1/settings/privacy', parseWith(privacySettingsSchema), {
    method: 'PATCH',
    json: changes,
  });
}
