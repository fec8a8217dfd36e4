/** Identity: users and API tokens (issue 3 grows this into sessions, roles and rights). */
export { identityRoutes } from './identity.routes.ts';
export {
  authenticateApiToken,
  createUser,
  hashPassword,
  issueApiToken,
  type Principal,
} from './identity.service.ts';
