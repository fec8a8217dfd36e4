import type { ModuleSection } from '../registry.ts';

/** The privacy pages, in navigation order; each is listed only for users with its right. */
export const privacySections = [
  { id: 'approvals', path: '/privacy/approvals', right: 'privacy:approve' },
] as const satisfies readonly ModuleSection[];
