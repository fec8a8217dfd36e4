/** Tenants: the businesses that use Kontor. Every tenant-owned row carries a tenant_id. */

export {
  type CreatedTenant,
  type CreateTenantInput,
  createdTenantSchema,
  createTenantSchema,
} from './tenants.schema.ts';
export { createTenant, getTenant } from './tenants.service.ts';
