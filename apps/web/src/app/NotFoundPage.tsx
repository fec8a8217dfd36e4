import { Button, EmptyState } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { usePageTitle } from './usePageTitle.ts';

export function NotFoundPage() {
  const { t } = useTranslation();
  usePageTitle(t('notFound.pageTitle'));

  return (
    <EmptyState
      data-testid="not-found"
      mt="xl"
      title={t('notFound.title')}
      description={t('notFound.description')}
    >
      <Button component={Link} to="/">
        {t('notFound.back')}
      </Button>
    </EmptyState>
  );
}
