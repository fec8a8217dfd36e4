import { ACCESS_LEVELS, type AccessLevel, DATA_CATEGORIES, type FieldAccess } from '@kontor/contracts';
import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { parseWith } from '../../../api/schemas.ts';

const meFieldAccessSchema = z.object({
  fieldAccess: z.record(z.string(), z.string()).default({}),
});

function isAccessLevel(value: unknown): value is AccessLevel {
  return (ACCESS_LEVELS as readonly unknown[]).includes(value);
}

/**
 * How the signed-in user sees each data category (`GET /api/v1/auth/me`). A category the server
 * does not name counts as hidden: the UI then never offers to edit it.
 */
export async function fetchFieldAccess(signal?: AbortSignal): Promise<FieldAccess> {
  const { fieldAccess } = await apiFetch('/api/v1/auth/me', parseWith(meFieldAccessSchema), { signal });
  return Object.fromEntries(
    DATA_CATEGORIES.map((category) => {
      const level = fieldAccess[category];
      return [category, isAccessLevel(level) ? level : 'none'];
    }),
  ) as FieldAccess;
}
