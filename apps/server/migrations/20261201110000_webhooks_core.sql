-- Webhooks (modules/webhooks): signed outgoing HTTP calls per the Standard Webhooks spec
-- (https://www.standardwebhooks.com/). A tenant registers endpoints and the event types each
-- wants; an event emitted by a module (form.submitted, contact.created, …) becomes one delivery
-- per active subscribed endpoint, sent by the job `webhooks.deliver` with retries.

CREATE TABLE webhook_endpoint (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  -- https; http only for localhost/127.0.0.1/[::1] where private targets are allowed (the service checks).
  url text NOT NULL CHECK (length(url) BETWEEN 10 AND 2000 AND url ~ '^https?://'),
  description text CHECK (length(description) BETWEEN 1 AND 500),
  event_types text[] NOT NULL CHECK (cardinality(event_types) BETWEEN 1 AND 20),
  -- The signing secret `whsec_<base64>`, sealed by kernel/crypto/secret-box.ts (AES-256-GCM,
  -- bound to `webhook_endpoint:<id>`): never stored readable; shown once at creation and rotation.
  secret text NOT NULL CHECK (secret LIKE 'kb1.%'),
  -- After a rotation the previous secret signs too (a second signature) until this time, so a
  -- receiver can switch without losing deliveries.
  previous_secret text CHECK (previous_secret LIKE 'kb1.%'),
  previous_secret_expires_at timestamptz,
  active boolean NOT NULL DEFAULT true,
  -- Why Kontor switched it off by itself: 'gone' (the receiver answered 410 Gone).
  disabled_reason text CHECK (disabled_reason IN ('gone')),
  disabled_at timestamptz,
  secret_rotated_at timestamptz,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  CHECK ((previous_secret IS NULL) = (previous_secret_expires_at IS NULL)),
  CHECK (disabled_reason IS NULL OR NOT active)
);
SELECT kontor_protect_tenant_table('webhook_endpoint');
CREATE INDEX webhook_endpoint_tenant_created ON webhook_endpoint (tenant_id, created_at DESC, id DESC);
-- emitWebhookEvent's look-up on every event: the tenant's active endpoints (a handful).
CREATE INDEX webhook_endpoint_tenant_active ON webhook_endpoint (tenant_id) WHERE active;

-- One emitted event: its payload is kept once, however many endpoints receive it. `key` makes an
-- emit idempotent (the same key emits once per tenant). Events without deliveries left to make
-- are deleted after 30 days (job webhooks.prune): payloads hold personal data.
CREATE TABLE webhook_event (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  key text NOT NULL CHECK (length(key) BETWEEN 1 AND 300),
  type text NOT NULL CHECK (type ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
  -- The body sent: {"type", "timestamp", "data"} as Standard Webhooks recommends.
  payload jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, key)
);
SELECT kontor_protect_tenant_table('webhook_event');
CREATE INDEX webhook_event_tenant_created ON webhook_event (tenant_id, created_at);

-- One event to one endpoint, and its attempts. `webhook-id` is the event id on every attempt.
-- Only a short, scrubbed snippet of a response body is kept, never the body.
CREATE TABLE webhook_delivery (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  endpoint_id uuid NOT NULL,
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed', 'retrying')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts BETWEEN 0 AND 1000),
  next_attempt_at timestamptz,
  -- An attempt in flight holds the delivery until then (a second job for it waits or skips).
  claimed_until timestamptz,
  last_attempt_at timestamptz,
  last_status_code integer CHECK (last_status_code BETWEEN 100 AND 599),
  last_duration_ms integer CHECK (last_duration_ms >= 0),
  last_error text CHECK (length(last_error) BETWEEN 1 AND 300),
  last_response_snippet text CHECK (length(last_response_snippet) <= 200),
  -- Every attempt: [{"at", "statusCode", "durationMs", "error"}], newest last.
  attempt_log jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(attempt_log) = 'array'),
  succeeded_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, event_id, endpoint_id),
  FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoint (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, event_id) REFERENCES webhook_event (tenant_id, id) ON DELETE CASCADE,
  CHECK ((status = 'succeeded') = (succeeded_at IS NOT NULL))
);
SELECT kontor_protect_tenant_table('webhook_delivery');
-- An endpoint's deliveries, newest first (the settings page).
CREATE INDEX webhook_delivery_tenant_endpoint
  ON webhook_delivery (tenant_id, endpoint_id, created_at DESC, id DESC);
CREATE INDEX webhook_delivery_tenant_event ON webhook_delivery (tenant_id, event_id);
