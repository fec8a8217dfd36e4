import type { ColumnType } from 'kysely';

type Id = ColumnType<string, string | undefined, never>;
type TenantId = ColumnType<string, string, never>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Fixed<T> = ColumnType<T, T, never>;
type FixedNullable<T> = ColumnType<T | null, T | null | undefined, never>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
type NullableTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb: written as JSON text; read it as text (`…::text`, the CamelCasePlugin would rename keys). */
type Json = ColumnType<unknown, string, string>;

export const SUBSCRIPTION_STATUSES = ['pending', 'subscribed', 'unsubscribed'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export const LEGAL_BASES = ['consent-doi', 'consent', 'customer-exemption', 'import'] as const;
export type SubscriptionLegalBasis = (typeof LEGAL_BASES)[number];

export const SUBSCRIPTION_EVENT_TYPES = [
  'requested',
  'confirmed',
  'unsubscribed',
  'expired',
  'resubscribed',
] as const;
export type SubscriptionEventType = (typeof SUBSCRIPTION_EVENT_TYPES)[number];

/** Where a change came from: the consent sources, and `system` (an expired request). */
export type SubscriptionSource =
  | 'form'
  | 'portal'
  | 'preferences'
  | 'staff'
  | 'import'
  | 'site'
  | 'newsletter'
  | 'system';

export type Language = 'de' | 'en' | 'fr';

export type NewsletterTable = {
  id: Id;
  tenantId: TenantId;
  name: string;
  listId: string;
  texts: Json;
  languages: ColumnType<Language[], Language[], Language[]>;
  doubleOptIn: ColumnType<boolean, boolean | undefined, boolean>;
  welcomeEnabled: ColumnType<boolean, boolean | undefined, boolean>;
  welcome: Json;
  senderName: Nullable<string>;
  senderAddress: Nullable<string>;
  archivedAt: NullableTime;
  createdBy: FixedNullable<string>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

export type SubscriptionTable = {
  id: Id;
  tenantId: TenantId;
  contactId: Fixed<string>;
  newsletterId: Fixed<string>;
  status: ColumnType<SubscriptionStatus, SubscriptionStatus, SubscriptionStatus>;
  legalBasis: ColumnType<SubscriptionLegalBasis, SubscriptionLegalBasis, SubscriptionLegalBasis>;
  language: ColumnType<Language, Language, Language>;
  source: ColumnType<SubscriptionSource, SubscriptionSource, SubscriptionSource>;
  sourceRef: Nullable<string>;
  requestedAt: ColumnType<Date, Date | string | undefined, Date | string>;
  confirmedAt: NullableTime;
  unsubscribedAt: NullableTime;
  expiresAt: NullableTime;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

/** Append-only (the application role may not update or delete). */
export type SubscriptionEventTable = {
  id: Id;
  tenantId: TenantId;
  subscriptionId: Fixed<string>;
  contactId: Fixed<string>;
  newsletterId: Fixed<string>;
  type: Fixed<SubscriptionEventType>;
  fromStatus: FixedNullable<SubscriptionStatus>;
  toStatus: FixedNullable<SubscriptionStatus>;
  source: Fixed<SubscriptionSource>;
  sourceRef: FixedNullable<string>;
  actorUserId: FixedNullable<string>;
  byContact: Fixed<boolean>;
  language: FixedNullable<Language>;
  textHash: FixedNullable<string>;
  doiMessageId: FixedNullable<string>;
  doiRequestedAt: ColumnType<Date | null, Date | string | null | undefined, never>;
  occurredAt: ColumnType<Date, Date | string | undefined, never>;
  createdAt: CreatedAt;
};

export type SubscriptionConfirmationTable = {
  id: Id;
  tenantId: TenantId;
  subscriptionId: Fixed<string>;
  tokenHash: Fixed<string>;
  mailMessageId: Nullable<string>;
  language: Fixed<Language>;
  textHash: Fixed<string>;
  source: Fixed<SubscriptionSource>;
  sourceRef: FixedNullable<string>;
  createdAt: CreatedAt;
  expiresAt: ColumnType<Date, Date | string, Date | string>;
  usedAt: NullableTime;
};

/** Not tenant data: preference-link requests per hashed email and window. */
export type NewsletterLinkRequestTable = {
  keyHash: string;
  requests: ColumnType<number, number | undefined, number>;
  windowStartedAt: ColumnType<Date, Date | string | undefined, Date | string>;
};

/** This part's tables, read through `$extendTables` (see newsletters.repository.ts). */
export type NewslettersTables = {
  newsletter: NewsletterTable;
  subscription: SubscriptionTable;
  subscriptionEvent: SubscriptionEventTable;
  subscriptionConfirmation: SubscriptionConfirmationTable;
  newsletterLinkRequest: NewsletterLinkRequestTable;
};
