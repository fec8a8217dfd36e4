-- Approvals (modules/approvals): requests that something may run only after a second person —
-- the privacy officer — agrees. Bulk exports first; campaigns, selections and tracking changes
-- (the compliance engine) later. Each kind is handled by the module that registered it; this
-- table only holds the request, its decision and who made each.
--
-- requested_by and decided_by are user ids kept as evidence (as in access_log and audit_log),
-- without a foreign key: the record of who asked and who decided outlives the user account.

CREATE TABLE approval_request (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  -- 'export' now; the kinds are a registry in code, so a new kind needs no migration.
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]{0,39}$'),
  -- What would run, as the privacy officer judges it (for an export: format, fields, count, …).
  subject jsonb NOT NULL CHECK (jsonb_typeof(subject) = 'object'),
  -- SHA-256 (hex) of what makes two requests the same; one pending request per identical thing.
  subject_key text NOT NULL CHECK (subject_key ~ '^[0-9a-f]{64}$'),
  reason text CHECK (length(reason) BETWEEN 1 AND 1000),
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'cancelled')),
  requested_by uuid NOT NULL,
  decided_by uuid,
  decided_at timestamptz,
  decision_note text CHECK (length(decision_note) BETWEEN 1 AND 1000),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  -- Four eyes: nobody decides their own request (the service answers 403 before this is reached).
  CHECK (decided_by IS NULL OR decided_by <> requested_by),
  -- A decision names who made it and when; a pending request has neither.
  CHECK ((status IN ('approved', 'rejected')) = (decided_by IS NOT NULL)),
  CHECK ((status = 'pending') = (decided_at IS NULL)),
  CHECK (decision_note IS NULL OR status IN ('approved', 'rejected'))
);
SELECT kontor_protect_tenant_table('approval_request');

-- The privacy officer's list: newest first, by status.
CREATE INDEX approval_request_tenant_status ON approval_request (tenant_id, status, created_at DESC, id DESC);
CREATE INDEX approval_request_tenant_created ON approval_request (tenant_id, created_at DESC, id DESC);
-- A requester's own requests.
CREATE INDEX approval_request_tenant_requester
  ON approval_request (tenant_id, requested_by, created_at DESC, id DESC);
-- One pending request per requester and identical subject: asking again returns the open one.
CREATE UNIQUE INDEX approval_request_pending_subject
  ON approval_request (tenant_id, kind, requested_by, subject_key) WHERE status = 'pending';
-- The expiry job's look-up.
CREATE INDEX approval_request_pending_expiry ON approval_request (tenant_id, expires_at) WHERE status = 'pending';
