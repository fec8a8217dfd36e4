import { createContext, useContext } from 'react';
import type { Right } from '../../../api/rights.ts';
import type { Me } from '../api/session.ts';

/** Provided by `RequireAuth`: every page inside it has a signed-in user. */
export const CurrentUserContext = createContext<Me | undefined>(undefined);

export function useCurrentUser(): Me {
  const me = useContext(CurrentUserContext);
  if (!me) throw new Error('useCurrentUser() outside <RequireAuth>');
  return me;
}

/** Whether the signed-in user's roles give this right (the server checks again on every request). */
export function useHasRight(right: Right): boolean {
  return useCurrentUser().rights.includes(right);
}
