import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { parseWith } from '../../../api/schemas.ts';

const consentSettingsSchema = z.object({
  /** A daily mail of open changes to the recipients. */
  digestEnabled: z.boolean(),
  /** Users who get the digest; empty: every user holding the Privacy Officer role. */
  digestRecipientUserIds: z.array(z.string()),
});
export type ConsentSettings = z.infer<typeof consentSettingsSchema>;

const path = '/api/v1/settings/consent';

export function getConsentSettings(signal?: AbortSignal): Promise<ConsentSettings> {
  return apiFetch(path, parseWith(consentSettingsSchema), { signal });
}

export function putConsentSettings(settings: ConsentSettings): Promise<ConsentSettings> {
  return apiFetch(path, parseWith(consentSettingsSchema), { method: 'PUT', json: settings });
}
