import { ACTIONS, type Action, AREAS, type Area, type Right, rightOf } from '../../kernel/http/access.ts';
import type { AccessLevel, DataCategory } from '../privacy/privacy.fields.ts';

export const BUILTIN_ROLES = [
  'owner',
  'admin',
  'sales',
  'marketing',
  'accounting',
  'privacy_officer',
  'read_only',
] as const;
export type BuiltinRole = (typeof BUILTIN_ROLES)[number];

const ALL = AREAS.flatMap((area) => ACTIONS.map((action) => rightOf(area, action)));

function grant(areas: readonly Area[], actions: readonly Action[]): Right[] {
  return areas.flatMap((area) => actions.map((action) => rightOf(area, action)));
}

const CRUD: Action[] = ['read', 'create', 'update', 'delete'];
const BUSINESS: Area[] = [
  'contacts',
  'companies',
  'marketing',
  'invoicing',
  'surveys',
  'calendar',
  'affiliates',
  'sites',
];

/**
 * The built-in roles every tenant starts with. Owner holds every right and cannot be changed;
 * the others are starting points a tenant may edit. Approvals (bulk exports, blocked actions)
 * are the privacy officer's: only Owner and Privacy Officer hold `privacy:approve`.
 */
/**
 * What each built-in role sees of personal data by category (categories not named: in full).
 * Sales and Marketing see bank details masked (`DE89 **** **** 3000`); Read-only sees none.
 */
export const BUILTIN_FIELD_ACCESS: Record<BuiltinRole, Partial<Record<DataCategory, AccessLevel>>> = {
  owner: {},
  admin: {},
  sales: { billing: 'masked' },
  marketing: { billing: 'masked', birthday: 'masked', notes: 'none' },
  accounting: { birthday: 'masked', notes: 'masked' },
  privacy_officer: {},
  read_only: { billing: 'none', birthday: 'masked', notes: 'none' },
};

export const BUILTIN_RIGHTS: Record<BuiltinRole, { name: string; rights: readonly Right[] }> = {
  owner: { name: 'Owner', rights: ALL },
  admin: { name: 'Admin', rights: ALL.filter((r) => r !== 'privacy:approve') },
  sales: {
    name: 'Sales',
    rights: [
      ...grant(['contacts', 'companies'], ['read', 'create', 'update']),
      ...grant(['calendar'], CRUD),
      ...grant(['marketing', 'invoicing', 'surveys', 'affiliates'], ['read']),
    ],
  },
  marketing: {
    name: 'Marketing',
    rights: [
      ...grant(['marketing', 'surveys'], CRUD),
      ...grant(['contacts'], ['read', 'create', 'update']),
      ...grant(['companies', 'affiliates'], ['read']),
    ],
  },
  accounting: {
    name: 'Accounting',
    rights: [
      ...grant(['invoicing'], [...CRUD, 'export']),
      ...grant(['contacts', 'companies', 'affiliates'], ['read']),
    ],
  },
  privacy_officer: {
    name: 'Privacy Officer',
    rights: [
      ...grant(['privacy'], [...CRUD, 'export', 'approve']),
      ...grant(['contacts', 'companies'], ['read', 'export', 'delete']),
      ...grant(
        ['marketing', 'invoicing', 'surveys', 'calendar', 'affiliates', 'sites', 'users', 'settings'],
        ['read'],
      ),
    ],
  },
  read_only: { name: 'Read-only', rights: grant(BUSINESS, ['read']) },
};
