import { Alert, Button, Card, Group, Loader, NumberInput, Stack, Text, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, fieldError } from '../../../app/ErrorAlert.tsx';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useHasRight } from '../../auth/index.ts';
import { type PrivacySettings, retentionDays } from '../api/privacySettings.ts';
import { usePrivacySettings, useUpdatePrivacySettings } from '../hooks/usePrivacySettings.ts';

/** The business's privacy settings: for now, how long the access log is kept. */
export function PrivacySettingsPage() {
  const { t } = useTranslation();
  usePageTitle(t('navSections.privacySettings'));
  const settings = usePrivacySettings();

  return (
    <Stack gap="lg" data-testid="privacy-settings-page">
      <Stack gap={4}>
        <Title order={1}>{t('navSections.privacySettings')}</Title>
        <Text c="dimmed">{t('settings.privacy.intro')}</Text>
      </Stack>
      {settings.isPending ? (
        <Loader />
      ) : settings.isError ? (
        <ErrorAlert error={settings.error} />
      ) : (
        <RetentionForm saved={settings.data} />
      )}
    </Stack>
  );
}

function RetentionForm({ saved }: { saved: PrivacySettings }) {
  const { t } = useTranslation();
  const update = useUpdatePrivacySettings();
  const mayUpdate = useHasRight('settings:update');
  const [days, setDays] = useState<number | string>(saved.accessLogRetentionDays);

  const value = typeof days === 'number' ? days : Number.parseInt(days, 10);
  const invalid = !Number.isInteger(value) || value < retentionDays.min || value > retentionDays.max;
  const dirty = value !== saved.accessLogRetentionDays;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (invalid || !mayUpdate) return;
    update.mutate({ accessLogRetentionDays: value });
  };

  const serverError = fieldError(update.error, 'accessLogRetentionDays');
  return (
    <Card withBorder radius="md" padding="lg" maw={560}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md" data-testid="privacy-settings-form">
          <Title order={2} size="h4">
            {t('settings.privacy.accessLogTitle')}
          </Title>
          {!serverError && <ErrorAlert error={update.error} />}
          {update.isSuccess && !dirty && (
            <Alert color="green" variant="light" data-testid="privacy-settings-saved">
              {t('settings.privacy.saved')}
            </Alert>
          )}
          <NumberInput
            label={t('settings.privacy.retention')}
            description={t('settings.privacy.retentionHint', retentionDays)}
            suffix={` ${t('settings.privacy.days')}`}
            min={retentionDays.min}
            max={retentionDays.max}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="none"
            value={days}
            onChange={setDays}
            readOnly={!mayUpdate}
            error={
              (invalid ? t('settings.privacy.retentionInvalid', retentionDays) : undefined) ?? serverError
            }
            data-testid="privacy-retention"
          />
          {mayUpdate ? (
            <Group justify="flex-end">
              <Button
                type="submit"
                loading={update.isPending}
                disabled={!dirty}
                data-testid="privacy-settings-save"
              >
                {t('common.save')}
              </Button>
            </Group>
          ) : (
            <Text size="sm" c="dimmed">
              {t('settings.privacy.readOnly')}
            </Text>
          )}
        </Stack>
      </form>
    </Card>
  );
}
