// The settings module's public face: other code imports from here, never from deeper files.

export { dayAfter, startOfDay } from './components/dateRange.ts';
export { LogFilterForm } from './components/LogFilterForm.tsx';
export { SettingsPage } from './components/SettingsPage.tsx';
export { settingsSections } from './sections.ts';
