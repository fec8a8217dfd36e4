import { Button, Card, Group, Loader, MultiSelect, Stack, Switch, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { apiFetch } from '../../../api/client.ts';
import { pageSchema, parseWith, queryString } from '../../../api/schemas.ts';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { useHasRight } from '../../auth/index.ts';
import { type ConsentSettings, getConsentSettings, putConsentSettings } from '../api/settings.ts';

const settingsKey = ['consent', 'settings'] as const;
const userSchema = z.object({ id: z.string(), email: z.string(), displayName: z.string().nullable() });

/** The optional daily mail about open changes: on or off, and to whom. */
export function DigestSettingsCard() {
  const settings = useQuery({ queryKey: settingsKey, queryFn: ({ signal }) => getConsentSettings(signal) });
  if (settings.isPending) return <Loader size="sm" />;
  if (settings.isError) return <ErrorAlert error={settings.error} />;
  return <DigestForm key={JSON.stringify(settings.data)} saved={settings.data} />;
}

function DigestForm({ saved }: { saved: ConsentSettings }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const mayUpdate = useHasRight('privacy:update');
  const mayReadUsers = useHasRight('users:read');
  const [draft, setDraft] = useState(saved);
  const users = useQuery({
    queryKey: ['settings', 'users', 'choices'],
    queryFn: async ({ signal }) =>
      (
        await apiFetch(`/api/v1/users${queryString({ limit: 200 })}`, parseWith(pageSchema(userSchema)), {
          signal,
        })
      ).items,
    enabled: mayReadUsers,
    staleTime: 60_000,
  });
  const save = useMutation({
    mutationFn: putConsentSettings,
    onSuccess: (next) => queryClient.setQueryData(settingsKey, next),
  });
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);

  return (
    <Card withBorder padding="md" data-testid="consent-digest">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('consent.digest.title')}
        </Title>
        <Switch
          label={t('consent.digest.enabled')}
          description={t('consent.digest.hint')}
          checked={draft.digestEnabled}
          onChange={(event) => setDraft({ ...draft, digestEnabled: event.currentTarget.checked })}
          disabled={!mayUpdate}
          data-testid="consent-digest-enabled"
        />
        {mayReadUsers ? (
          <MultiSelect
            label={t('consent.digest.recipients')}
            description={t('consent.digest.recipientsHint')}
            data={(users.data ?? []).map((user) => ({
              value: user.id,
              label: user.displayName ?? user.email,
            }))}
            value={draft.digestRecipientUserIds}
            onChange={(digestRecipientUserIds) => setDraft({ ...draft, digestRecipientUserIds })}
            searchable
            disabled={!mayUpdate || !draft.digestEnabled}
            maw={560}
          />
        ) : (
          <Text size="xs" c="dimmed">
            {t('consent.digest.recipientsNoRight', { count: draft.digestRecipientUserIds.length })}
          </Text>
        )}
        <ErrorAlert error={save.error} />
        {mayUpdate && (
          <Group>
            <Button
              onClick={() => save.mutate(draft)}
              loading={save.isPending}
              disabled={!dirty}
              data-testid="consent-digest-save"
            >
              {t('common.save')}
            </Button>
            {save.isSuccess && !dirty && (
              <Text size="sm" c="green">
                {t('consent.digest.saved')}
              </Text>
            )}
          </Group>
        )}
      </Stack>
    </Card>
  );
}
