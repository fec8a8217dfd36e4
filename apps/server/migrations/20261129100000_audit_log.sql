-- The audit log: an append-only record of every change of settings, rights and personal data,
-- hash-chained per tenant (modules/audit). Each row's hash covers its content and the previous
-- row's hash; audit_chain_head holds each tenant's last seq and hash, so that removing rows from
-- the end of the chain is caught as well. The application role may only read and append.

CREATE TABLE audit_log (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  -- 1, 2, 3, … per tenant, without gaps.
  seq bigint NOT NULL CHECK (seq >= 1),
  occurred_at timestamptz NOT NULL,
  actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'api_token', 'system', 'cli')),
  -- No foreign key: erasing a user must neither delete nor rewrite (SET NULL) audit rows.
  actor_user_id uuid,
  action text NOT NULL CHECK (length(action) BETWEEN 3 AND 100),
  entity_type text NOT NULL CHECK (length(entity_type) BETWEEN 1 AND 100),
  entity_id text CHECK (length(entity_id) BETWEEN 1 AND 200),
  -- settings: {"kind":"settings","before":…,"after":…}; personal data: {"kind":"personal-data",
  -- "fields":[names]}, never the values.
  changes jsonb NOT NULL CHECK (jsonb_typeof(changes) = 'object'),
  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, seq),
  CHECK ((actor_kind IN ('user', 'api_token')) = (actor_user_id IS NOT NULL))
);
SELECT kontor_protect_tenant_table('audit_log');
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM kontor_app;
CREATE INDEX audit_log_tenant_occurred ON audit_log (tenant_id, occurred_at DESC, id DESC);
CREATE INDEX audit_log_tenant_entity ON audit_log (tenant_id, entity_type, entity_id);

-- One row per tenant with an audit log: its last seq and hash. The writer locks it (SELECT … FOR
-- UPDATE) for the length of its transaction, so concurrent appends of one tenant queue up and
-- cannot fork the chain.
CREATE TABLE audit_chain_head (
  tenant_id uuid PRIMARY KEY REFERENCES tenant (id) ON DELETE CASCADE,
  seq bigint NOT NULL CHECK (seq >= 0),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
SELECT kontor_protect_tenant_table('audit_chain_head');
REVOKE DELETE, TRUNCATE ON audit_chain_head FROM kontor_app;
