// The webhooks module's public face: the Settings → Webhooks page (endpoints, deliveries, retry).
export { WebhooksSettingsPage } from './components/WebhooksSettingsPage.tsx';
