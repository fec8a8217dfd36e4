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
