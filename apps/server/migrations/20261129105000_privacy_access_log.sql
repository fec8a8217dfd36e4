-- Access log of personal data: who read or exported which records, when and why (the route),
-- never from where (no IP addresses). Kept for a retention period set per tenant.

ALTER TABLE tenant
  ADD COLUMN access_log_retention_days integer NOT NULL DEFAULT 365
    CHECK (access_log_retention_days BETWEEN 30 AND 3650);

CREATE TABLE access_log (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  user_id uuid NOT NULL,
  record_type text NOT NULL CHECK (record_type IN ('contact', 'company')),
  record_ids uuid[] NOT NULL CHECK (cardinality(record_ids) BETWEEN 1 AND 1000),
  purpose text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 200),
  kind text NOT NULL DEFAULT 'read' CHECK (kind IN ('read', 'search', 'export')),
  occurred_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
SELECT kontor_protect_tenant_table('access_log');
-- An access record is evidence: the application may add and prune, never rewrite.
REVOKE UPDATE ON access_log FROM kontor_app;
CREATE INDEX access_log_tenant_time ON access_log (tenant_id, occurred_at DESC, id DESC);
CREATE INDEX access_log_tenant_user ON access_log (tenant_id, user_id, occurred_at DESC);
CREATE INDEX access_log_tenant_records ON access_log USING gin (record_ids);
