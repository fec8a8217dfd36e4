/** Identity: users, roles and rights, API tokens (sessions, 2FA, field access come next). */

export { BUILTIN_RIGHTS, BUILTIN_ROLES, type BuiltinRole } from './identity.rights.ts';
export { identityRoutes } from './identity.routes.ts';
export {
  authenticateApiToken,
  createRole,
  createUser,
  hashPassword,
  issueApiToken,
  seedBuiltinRoles,
} from './identity.service.ts';
