/**
 * Rights are `<area>:<action>` pairs, as the server defines them (kernel/http/access.ts there). The lists here are the order in
 * which the rights matrix shows them; an unknown right from the server is kept, never dropped.
 */
export const areas = [
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
export type Area = (typeof areas)[number];

export const actions = ['read', 'create', 'update', 'delete', 'export', 'approve'] as const;
export type Action = (typeof actions)[number];

export type Right = `${Area}:${Action}`;

export function rightOf(area: Area, action: Action): Right {
  return `${area}:${action}`;
}

export function parseRight(value: string): { area: Area; action: Action } | undefined {
  const [area, action, ...rest] = value.split(':');
  if (rest.length > 0) return undefined;
  const knownArea = areas.find((a) => a === area);
  const knownAction = actions.find((a) => a === action);
  return knownArea && knownAction ? { area: knownArea, action: knownAction } : undefined;
}
