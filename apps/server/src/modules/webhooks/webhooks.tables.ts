import type { ColumnType } from 'kysely';

type Id = ColumnType<string, string | undefined, never>;
type TenantId = ColumnType<string, string, never>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
type NullableTime = Nullable<Date | string>;
/** jsonb: written as JSON text; read it as text (`…::text`) and parse it (see the repository). */
type Json = ColumnType<unknown, string | undefined, string>;

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'retrying';

export type WebhookEndpointTable = {
  id: Id;
  tenantId: TenantId;
  url: string;
  description: Nullable<string>;
  eventTypes: ColumnType<string[], string[], string[]>;
  /** Sealed (secret-box), never readable as stored. */
  secret: string;
  previousSecret: Nullable<string>;
  previousSecretExpiresAt: NullableTime;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  disabledReason: Nullable<'gone'>;
  disabledAt: NullableTime;
  secretRotatedAt: NullableTime;
  createdBy: ColumnType<string | null, string | null | undefined, never>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

export type WebhookEventTable = {
  id: Id;
  tenantId: TenantId;
  key: ColumnType<string, string, never>;
  type: ColumnType<string, string, never>;
  payload: Json;
  createdAt: CreatedAt;
};

export type WebhookDeliveryTable = {
  id: Id;
  tenantId: TenantId;
  endpointId: ColumnType<string, string, never>;
  eventId: ColumnType<string, string, never>;
  eventType: ColumnType<string, string, never>;
  status: ColumnType<DeliveryStatus, DeliveryStatus | undefined, DeliveryStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  nextAttemptAt: NullableTime;
  claimedUntil: NullableTime;
  lastAttemptAt: NullableTime;
  lastStatusCode: Nullable<number>;
  lastDurationMs: Nullable<number>;
  lastError: Nullable<string>;
  lastResponseSnippet: Nullable<string>;
  attemptLog: Json;
  succeededAt: NullableTime;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
};

/** This module's tables, read through `$extendTables` (see webhooks.repository.ts). */
export type WebhooksTables = {
  webhookEndpoint: WebhookEndpointTable;
  webhookEvent: WebhookEventTable;
  webhookDelivery: WebhookDeliveryTable;
};
