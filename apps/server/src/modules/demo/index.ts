/** Demo data: `kontor demo` makes a tenant with realistic DE/CH/AT/FR contacts to try Kontor on. */

export { COUNTRY_MIX, type DemoData, generateDemoData } from './demo.data.ts';
export {
  createDemoTenant,
  DEFAULT_DEMO_CONTACTS,
  DemoDataError,
  type DemoLogin,
  type DemoOptions,
  type DemoTenant,
  MAX_DEMO_CONTACTS,
} from './demo.service.ts';
