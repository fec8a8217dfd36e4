import { Alert, Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CopyValue } from '../../../app/CopyValue.tsx';

/** The signing secret, shown once (after creating an endpoint or rotating its secret). */
export function SecretModal({ secret, onClose }: { secret: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened onClose={onClose} title={t('webhooks.secret.title')} size="lg" centered>
      <Stack gap="md" data-testid="webhook-secret-dialog">
        <Alert color="yellow" variant="light">
          {t('webhooks.secret.shownOnce')}
        </Alert>
        <Text size="sm">{t('webhooks.secret.intro')}</Text>
        <Group gap="sm" wrap="nowrap" align="center">
          <Code block style={{ flex: 1, wordBreak: 'break-all' }} data-testid="webhook-secret">
            {secret}
          </Code>
          <CopyValue value={secret} />
        </Group>
        <Group justify="flex-end">
          <Button onClick={onClose} data-testid="webhook-secret-done">
            {t('webhooks.secret.done')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
