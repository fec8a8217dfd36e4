import type { ModuleSection } from '../registry.ts';

/** The settings pages, in navigation order; each is listed only for users with its right. */
export const settingsSections = [
  { id: 'users', path: '/settings/users', right: 'users:read' },
  { id: 'roles', path: '/settings/roles', right: 'users:read' },
  { id: 'auditLog', path: '/settings/audit-log', right: 'privacy:read' },
  { id: 'accessLog', path: '/settings/access-log', right: 'privacy:read' },
  { id: 'privacySettings', path: '/settings/privacy', right: 'settings:read' },
  { id: 'consentQuestions', path: '/settings/consent-questions', right: 'privacy:read' },
  { id: 'customFields', path: '/settings/custom-fields', right: 'settings:read' },
  { id: 'mail', path: '/settings/mail', right: 'settings:read' },
  { id: 'webhooks', path: '/settings/webhooks', right: 'settings:read' },
] as const satisfies readonly ModuleSection[];
