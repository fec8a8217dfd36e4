import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Group,
  List,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import { CopyValue } from '../../../app/CopyValue.tsx';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { useCurrentUser } from '../../auth/index.ts';
import type { TotpSetup } from '../api/profile.ts';
import { useDisableTotp, useEnableTotp, useStartTotpSetup } from '../hooks/useSecurity.ts';
import { QrCode } from './QrCode.tsx';

/** `JBSWY3DPEHPK3PXP` → `JBSW Y3DP EHPK 3PXP`: easier to type into an authenticator app. */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s+/g, '').match(/.{1,4}/g) ?? []).join(' ');
}

/** Two-factor authentication: set up (secret, confirm a code, recovery codes once) or turn off. */
export function TwoFactorCard() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | undefined>(undefined);

  return (
    <Card withBorder radius="md" padding="lg" data-testid="totp-card">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            {t('profile.totp.title')}
          </Title>
          <Badge
            variant="light"
            color={me.totpEnabled ? 'green' : 'gray'}
            data-testid="totp-status"
            data-enabled={me.totpEnabled}
          >
            {t(me.totpEnabled ? 'profile.totp.on' : 'profile.totp.off')}
          </Badge>
        </Group>
        {recoveryCodes ? (
          <RecoveryCodes codes={recoveryCodes} onDone={() => setRecoveryCodes(undefined)} />
        ) : me.totpEnabled ? (
          <DisableTotp />
        ) : (
          <SetUpTotp onEnabled={setRecoveryCodes} />
        )}
      </Stack>
    </Card>
  );
}

function SetUpTotp({ onEnabled }: { onEnabled: (codes: string[]) => void }) {
  const { t } = useTranslation();
  const start = useStartTotpSetup();
  const setup = start.data;

  if (!setup) {
    return (
      <>
        <Text size="sm" c="dimmed">
          {t('profile.totp.intro')}
        </Text>
        <ErrorAlert error={start.error} messages={{ AUTH_TOTP_ALREADY_ON: t('profile.totp.alreadyOn') }} />
        <Group>
          <Button onClick={() => start.mutate()} loading={start.isPending} data-testid="totp-start">
            {t('profile.totp.start')}
          </Button>
        </Group>
      </>
    );
  }
  return <ConfirmTotp setup={setup} onCancel={() => start.reset()} onEnabled={onEnabled} />;
}

function ConfirmTotp({
  setup,
  onCancel,
  onEnabled,
}: {
  setup: TotpSetup;
  onCancel: () => void;
  onEnabled: (codes: string[]) => void;
}) {
  const { t } = useTranslation();
  const enable = useEnableTotp();
  const [code, setCode] = useState('');
  const wrongCode =
    enable.error instanceof ApiError &&
    (enable.error.code === 'AUTH_TOTP_CODE_WRONG' || enable.error.code === 'AUTH_TOTP_INVALID');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const digits = code.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(digits)) return;
    enable.mutate(digits, { onSuccess: onEnabled, onError: () => setCode('') });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm">{t('profile.totp.step1')}</Text>
        <Group align="flex-start" gap="lg" wrap="wrap">
          <QrCode value={setup.otpauthUrl} label={t('profile.totp.qr')} />
          <Stack gap="md" style={{ flex: 1, minWidth: 260 }}>
            <Stack gap={6}>
              <Text size="sm" fw={600}>
                {t('profile.totp.secret')}
              </Text>
              <Group gap="sm" wrap="nowrap" align="center">
                <Code
                  data-testid="totp-secret"
                  fz="lg"
                  px="sm"
                  py={6}
                  style={{ letterSpacing: '0.08em', wordBreak: 'break-all' }}
                >
                  {groupSecret(setup.secret)}
                </Code>
                <CopyValue value={setup.secret.replace(/\s+/g, '')} />
              </Group>
            </Stack>
            <Stack gap={6}>
              <Text size="sm" fw={600}>
                {t('profile.totp.url')}
              </Text>
              <Group gap="sm" wrap="nowrap" align="flex-start">
                <Code
                  block
                  data-testid="totp-url"
                  style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap', flex: 1 }}
                >
                  {setup.otpauthUrl}
                </Code>
                <CopyValue value={setup.otpauthUrl} />
              </Group>
            </Stack>
          </Stack>
        </Group>
        <Text size="sm">{t('profile.totp.step2')}</Text>
        {!wrongCode && (
          <ErrorAlert error={enable.error} messages={{ AUTH_TOTP_NOT_SET_UP: t('profile.totp.notSetUp') }} />
        )}
        <TextInput
          data-testid="totp-enable-code"
          label={t('profile.totp.code')}
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={6}
          required
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          error={wrongCode ? t('profile.totp.wrongCode') : undefined}
          maw={220}
          styles={{ input: { letterSpacing: '0.3em' } }}
        />
        <Group>
          <Button
            type="submit"
            loading={enable.isPending}
            disabled={!/^\d{6}$/.test(code.replace(/\s+/g, ''))}
            data-testid="totp-enable-submit"
          >
            {t('profile.totp.enable')}
          </Button>
          <Button variant="default" onClick={onCancel} disabled={enable.isPending}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const text = codes.join('\n');

  const download = () => {
    const url = URL.createObjectURL(new Blob([`${text}\n`], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'kontor-recovery-codes.txt';
    link.click();
    URL.revokeObjectURL(url);
  };

  return (
    <Stack gap="md" data-testid="totp-recovery">
      <Alert color="green" variant="light">
        {t('profile.totp.enabled')}
      </Alert>
      <Alert color="orange" variant="light" title={t('profile.totp.recoveryTitle')}>
        <List size="sm" spacing={2}>
          <List.Item>{t('profile.totp.recoveryOnce')}</List.Item>
          <List.Item>{t('profile.totp.recoveryUse')}</List.Item>
        </List>
      </Alert>
      <SimpleGrid
        cols={{ base: 1, xs: 2 }}
        spacing={6}
        verticalSpacing={6}
        maw={420}
        data-testid="totp-recovery-codes"
      >
        {codes.map((code) => (
          <Code key={code} fz="md" ta="center" py={4}>
            {code}
          </Code>
        ))}
      </SimpleGrid>
      <Group>
        <CopyValue value={text} label={t('profile.totp.copyCodes')} />
        <Button variant="default" onClick={download}>
          {t('profile.totp.downloadCodes')}
        </Button>
        <Button onClick={onDone} data-testid="totp-recovery-done">
          {t('profile.totp.storedCodes')}
        </Button>
      </Group>
    </Stack>
  );
}

function DisableTotp() {
  const { t } = useTranslation();
  const disable = useDisableTotp();
  const [password, setPassword] = useState('');
  const wrongPassword =
    disable.error instanceof ApiError &&
    (disable.error.code === 'AUTH_WRONG_PASSWORD' || disable.error.code === 'AUTH_INVALID_CREDENTIALS');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password === '') return;
    disable.mutate(password, { onSuccess: () => setPassword('') });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('profile.totp.onIntro')}
        </Text>
        {!wrongPassword && <ErrorAlert error={disable.error} />}
        <PasswordInput
          label={t('profile.totp.disablePassword')}
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          error={wrongPassword ? t('profile.totp.wrongPassword') : undefined}
          maw={400}
          data-testid="totp-disable-password"
        />
        <Group>
          <Button
            type="submit"
            color="red"
            variant="light"
            loading={disable.isPending}
            disabled={password === ''}
          >
            {t('profile.totp.disable')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
