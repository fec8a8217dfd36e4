import { Alert, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * The GDPR tab, honestly empty: consents and newsletter subscriptions are recorded by the consent
 * module (`GET /api/v1/contacts/{id}/gdpr`), which does not exist yet. Nothing here is invented.
 */
export function GdprPanel() {
  const { t } = useTranslation();
  return (
    <Alert color="gray" variant="light" title={t('contacts.gdpr.title')} data-testid="contact-gdpr">
      <Stack gap="xs">
        <Text size="sm">{t('contacts.gdpr.pending')}</Text>
        <Text size="sm">{t('contacts.gdpr.meanwhile')}</Text>
      </Stack>
    </Alert>
  );
}
