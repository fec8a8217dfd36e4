import type { ComponentType } from 'react';
import type { Right } from '../api/rights.ts';
import type en from '../i18n/en.json';
import { CompaniesPage } from './companies/index.ts';
import { ContactsPage } from './contacts/index.ts';
import { DashboardPage } from './dashboard/index.ts';
import { FormsPage } from './forms/index.ts';
import { NewslettersPage } from './newsletters/index.ts';
import { PrivacyPage, privacySections } from './privacy/index.ts';
import { SettingsPage, settingsSections } from './settings/index.ts';

/** A module's id is the key of its name in the `modules` section of the translations. */
export type ModuleId = keyof typeof en.modules;

/** A section's id is the key of its name in the `navSections` section of the translations. */
export type SectionId = keyof typeof en.navSections;

/** A page of a module listed under it in the navigation, shown only to users with its right. */
export type ModuleSection = {
  id: SectionId;
  path: `/${string}`;
  right?: Right;
};

export type ModuleEntry = {
  id: ModuleId;
  /** Where the module lives; its own sub-routes go below this path. */
  path: `/${string}`;
  /** The module's page; a module without one shows the "not available yet" panel. */
  Page?: ComponentType;
  /** Sub-pages listed under the module in the navigation (while the module is open). */
  sections?: readonly ModuleSection[];
};

/**
 * Every navigation area of Kontor, in navigation order. A module joins the app by getting a
 * `Page` here (imported from its `modules/<id>/index.ts`) — nothing else needs to change.
 */
export const modules: readonly ModuleEntry[] = [
  { id: 'dashboard', path: '/', Page: DashboardPage },
  { id: 'contacts', path: '/contacts', Page: ContactsPage },
  { id: 'companies', path: '/companies', Page: CompaniesPage },
  { id: 'forms', path: '/forms', Page: FormsPage },
  { id: 'newsletters', path: '/newsletters', Page: NewslettersPage },
  { id: 'campaigns', path: '/campaigns' },
  { id: 'privacy', path: '/privacy', Page: PrivacyPage, sections: privacySections },
  { id: 'invoicing', path: '/invoicing' },
  { id: 'surveys', path: '/surveys' },
  { id: 'calendar', path: '/calendar' },
  { id: 'affiliates', path: '/affiliates' },
  { id: 'sites', path: '/sites' },
  { id: 'settings', path: '/settings', Page: SettingsPage, sections: settingsSections },
];
