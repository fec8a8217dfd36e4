import {
  Alert,
  Button,
  Card,
  Code,
  Group,
  Loader,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CopyValue } from '../../../app/CopyValue.tsx';
import { ErrorAlert, fieldError } from '../../../app/ErrorAlert.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import type { ApiToken, IssuedApiToken } from '../api/apiTokens.ts';
import { useApiTokens, useCreateApiToken, useRevokeApiToken } from '../hooks/useApiTokens.ts';

const expiryChoices = ['30', '90', '365', 'never'] as const;
type ExpiryChoice = (typeof expiryChoices)[number];

function expiresAtFor(choice: ExpiryChoice): string | undefined {
  if (choice === 'never') return undefined;
  return new Date(Date.now() + Number(choice) * 24 * 60 * 60 * 1000).toISOString();
}

/** Personal API tokens: they act with the user's own rights, for scripts and integrations. */
export function ApiTokensCard() {
  const { t } = useTranslation();
  const tokens = useApiTokens();
  const [issued, setIssued] = useState<IssuedApiToken | undefined>(undefined);
  const [revoking, setRevoking] = useState<ApiToken | undefined>(undefined);

  return (
    <Card withBorder radius="md" padding="lg" data-testid="api-tokens-card">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('profile.tokens.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('profile.tokens.intro')}
        </Text>

        {issued ? (
          <IssuedToken token={issued} onDone={() => setIssued(undefined)} />
        ) : (
          <CreateTokenForm onCreated={setIssued} />
        )}

        {tokens.isPending ? (
          <Loader size="sm" />
        ) : tokens.isError ? (
          <ErrorAlert error={tokens.error} />
        ) : tokens.data.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="api-tokens-empty">
            {t('profile.tokens.none')}
          </Text>
        ) : (
          <TokenTable tokens={tokens.data} onRevoke={setRevoking} />
        )}
      </Stack>
      <RevokeTokenModal token={revoking} onClose={() => setRevoking(undefined)} />
    </Card>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (token: IssuedApiToken) => void }) {
  const { t } = useTranslation();
  const create = useCreateApiToken();
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState<ExpiryChoice>('90');
  const [checked, setChecked] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (name.trim() === '') return;
    create.mutate(
      { name: name.trim(), expiresAt: expiresAtFor(expiry) },
      {
        onSuccess: (token) => {
          setName('');
          setChecked(false);
          onCreated(token);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="xs">
        {fieldError(create.error, 'name') === undefined && <ErrorAlert error={create.error} />}
        <Group align="flex-start" gap="sm">
          <TextInput
            label={t('profile.tokens.name')}
            placeholder={t('profile.tokens.namePlaceholder')}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={
              (checked && name.trim() === '' ? t('common.required') : undefined) ??
              fieldError(create.error, 'name')
            }
            maxLength={100}
            w={260}
            data-testid="api-token-name"
          />
          <Select<ExpiryChoice>
            label={t('profile.tokens.expiry')}
            data={expiryChoices.map((value) => ({
              value,
              label: t(`profile.tokens.expiryChoices.${value}`),
            }))}
            value={expiry}
            onChange={(value) => value && setExpiry(value)}
            allowDeselect={false}
            w={180}
          />
          <Button type="submit" mt={25} loading={create.isPending} data-testid="api-token-create">
            {t('profile.tokens.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function IssuedToken({ token, onDone }: { token: IssuedApiToken; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="orange" variant="light" title={t('profile.tokens.issuedTitle', { name: token.name })}>
      <Stack gap="sm">
        <Text size="sm">{t('profile.tokens.issuedOnce')}</Text>
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <Code
            block
            data-testid="api-token-secret"
            style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap', flex: 1 }}
          >
            {token.token}
          </Code>
          <CopyValue value={token.token} />
        </Group>
        <Group>
          <Button size="xs" onClick={onDone}>
            {t('profile.tokens.issuedDone')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

function TokenTable({ tokens, onRevoke }: { tokens: ApiToken[]; onRevoke: (token: ApiToken) => void }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  return (
    <Table.ScrollContainer minWidth={620}>
      <Table verticalSpacing="xs" data-testid="api-tokens">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('profile.tokens.name')}</Table.Th>
            <Table.Th>{t('profile.tokens.created')}</Table.Th>
            <Table.Th>{t('profile.tokens.expires')}</Table.Th>
            <Table.Th>{t('profile.tokens.lastUsed')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.map((token) => (
            <Table.Tr key={token.id}>
              <Table.Td fw={500}>{token.name}</Table.Td>
              <Table.Td>{formatDateTime(token.createdAt)}</Table.Td>
              <Table.Td>
                {token.expiresAt ? formatDateTime(token.expiresAt) : t('profile.tokens.never')}
              </Table.Td>
              <Table.Td>
                {token.lastUsedAt ? formatDateTime(token.lastUsedAt) : t('profile.tokens.neverUsed')}
              </Table.Td>
              <Table.Td ta="right">
                <Button size="xs" variant="subtle" color="red" onClick={() => onRevoke(token)}>
                  {t('profile.tokens.revoke')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function RevokeTokenModal({ token, onClose }: { token: ApiToken | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const revoke = useRevokeApiToken();
  const close = () => {
    revoke.reset();
    onClose();
  };
  return (
    <Modal opened={token !== undefined} onClose={close} title={t('profile.tokens.revokeTitle')} centered>
      <Stack gap="md">
        <Text size="sm">{t('profile.tokens.revokeText', { name: token?.name ?? '' })}</Text>
        <ErrorAlert error={revoke.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            loading={revoke.isPending}
            onClick={() => token && revoke.mutate(token.id, { onSuccess: close })}
          >
            {t('profile.tokens.revoke')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
