import { Button, EmptyState } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ModuleId } from '../modules/registry.ts';
import { usePageTitle } from './usePageTitle.ts';

/** The honest state of a navigation area whose module has not been built yet. */
export function ModuleUnavailable({ moduleId }: { moduleId: ModuleId }) {
  const { t } = useTranslation();
  const name = t(`modules.${moduleId}`);
  usePageTitle(name);

  return (
    <EmptyState
      data-testid="module-unavailable"
      data-module={moduleId}
      mt="xl"
      title={t('moduleUnavailable.title', { module: name })}
      description={t('moduleUnavailable.description')}
    >
      <Button component={Link} to="/" variant="default">
        {t('moduleUnavailable.back')}
      </Button>
    </EmptyState>
  );
}
