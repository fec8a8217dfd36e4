import { Alert, Button, Card, Group, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert, fieldError } from '../../../app/ErrorAlert.tsx';
import { useChangePassword } from '../hooks/useSecurity.ts';

const minPasswordLength = 12;

export function PasswordCard() {
  const { t } = useTranslation();
  const change = useChangePassword();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [checked, setChecked] = useState(false);

  const tooShort = newPassword.length < minPasswordLength;
  const mismatch = newPassword !== confirmation;
  const wrongCurrent =
    change.error instanceof ApiError &&
    (change.error.code === 'AUTH_WRONG_PASSWORD' || change.error.code === 'AUTH_INVALID_CREDENTIALS')
      ? t('profile.password.wrongCurrent')
      : fieldError(change.error, 'currentPassword');
  const handledInline = wrongCurrent !== undefined || fieldError(change.error, 'newPassword') !== undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (currentPassword === '' || tooShort || mismatch) return;
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          setCurrentPassword('');
          setNewPassword('');
          setConfirmation('');
          setChecked(false);
        },
      },
    );
  };

  return (
    <Card withBorder radius="md" padding="lg" data-testid="password-card">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h4">
            {t('profile.password.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('profile.password.intro', { min: minPasswordLength })}
          </Text>
          {change.isSuccess && (
            <Alert color="green" variant="light" data-testid="password-changed">
              {t('profile.password.changed')}
            </Alert>
          )}
          {!handledInline && (
            <ErrorAlert
              error={change.error}
              messages={{ IDENTITY_WEAK_PASSWORD: t('profile.password.weak', { min: minPasswordLength }) }}
            />
          )}
          <PasswordInput
            label={t('profile.password.current')}
            data-testid="password-current"
            autoComplete="current-password"
            required
            value={currentPassword}
            onChange={(event) => setCurrentPassword(event.currentTarget.value)}
            error={(checked && currentPassword === '' ? t('common.required') : undefined) ?? wrongCurrent}
            maw={400}
          />
          <PasswordInput
            label={t('profile.password.new')}
            data-testid="password-new"
            autoComplete="new-password"
            required
            value={newPassword}
            onChange={(event) => setNewPassword(event.currentTarget.value)}
            error={
              (checked && tooShort
                ? t('profile.password.tooShort', { min: minPasswordLength })
                : undefined) ?? fieldError(change.error, 'newPassword')
            }
            maw={400}
          />
          <PasswordInput
            label={t('profile.password.confirm')}
            data-testid="password-confirm"
            autoComplete="new-password"
            required
            value={confirmation}
            onChange={(event) => setConfirmation(event.currentTarget.value)}
            error={checked && mismatch ? t('profile.password.mismatch') : undefined}
            maw={400}
          />
          <Group>
            <Button type="submit" loading={change.isPending} data-testid="password-submit">
              {t('profile.password.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
