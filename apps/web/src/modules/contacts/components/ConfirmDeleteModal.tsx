import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';

/** Asks before deleting, saying what goes with the record; shows why it failed if it does. */
export function ConfirmDeleteModal({
  title,
  children,
  confirmLabel,
  pending,
  error,
  errorMessages,
  onConfirm,
  onClose,
  testId,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pending: boolean;
  error: unknown;
  errorMessages?: Partial<Record<string, string>>;
  onConfirm: () => void;
  onClose: () => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened onClose={onClose} title={title} centered>
      <Stack gap="md" data-testid={testId}>
        {typeof children === 'string' ? <Text size="sm">{children}</Text> : children}
        <ErrorAlert error={error} messages={errorMessages} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="red" loading={pending} onClick={onConfirm} data-testid="confirm-delete">
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
