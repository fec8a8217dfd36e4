/** Identity: users, roles and rights, API tokens (sessions, 2FA, field access come next). */

export { authRoutes, CSRF_COOKIE, SESSION_COOKIE } from './identity.auth.routes.ts';
export { authenticateSession, SourceThrottle } from './identity.auth.ts';
export { grantsOfUser, type UserGrants } from './identity.grants.ts';
export { BUILTIN_RIGHTS, BUILTIN_ROLES, type BuiltinRole } from './identity.rights.ts';
export { identityRoutes } from './identity.routes.ts';
export {
  authenticateApiToken,
  createRole,
  createUser,
  getUser,
  hashPassword,
  issueApiToken,
  seedBuiltinRoles,
} from './identity.service.ts';
