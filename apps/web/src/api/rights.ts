/**
 * Rights are `<area>:<action>` pairs; the lists come from the contracts package the server
 * enforces them with. Their order is the rights matrix's; an unknown right from the server is
 * kept, never dropped.
 */
import { ACTIONS, type Action, AREAS, type Area } from '@kontor/contracts';

export { type Action, type Area, type Right, rightOf } from '@kontor/contracts';
export const areas = AREAS;
export const actions = ACTIONS;

export function parseRight(value: string): { area: Area; action: Action } | undefined {
  const [area, action, ...rest] = value.split(':');
  if (rest.length > 0) return undefined;
  const knownArea = areas.find((a) => a === area);
  const knownAction = actions.find((a) => a === action);
  return knownArea && knownAction ? { area: knownArea, action: knownAction } : undefined;
}
