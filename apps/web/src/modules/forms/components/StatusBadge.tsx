import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { FormStatus } from '../api/forms.ts';

const colors: Record<FormStatus, string> = { draft: 'gray', published: 'green', archived: 'dark' };

export function FormStatusBadge({ status }: { status: FormStatus }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={colors[status]} data-testid="form-status" data-status={status}>
      {t(`forms.statuses.${status}`)}
    </Badge>
  );
}
