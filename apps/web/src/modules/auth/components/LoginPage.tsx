import {
  Anchor,
  Button,
  Center,
  Loader,
  PasswordInput,
  Radio,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { type TenantChoice, tenantChoicesOf } from '../api/session.ts';
import { useLogin } from '../hooks/useLogin.ts';
import { takeSessionNotice, useMe } from '../hooks/useMe.ts';
import { safeNext } from '../returnTo.ts';
import { SignedOutCard } from './SignedOutCard.tsx';

/** Credentials first; then, when the server asks for them, the business to sign in to and the 2FA code. */
type Step = 'credentials' | 'tenant' | 'totp';

export function LoginPage() {
  const { t } = useTranslation();
  usePageTitle(t('auth.login.pageTitle'));
  const queryClient = useQueryClient();
  const me = useMe();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const next = safeNext(searchParams.get('next'));
  const login = useLogin();

  const [notice] = useState(() => takeSessionNotice(queryClient));
  const [step, setStep] = useState<Step>('credentials');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [tenants, setTenants] = useState<TenantChoice[]>([]);
  const [tenantId, setTenantId] = useState<string | undefined>(undefined);
  const [code, setCode] = useState('');
  const [useRecoveryCode, setUseRecoveryCode] = useState(false);
  // The error to show; a 401 AUTH_TOTP_REQUIRED is a step, not an error, so it is not kept here.
  const [error, setError] = useState<unknown>(null);

  if (me.data) return <Navigate to={next} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const totp = step === 'totp' ? code.replace(/\s+/g, '') : undefined;
    login.mutate(
      { email: email.trim(), password, totp, tenantId },
      {
        onSuccess: () => void navigate(next, { replace: true }),
        onError: (failure) => {
          if (failure instanceof ApiError && failure.code === 'AUTH_TOTP_REQUIRED') {
            setStep('totp');
            return;
          }
          if (failure instanceof ApiError && failure.code === 'AUTH_TENANT_AMBIGUOUS') {
            const choices = tenantChoicesOf(failure);
            setTenants(choices);
            setTenantId(choices[0]?.id);
            setStep('tenant');
            return;
          }
          if (failure instanceof ApiError && failure.code === 'AUTH_TOTP_INVALID') setCode('');
          if (failure instanceof ApiError && failure.code === 'AUTH_INVALID_CREDENTIALS') {
            setStep('credentials');
            setCode('');
            setTenantId(undefined);
          }
          setError(failure);
        },
      },
    );
  };

  const startOver = () => {
    setStep('credentials');
    setCode('');
    setTenantId(undefined);
    setTenants([]);
    setError(null);
  };

  const errorMessages = {
    AUTH_INVALID_CREDENTIALS: t('auth.login.errors.invalidCredentials'),
    AUTH_TOTP_INVALID: t(
      useRecoveryCode ? 'auth.login.errors.recoveryInvalid' : 'auth.login.errors.totpInvalid',
    ),
    VALIDATION_FAILED: t('auth.login.errors.invalidInput'),
  };

  return (
    <SignedOutCard testId="login-page">
      {me.isPending ? (
        <Center py="xl">
          <Loader aria-label={t('auth.checking')} />
        </Center>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Stack gap={4}>
              <Title order={1} size="h2">
                {t('auth.login.title')}
              </Title>
              <Text c="dimmed" size="sm">
                {step === 'totp'
                  ? t('auth.login.totpIntro')
                  : step === 'tenant'
                    ? t('auth.login.tenantIntro')
                    : t('auth.login.intro')}
              </Text>
            </Stack>

            {notice === 'expired' && error === null && step === 'credentials' && (
              <Text size="sm" data-testid="session-expired">
                {t('auth.login.sessionExpired')}
              </Text>
            )}
            <ErrorAlert error={error} messages={errorMessages} />

            {step === 'credentials' && (
              <>
                <TextInput
                  data-testid="login-email"
                  label={t('auth.login.email')}
                  type="email"
                  autoComplete="username"
                  required
                  autoFocus
                  value={email}
                  onChange={(event) => setEmail(event.currentTarget.value)}
                />
                <PasswordInput
                  data-testid="login-password"
                  label={t('auth.login.password')}
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(event) => setPassword(event.currentTarget.value)}
                />
              </>
            )}

            {step === 'tenant' && (
              <Radio.Group
                label={t('auth.login.tenant')}
                value={tenantId ?? null}
                onChange={setTenantId}
                data-testid="login-tenant"
              >
                <Stack gap="xs" mt="xs">
                  {tenants.map((tenant) => (
                    <Radio key={tenant.id} value={tenant.id} label={tenant.name} />
                  ))}
                </Stack>
              </Radio.Group>
            )}

            {step === 'totp' && (
              <Stack gap={6}>
                <TextInput
                  key={useRecoveryCode ? 'recovery' : 'totp'}
                  data-testid="login-totp"
                  label={t(useRecoveryCode ? 'auth.login.recoveryCode' : 'auth.login.totpCode')}
                  description={t(useRecoveryCode ? 'auth.login.recoveryCodeHint' : 'auth.login.totpCodeHint')}
                  autoComplete="one-time-code"
                  inputMode={useRecoveryCode ? 'text' : 'numeric'}
                  maxLength={useRecoveryCode ? 64 : 6}
                  required
                  autoFocus
                  value={code}
                  onChange={(event) => setCode(event.currentTarget.value)}
                  styles={{ input: { letterSpacing: useRecoveryCode ? undefined : '0.3em' } }}
                />
                <Anchor
                  component="button"
                  type="button"
                  size="sm"
                  ta="left"
                  data-testid="login-use-recovery"
                  onClick={() => {
                    setUseRecoveryCode((value) => !value);
                    setCode('');
                    setError(null);
                  }}
                >
                  {t(useRecoveryCode ? 'auth.login.useTotp' : 'auth.login.useRecovery')}
                </Anchor>
              </Stack>
            )}

            <Button type="submit" fullWidth loading={login.isPending} data-testid="login-submit">
              {step === 'credentials' ? t('auth.login.submit') : t('auth.login.continue')}
            </Button>
            {step === 'credentials' && (
              <Anchor component={Link} to="/forgot-password" size="sm" data-testid="login-forgot">
                {t('auth.forgot.link')}
              </Anchor>
            )}
            {step !== 'credentials' && (
              <Anchor component="button" type="button" size="sm" onClick={startOver}>
                {t('auth.login.startOver')}
              </Anchor>
            )}
          </Stack>
        </form>
      )}
    </SignedOutCard>
  );
}
