import { Alert, Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import type { BulkTagResult } from '../api/contacts.ts';
import { useBulkTagContacts } from '../hooks/useContacts.ts';
import { TagsField } from './TagsField.tsx';

/** Problem codes a contact of a bulk change may fail with, each with its own wording. */
const knownCodes = ['CONTACTS_NOT_FOUND', 'CONTACTS_OUT_OF_SCOPE'] as const;

/**
 * Adds and removes tags on the selected contacts in one request. Each contact's outcome comes
 * back on its own: one that fails (deleted meanwhile, out of the user's groups) is listed by name
 * with the reason, and the others are changed all the same.
 */
export function BulkTagsModal({
  ids,
  nameOf,
  onClose,
  onDone,
}: {
  ids: readonly string[];
  nameOf: (id: string) => string;
  onClose: () => void;
  /** Called with the ids that were changed, so that the page can unselect them. */
  onDone: (changed: string[]) => void;
}) {
  const { t } = useTranslation();
  const bulk = useBulkTagContacts();
  // The contacts chosen when the dialog opened; the page unselects the changed ones meanwhile.
  const [targets] = useState(() => [...ids]);
  const [add, setAdd] = useState<string[]>([]);
  const [remove, setRemove] = useState<string[]>([]);
  const [checked, setChecked] = useState(false);
  const [result, setResult] = useState<BulkTagResult | undefined>(undefined);
  const empty = add.length === 0 && remove.length === 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (empty) return;
    bulk.mutate(
      {
        ids: targets,
        ...(add.length > 0 ? { add } : {}),
        ...(remove.length > 0 ? { remove } : {}),
      },
      {
        onSuccess: (answer) => {
          setResult(answer);
          onDone(answer.items.filter((item) => item.ok).map((item) => item.id));
        },
      },
    );
  };

  const failures = result?.items.filter((item) => !item.ok) ?? [];
  const changed = (result?.items.length ?? 0) - failures.length;
  const reason = (code: string | null | undefined) => {
    const known = knownCodes.find((candidate) => candidate === code);
    return known ? t(`contacts.bulk.codes.${known}`) : t('contacts.bulk.codes.other', { code: code ?? '—' });
  };
  const unavailable = bulk.error instanceof ApiError && bulk.error.code === 'ROUTE_NOT_FOUND';

  return (
    <Modal
      opened
      onClose={onClose}
      title={t('contacts.bulk.title', { count: targets.length })}
      size="lg"
      centered
    >
      {result ? (
        <Stack gap="md" data-testid="bulk-tags-result">
          {changed > 0 && (
            <Alert color="green" variant="light" data-testid="bulk-tags-changed">
              {t('contacts.bulk.changed', { count: changed })}
            </Alert>
          )}
          {failures.length > 0 && (
            <Alert
              color="orange"
              variant="light"
              title={t('contacts.bulk.failed', { count: failures.length })}
            >
              <List size="sm" data-testid="bulk-tags-failures">
                {failures.map((item) => (
                  <List.Item key={item.id} data-testid="bulk-tags-failure" data-id={item.id}>
                    {nameOf(item.id)}: {reason(item.code)}
                  </List.Item>
                ))}
              </List>
            </Alert>
          )}
          <Group justify="flex-end">
            <Button onClick={onClose} data-testid="bulk-tags-close">
              {t('common.close')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md" data-testid="bulk-tags-form">
            <Text size="sm" c="dimmed">
              {t('contacts.bulk.intro')}
            </Text>
            {unavailable ? (
              <Alert color="yellow" variant="light" data-testid="bulk-tags-unavailable">
                {t('contacts.bulk.unavailable')}
              </Alert>
            ) : (
              <ErrorAlert error={bulk.error} />
            )}
            <TagsField
              label={t('contacts.bulk.add')}
              value={add}
              onChange={setAdd}
              testId="bulk-tags-add"
              error={checked && empty ? t('contacts.bulk.nothing') : undefined}
            />
            <TagsField
              label={t('contacts.bulk.remove')}
              value={remove}
              onChange={setRemove}
              testId="bulk-tags-remove"
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={bulk.isPending} data-testid="bulk-tags-submit">
                {t('contacts.bulk.submit', { count: targets.length })}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
