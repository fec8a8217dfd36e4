import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { useHasRight } from '../../auth/index.ts';
import type { MailSettings, MailSettingsInput } from '../api/mail.ts';
import { useMailSettings, useUpdateMailSettings } from '../hooks/useMail.ts';
import { monospaceInput } from './styles.ts';

export function SenderSettingsForm() {
  const settings = useMailSettings();
  if (settings.isPending) return <Loader />;
  if (settings.isError) return <ErrorAlert error={settings.error} />;
  return <SenderForm settings={settings.data} />;
}

type Draft = {
  fromName: string;
  fromAddress: string;
  replyTo: string;
  domain: string;
  selector: string;
  privateKey: string;
  removeKey: boolean;
};

const draftOf = (settings: MailSettings): Draft => ({
  fromName: settings.fromName ?? '',
  fromAddress: settings.fromAddress ?? '',
  replyTo: settings.replyTo ?? '',
  domain: settings.dkim.domain ?? '',
  selector: settings.dkim.selector ?? '',
  privateKey: '',
  removeKey: false,
});

const orNull = (value: string) => (value.trim() === '' ? null : value.trim());

/** Who the business's mails come from, and the DKIM key they are signed with (the key is never shown again). */
function SenderForm({ settings }: { settings: MailSettings }) {
  const { t } = useTranslation();
  const mayUpdate = useHasRight('settings:update');
  const save = useUpdateMailSettings();
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const [saved, setSaved] = useState(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((current) => ({ ...current, [key]: value }));
    setSaved(false);
  };
  const errorOf = (...paths: string[]) => {
    if (!(save.error instanceof ApiError)) return undefined;
    for (const path of paths) {
      const found = save.error.errors.find((error) => error.path.replace(/^body\./, '') === path);
      if (found) return found.message;
    }
    return undefined;
  };
  const placed = [
    'fromName',
    'fromAddress',
    'replyTo',
    'dkim.domain',
    'dkim.selector',
    'dkim.privateKey',
    'dkim',
  ];
  const unplaced =
    save.error instanceof ApiError &&
    save.error.errors.some((error) => !placed.includes(error.path.replace(/^body\./, '')));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input: MailSettingsInput = {
      fromName: orNull(draft.fromName),
      fromAddress: orNull(draft.fromAddress),
      replyTo: orNull(draft.replyTo),
      // Signing needs domain, selector and key together: turning it off clears all three.
      dkim: {
        domain: draft.removeKey ? null : orNull(draft.domain),
        selector: draft.removeKey ? null : orNull(draft.selector),
        ...(draft.removeKey
          ? { privateKey: null }
          : draft.privateKey.trim() === ''
            ? {}
            : { privateKey: draft.privateKey.trim() }),
      },
    };
    save.mutate(input, {
      onSuccess: (next) => {
        setDraft(draftOf(next));
        setSaved(true);
      },
    });
  };
  const disabled = !mayUpdate;

  return (
    <form onSubmit={submit} noValidate data-testid="mail-sender-form">
      <Stack gap="md" maw={760}>
        <Card withBorder padding="md">
          <Stack gap="sm">
            <Title order={2} size="h4">
              {t('mail.sender.title')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('mail.sender.intro')}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t('mail.sender.fromName')}
                value={draft.fromName}
                onChange={(event) => set('fromName', event.currentTarget.value)}
                error={errorOf('fromName')}
                disabled={disabled}
                data-testid="mail-fromName"
              />
              <TextInput
                label={t('mail.sender.fromAddress')}
                type="email"
                description={
                  settings.defaultFrom
                    ? t('mail.sender.defaultFrom', { from: settings.defaultFrom })
                    : undefined
                }
                value={draft.fromAddress}
                onChange={(event) => set('fromAddress', event.currentTarget.value)}
                error={errorOf('fromAddress')}
                disabled={disabled}
                data-testid="mail-fromAddress"
              />
            </SimpleGrid>
            <TextInput
              label={t('mail.sender.replyTo')}
              description={t('mail.sender.replyToHint')}
              type="email"
              value={draft.replyTo}
              onChange={(event) => set('replyTo', event.currentTarget.value)}
              error={errorOf('replyTo')}
              disabled={disabled}
              data-testid="mail-replyTo"
            />
          </Stack>
        </Card>
        <Card withBorder padding="md">
          <Stack gap="sm">
            <Group gap="sm">
              <Title order={2} size="h4">
                {t('mail.sender.dkim')}
              </Title>
              <Badge
                variant="light"
                color={settings.dkim.configured ? 'green' : 'gray'}
                data-testid="mail-dkim-configured"
                data-configured={settings.dkim.configured}
              >
                {settings.dkim.configured ? t('mail.sender.configured') : t('mail.sender.notConfigured')}
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              {t('mail.sender.dkimIntro')}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t('mail.sender.domain')}
                placeholder="example.com"
                value={draft.domain}
                onChange={(event) => set('domain', event.currentTarget.value)}
                error={errorOf('dkim.domain')}
                disabled={disabled || draft.removeKey}
                data-testid="mail-dkim-domain"
              />
              <TextInput
                label={t('mail.sender.selector')}
                placeholder="kontor"
                value={draft.selector}
                onChange={(event) => set('selector', event.currentTarget.value)}
                error={errorOf('dkim.selector')}
                disabled={disabled || draft.removeKey}
                data-testid="mail-dkim-selector"
              />
            </SimpleGrid>
            {draft.domain.trim() && draft.selector.trim() && (
              <Text size="xs" c="dimmed">
                {t('mail.sender.dnsHint', {
                  name: `${draft.selector.trim()}._domainkey.${draft.domain.trim()}`,
                })}
              </Text>
            )}
            {mayUpdate && (
              <Textarea
                label={t('mail.sender.privateKey')}
                description={
                  settings.dkim.configured
                    ? t('mail.sender.privateKeyReplace')
                    : t('mail.sender.privateKeyHint')
                }
                placeholder="-----BEGIN PRIVATE KEY-----"
                autosize
                minRows={4}
                maxRows={12}
                value={draft.privateKey}
                onChange={(event) => set('privateKey', event.currentTarget.value)}
                error={errorOf('dkim.privateKey', 'dkim')}
                autoComplete="off"
                spellCheck={false}
                styles={monospaceInput}
                disabled={draft.removeKey}
                data-testid="mail-dkim-privateKey"
              />
            )}
            {mayUpdate && settings.dkim.configured && (
              <Checkbox
                label={t('mail.sender.removeKey')}
                checked={draft.removeKey}
                onChange={(event) => set('removeKey', event.currentTarget.checked)}
                data-testid="mail-dkim-removeKey"
              />
            )}
          </Stack>
        </Card>
        {unplaced ||
        (save.error !== null && !(save.error instanceof ApiError && save.error.errors.length > 0)) ? (
          <ErrorAlert error={save.error} />
        ) : null}
        {saved && (
          <Alert color="green" variant="light" data-testid="mail-sender-saved">
            {t('mail.sender.saved')}
          </Alert>
        )}
        {mayUpdate && (
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending} data-testid="mail-sender-save">
              {t('common.save')}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
