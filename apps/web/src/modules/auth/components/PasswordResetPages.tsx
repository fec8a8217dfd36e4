import { Anchor, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { isLanguage } from '../../../i18n/languages.ts';
import { confirmPasswordReset, requestPasswordReset } from '../api/session.ts';
import { SignedOutCard } from './SignedOutCard.tsx';

/** "Forgot your password?": asks for a link by email; says the same whether or not the account exists. */
export function ForgotPasswordPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('auth.forgot.title'));
  const [email, setEmail] = useState('');
  const request = useMutation({ mutationFn: requestPasswordReset });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate({ email: email.trim(), language: isLanguage(i18n.language) ? i18n.language : 'en' });
  };

  return (
    <SignedOutCard testId="forgot-password-page">
      {request.isSuccess ? (
        <Stack gap="md">
          <Title order={1} size="h2">
            {t('auth.forgot.sentTitle')}
          </Title>
          <Text data-testid="forgot-password-sent">{t('auth.forgot.sent', { email: email.trim() })}</Text>
          <Anchor component={Link} to="/login" size="sm">
            {t('auth.forgot.backToLogin')}
          </Anchor>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Stack gap={4}>
              <Title order={1} size="h2">
                {t('auth.forgot.title')}
              </Title>
              <Text c="dimmed" size="sm">
                {t('auth.forgot.intro')}
              </Text>
            </Stack>
            <ErrorAlert error={request.error} />
            <TextInput
              data-testid="forgot-password-email"
              label={t('auth.login.email')}
              type="email"
              autoComplete="username"
              required
              autoFocus
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
            />
            <Button
              type="submit"
              fullWidth
              loading={request.isPending}
              disabled={email.trim() === ''}
              data-testid="forgot-password-submit"
            >
              {t('auth.forgot.submit')}
            </Button>
            <Anchor component={Link} to="/login" size="sm">
              {t('auth.forgot.backToLogin')}
            </Anchor>
          </Stack>
        </form>
      )}
    </SignedOutCard>
  );
}

/** The emailed link's token travels in the fragment (`#token=…`), which no server ever sees. */
function tokenFromFragment(): string {
  return new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') ?? '';
}

/** Where the emailed link leads: a new password, set with a button (a prefetched link changes nothing). */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  usePageTitle(t('auth.reset.title'));
  const [token] = useState(tokenFromFragment);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const confirm = useMutation({ mutationFn: confirmPasswordReset });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    confirm.mutate({ token, newPassword: password });
  };

  if (confirm.isSuccess) {
    return (
      <SignedOutCard testId="reset-password-page">
        <Stack gap="md">
          <Title order={1} size="h2">
            {t('auth.reset.doneTitle')}
          </Title>
          <Text data-testid="reset-password-done">{t('auth.reset.done')}</Text>
          <Button component={Link} to="/login" data-testid="reset-password-login">
            {t('auth.login.submit')}
          </Button>
        </Stack>
      </SignedOutCard>
    );
  }

  return (
    <SignedOutCard testId="reset-password-page">
      {token === '' ? (
        <Stack gap="md">
          <Title order={1} size="h2">
            {t('auth.reset.title')}
          </Title>
          <Text>{t('auth.reset.noToken')}</Text>
          <Anchor component={Link} to="/forgot-password" size="sm">
            {t('auth.reset.askAgain')}
          </Anchor>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Stack gap={4}>
              <Title order={1} size="h2">
                {t('auth.reset.title')}
              </Title>
              <Text c="dimmed" size="sm">
                {t('auth.reset.intro')}
              </Text>
            </Stack>
            <ErrorAlert
              error={confirm.error}
              messages={{
                RESET_LINK_INVALID: t('auth.reset.invalidLink'),
                VALIDATION_FAILED: t('auth.reset.tooShort'),
              }}
            />
            <PasswordInput
              data-testid="reset-password-new"
              label={t('auth.reset.newPassword')}
              description={t('auth.reset.rule')}
              autoComplete="new-password"
              required
              autoFocus
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
            />
            <PasswordInput
              data-testid="reset-password-repeat"
              label={t('auth.reset.repeat')}
              autoComplete="new-password"
              required
              value={repeat}
              error={mismatch ? t('auth.reset.mismatch') : undefined}
              onChange={(event) => setRepeat(event.currentTarget.value)}
            />
            <Button type="submit" fullWidth loading={confirm.isPending} data-testid="reset-password-submit">
              {t('auth.reset.submit')}
            </Button>
            {confirm.isError && (
              <Anchor component={Link} to="/forgot-password" size="sm">
                {t('auth.reset.askAgain')}
              </Anchor>
            )}
          </Stack>
        </form>
      )}
    </SignedOutCard>
  );
}
