import type { ModuleSection } from '../registry.ts';

/** The privacy pages, in navigation order; each is listed only for users with its right. */
export const privacySections = [
  { id: 'consentChanges', path: '/privacy/consent-changes', right: 'privacy:read' },
  { id: 'consentLog', path: '/privacy/consent-log', right: 'privacy:read' },
  { id: 'consentReport', path: '/privacy/consent-report', right: 'privacy:read' },
  { id: 'approvals', path: '/privacy/approvals', right: 'privacy:approve' },
] as const satisfies readonly ModuleSection[];
