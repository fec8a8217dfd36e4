// The settings module's public face: other code imports from here, never from deeper files.
export { SettingsPage } from './components/SettingsPage.tsx';
export { settingsSections } from './sections.ts';
