/**
 * Rights are `<area>:<action>` pairs — the one list the server enforces and the web app shows
 * (the rights matrix keeps this order).
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

export function rightOf(area: Area, action: Action): Right {
  return `${area}:${action}`;
}

export function isRight(value: string): value is Right {
  const [area, action, ...rest] = value.split(':');
  return (
    rest.length === 0 &&
    (AREAS as readonly string[]).includes(area ?? '') &&
    (ACTIONS as readonly string[]).includes(action ?? '')
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
  /** Files of persons and companies: `masked` lists them with names masked, only `full` downloads. */
  'documents',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

export const ACCESS_LEVELS = ['full', 'masked', 'none'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export type FieldAccess = Record<DataCategory, AccessLevel>;
