import { Stack, Tabs, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useNavigate, useParams } from 'react-router-dom';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { MailStatusCard } from './MailStatusCard.tsx';
import { MessagesTable } from './MessagesTable.tsx';
import { OutboxViewer } from './OutboxViewer.tsx';
import { SenderSettingsForm } from './SenderSettingsForm.tsx';

const tabs = ['messages', 'outbox', 'sender'] as const;

/** `/settings/mail/*`: the state of outgoing mail, the messages, the built-in catcher's outbox and the sender. */
export function MailSettingsPage() {
  return (
    <Routes>
      <Route index element={<Navigate to="messages" replace />} />
      <Route path=":tab" element={<MailTabs />} />
    </Routes>
  );
}

function MailTabs() {
  const { t } = useTranslation();
  usePageTitle(t('navSections.mail'));
  const navigate = useNavigate();
  const { tab } = useParams();
  const current = tabs.find((known) => known === tab);
  if (current === undefined) return <Navigate to="/settings/mail/messages" replace />;

  return (
    <Stack gap="lg" data-testid="mail-page">
      <Stack gap={4}>
        <Title order={1}>{t('navSections.mail')}</Title>
        <Text c="dimmed">{t('mail.intro')}</Text>
      </Stack>
      <MailStatusCard />
      <Tabs
        value={current}
        onChange={(value) => value && navigate(`/settings/mail/${value}`)}
        keepMounted={false}
      >
        <Tabs.List>
          {tabs.map((name) => (
            <Tabs.Tab key={name} value={name} data-testid={`mail-tab-${name}`}>
              {t(`mail.tabs.${name}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="messages" pt="md">
          <MessagesTable />
        </Tabs.Panel>
        <Tabs.Panel value="outbox" pt="md">
          <OutboxViewer />
        </Tabs.Panel>
        <Tabs.Panel value="sender" pt="md">
          <SenderSettingsForm />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
