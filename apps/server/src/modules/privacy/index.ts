/** Privacy: access levels on personal data (categories, masking) and the access log. */
export { type AccessEntry, pruneAccessLog, pruneAccessLogJob, recordAccess } from './privacy.access-log.ts';
export {
  ACCESS_LEVELS,
  type AccessLevel,
  combineFieldAccess,
  DATA_CATEGORIES,
  type DataCategory,
  type FieldAccess,
  FULL_ACCESS,
  fieldAccessOf,
  maskIban,
  maskValue,
  type NestedCategories,
  presentFields,
} from './privacy.fields.ts';
export { privacyRoutes } from './privacy.routes.ts';
