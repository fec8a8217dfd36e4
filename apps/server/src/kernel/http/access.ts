/**
 * Rights are (area, action) pairs. Every route declares the one it needs in its config, and one
 * hook enforces it (kernel/http/auth.ts); a route under /api/v1 that declares nothing cannot be
 * registered.
 */
export const AREAS = [
  'contacts',
  'companies',
  'marketing',
  'privacy',
  'invoicing',
  'surveys',
  'calendar',
  'affiliates',
  'sites',
  'settings',
  'users',
] as const;
export type Area = (typeof AREAS)[number];

export const ACTIONS = ['read', 'create', 'update', 'delete', 'export', 'approve'] as const;
export type Action = (typeof ACTIONS)[number];

export type Right = `${Area}:${Action}`;

/**
 * What a route needs: `public` (no credentials), `authenticated` (any signed-in user of the
 * tenant, for things about oneself such as /auth/me), or a right.
 */
export type Access = 'public' | 'authenticated' | { area: Area; action: Action };

export function rightOf(area: Area, action: Action): Right {
  return `${area}:${action}`;
}

export function isRight(value: string): value is Right {
  const [area, action] = value.split(':');
  return (
    (AREAS as readonly string[]).includes(area ?? '') && (ACTIONS as readonly string[]).includes(action ?? '')
  );
}

/** Data categories of personal data; a role sees each in full, masked or not at all. */
export const DATA_CATEGORIES = [
  'identity',
  'contact_details',
  'address',
  'billing',
  'birthday',
  'notes',
  'custom',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

export const ACCESS_LEVELS = ['full', 'masked', 'none'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export type FieldAccess = Record<DataCategory, AccessLevel>;
