import { Button, EmptyState } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { parseRight, type Right } from '../../../api/rights.ts';
import { useHasRight } from '../hooks/useCurrentUser.ts';

/** Shows its children only to users whose roles give `right`; others learn which right they lack. */
export function RequireRight({ right, children }: { right: Right; children: ReactNode }) {
  const { t } = useTranslation();
  const allowed = useHasRight(right);
  if (allowed) return children;
  const parsed = parseRight(right);
  const label = parsed
    ? `${t(`rights.areas.${parsed.area}`)}: ${t(`rights.actions.${parsed.action}`)}`
    : right;
  return (
    <EmptyState
      data-testid="forbidden"
      data-right={right}
      mt="xl"
      title={t('errors.forbiddenTitle')}
      description={t('errors.forbidden', { right: label })}
    >
      <Button component={Link} to="/" variant="default">
        {t('notFound.back')}
      </Button>
    </EmptyState>
  );
}
