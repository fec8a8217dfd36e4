/**
 * Rights are (area, action) pairs. Every route declares the one it needs in its config, and one
 * hook enforces it (kernel/http/auth.ts); a route under /api/v1 that declares nothing cannot be
 * registered. The lists of areas, actions and data categories are shared with the web app
 * (packages/contracts).
 */
import type { Action, Area } from '@kontor/contracts';

export {
  ACCESS_LEVELS,
  ACTIONS,
  type AccessLevel,
  type Action,
  AREAS,
  type Area,
  DATA_CATEGORIES,
  type DataCategory,
  type FieldAccess,
  isRight,
  type Right,
  rightOf,
} from '@kontor/contracts';

/**
 * What a route needs: `public` (no credentials), `authenticated` (any signed-in user of the
 * tenant, for things about oneself such as /auth/me), or a right.
 */
export type Access = 'public' | 'authenticated' | { area: Area; action: Action };
