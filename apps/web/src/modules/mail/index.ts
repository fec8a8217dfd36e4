// The mail module's public face: the Settings → Mail page (status, messages, outbox, sender).
export { MailSettingsPage } from './components/MailSettingsPage.tsx';
