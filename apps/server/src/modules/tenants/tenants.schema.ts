import { z } from 'zod';

export const createTenantSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  adminEmail: z.string().trim().email('must be an email address').max(320),
  adminPassword: z.string().min(12, 'must have at least 12 characters').max(1000).optional(),
  defaultLanguage: z.enum(['de', 'en', 'fr']).default('de'),
});
export type CreateTenantInput = z.input<typeof createTenantSchema>;

/** The JSON `kontor tenant create --json` prints (API.md). */
export const createdTenantSchema = z.object({
  tenantId: z.string().uuid(),
  adminUserId: z.string().uuid(),
  apiToken: z.string(),
});
export type CreatedTenant = z.infer<typeof createdTenantSchema>;
