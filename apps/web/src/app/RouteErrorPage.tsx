import { Button, Center, EmptyState } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from './usePageTitle.ts';

/** Shown when rendering a page throws; the error itself is already in the console. */
export function RouteErrorPage() {
  const { t } = useTranslation();
  usePageTitle(t('routeError.pageTitle'));

  return (
    <Center mih="100vh" p="md">
      <EmptyState
        data-testid="route-error"
        title={t('routeError.title')}
        description={t('routeError.description')}
      >
        <Button onClick={() => window.location.reload()}>{t('routeError.reload')}</Button>
      </EmptyState>
    </Center>
  );
}
