import { Button, Center, EmptyState, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router-dom';
import { CurrentUserContext } from '../hooks/useCurrentUser.ts';
import { useMe } from '../hooks/useMe.ts';
import { loginPathFor } from '../returnTo.ts';

/** Shows its children to a signed-in user only; anyone else goes to the login page and comes back after. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();

  // Keep showing the page while a background re-check fails (e.g. a network blip on window focus).
  if (me.data === undefined) {
    if (me.isError) {
      return (
        <Center mih="100vh" p="md">
          <EmptyState
            data-testid="session-check-failed"
            title={t('auth.checkFailed.title')}
            description={t('auth.checkFailed.description')}
          >
            <Button onClick={() => void me.refetch()} loading={me.isFetching}>
              {t('auth.checkFailed.retry')}
            </Button>
          </EmptyState>
        </Center>
      );
    }
    return (
      <Center mih="100vh" data-testid="session-loading">
        <Loader aria-label={t('auth.checking')} />
      </Center>
    );
  }
  if (me.data === null) return <Navigate to={loginPathFor(location)} replace />;
  return <CurrentUserContext value={me.data}>{children}</CurrentUserContext>;
}
