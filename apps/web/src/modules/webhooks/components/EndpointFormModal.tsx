import { Button, Checkbox, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, fieldError } from '../../../app/ErrorAlert.tsx';
import { type WebhookEndpoint, type WebhookEndpointWithSecret, webhookEventTypes } from '../api/webhooks.ts';
import { useCreateEndpoint, useUpdateEndpoint } from '../hooks/useWebhooks.ts';
import { eventLabelKey } from './labels.ts';

/** Adds an endpoint (no `endpoint`; `onCreated` gets its secret) or changes one's URL, description and events. */
export function EndpointFormModal({
  endpoint,
  onClose,
  onCreated,
}: {
  endpoint?: WebhookEndpoint | undefined;
  onClose: () => void;
  onCreated?: (created: WebhookEndpointWithSecret) => void;
}) {
  const { t } = useTranslation();
  const create = useCreateEndpoint();
  const update = useUpdateEndpoint();
  const isNew = endpoint === undefined;
  const mutation = isNew ? create : update;
  const [url, setUrl] = useState(endpoint?.url ?? 'https://');
  const [description, setDescription] = useState(endpoint?.description ?? '');
  const [eventTypes, setEventTypes] = useState<string[]>(endpoint?.eventTypes ?? ['form.submitted']);
  const [checked, setChecked] = useState(false);

  const urlInvalid = !/^https?:\/\/[^\s/]+/.test(url.trim());
  const eventsInvalid = eventTypes.length === 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (urlInvalid || eventsInvalid) return;
    const input = { url: url.trim(), description: description.trim() || null, eventTypes };
    if (isNew) {
      create.mutate(input, { onSuccess: (created) => onCreated?.(created) });
    } else {
      update.mutate({ id: endpoint.id, changes: input }, { onSuccess: onClose });
    }
  };

  const urlError = fieldError(mutation.error, 'url');
  return (
    <Modal
      opened
      onClose={onClose}
      title={isNew ? t('webhooks.form.newTitle') : t('webhooks.form.editTitle')}
      size="lg"
      centered
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md" data-testid="webhook-form">
          {!urlError && <ErrorAlert error={mutation.error} />}
          <TextInput
            label={t('webhooks.url')}
            description={t('webhooks.form.urlHint')}
            required
            type="url"
            autoComplete="off"
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            error={(checked && urlInvalid ? t('webhooks.form.urlInvalid') : undefined) ?? urlError}
            data-testid="webhook-url"
          />
          <TextInput
            label={t('webhooks.description')}
            maxLength={500}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            data-testid="webhook-description"
          />
          <Checkbox.Group
            label={t('webhooks.events')}
            description={t('webhooks.form.eventsHint')}
            required
            value={eventTypes}
            onChange={setEventTypes}
            error={checked && eventsInvalid ? t('webhooks.form.eventsRequired') : undefined}
            data-testid="webhook-events"
          >
            <Stack gap={6} mt={6}>
              {webhookEventTypes.map((type) => (
                <Checkbox
                  key={type}
                  value={type}
                  label={
                    <Text size="sm" component="span">
                      {t(eventLabelKey(type))}{' '}
                      <Text span c="dimmed" ff="monospace" size="xs">
                        {type}
                      </Text>
                    </Text>
                  }
                  data-testid={`webhook-event-${type}`}
                />
              ))}
            </Stack>
          </Checkbox.Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending} data-testid="webhook-save">
              {isNew ? t('webhooks.form.create') : t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
