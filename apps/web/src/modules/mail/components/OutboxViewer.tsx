import { Alert, Anchor, Button, Code, Group, Loader, Modal, Stack, Table, Tabs, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../app/ErrorAlert.tsx';
import { useFormatDateTime } from '../../../app/useFormatDate.ts';
import type { OutboxItem } from '../api/mail.ts';
import { useMailStatus, useOutbox } from '../hooks/useMail.ts';

/** The built-in mail catcher: what Kontor delivered while no SMTP server is configured. */
export function OutboxViewer() {
  const { t } = useTranslation();
  const outbox = useOutbox();
  const status = useMailStatus();
  const formatDateTime = useFormatDateTime();
  const [open, setOpen] = useState<OutboxItem | null>(null);
  const items = outbox.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack gap="md" data-testid="mail-outbox">
      <Group justify="space-between" align="flex-start">
        <Text size="sm" c="dimmed" maw={640}>
          {t('mail.outbox.intro')}
        </Text>
        <Button
          variant="default"
          onClick={() => void outbox.refetch()}
          loading={outbox.isRefetching}
          data-testid="outbox-refresh"
        >
          {t('mail.refresh')}
        </Button>
      </Group>
      {status.data?.transport === 'smtp' && (
        <Alert variant="light" color="blue">
          {t('mail.outbox.smtpActive')}
        </Alert>
      )}
      {outbox.isPending ? (
        <Loader />
      ) : outbox.isError ? (
        <ErrorAlert error={outbox.error} />
      ) : items.length === 0 ? (
        <Text c="dimmed" data-testid="outbox-empty">
          {t('mail.outbox.empty')}
        </Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="xs" highlightOnHover data-testid="outbox-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('mail.outbox.deliveredAt')}</Table.Th>
                  <Table.Th>{t('mail.messages.to')}</Table.Th>
                  <Table.Th>{t('mail.messages.subject')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => (
                  <Table.Tr key={item.id} data-testid="outbox-item" data-to={item.to}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(item.createdAt)}</Table.Td>
                    <Table.Td>{item.to}</Table.Td>
                    <Table.Td>
                      <Anchor
                        component="button"
                        type="button"
                        onClick={() => setOpen(item)}
                        data-testid="outbox-open"
                      >
                        {item.subject || t('mail.outbox.noSubject')}
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {outbox.hasNextPage && (
            <Group justify="center">
              <Button
                variant="default"
                onClick={() => void outbox.fetchNextPage()}
                loading={outbox.isFetchingNextPage}
              >
                {t('common.loadMore')}
              </Button>
            </Group>
          )}
        </>
      )}
      {open && <OutboxMessage item={open} onClose={() => setOpen(null)} />}
    </Stack>
  );
}

function OutboxMessage({ item, onClose }: { item: OutboxItem; onClose: () => void }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const headers = Object.entries(item.headers).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((one, index) => ({
      key: `${name}-${index}`,
      name,
      value: one,
    })),
  );
  const first = item.html ? 'html' : 'text';

  return (
    <Modal opened onClose={onClose} size="xl" title={item.subject || t('mail.outbox.noSubject')}>
      <Stack gap="sm" data-testid="outbox-message">
        <Text size="sm">
          {t('mail.messages.to')}: {item.to} · {formatDateTime(item.createdAt)}
        </Text>
        <Tabs defaultValue={first}>
          <Tabs.List>
            {item.html && (
              <Tabs.Tab value="html" data-testid="outbox-tab-html">
                {t('mail.outbox.html')}
              </Tabs.Tab>
            )}
            <Tabs.Tab value="text" data-testid="outbox-tab-text">
              {t('mail.outbox.text')}
            </Tabs.Tab>
            <Tabs.Tab value="headers" data-testid="outbox-tab-headers">
              {t('mail.outbox.headers')}
            </Tabs.Tab>
          </Tabs.List>
          {item.html && (
            <Tabs.Panel value="html" pt="sm">
              <Text size="xs" c="dimmed" mb={4}>
                {t('mail.outbox.htmlSandboxed')}
              </Text>
              {/* No scripts, forms, plugins or same-origin access: the mail's HTML is shown, never run. */}
              <iframe
                title={t('mail.outbox.html')}
                sandbox=""
                srcDoc={item.html}
                referrerPolicy="no-referrer"
                style={{
                  width: '100%',
                  height: 420,
                  border: '1px solid var(--mantine-color-default-border)',
                  background: 'white',
                }}
                data-testid="outbox-html"
              />
            </Tabs.Panel>
          )}
          <Tabs.Panel value="text" pt="sm">
            <Code
              block
              style={{ whiteSpace: 'pre-wrap', maxHeight: 420, overflow: 'auto' }}
              data-testid="outbox-text"
            >
              {item.text ?? ''}
            </Code>
          </Tabs.Panel>
          <Tabs.Panel value="headers" pt="sm">
            <Table.ScrollContainer minWidth={500} mah={420}>
              <Table verticalSpacing={4} data-testid="outbox-headers">
                <Table.Tbody>
                  {headers.map((header) => (
                    <Table.Tr
                      key={header.key}
                      data-testid="outbox-header"
                      data-name={header.name.toLowerCase()}
                    >
                      <Table.Td style={{ whiteSpace: 'nowrap', verticalAlign: 'top' }}>
                        <Text size="xs" ff="monospace" fw={500}>
                          {header.name}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
                          {header.value}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </Modal>
  );
}
