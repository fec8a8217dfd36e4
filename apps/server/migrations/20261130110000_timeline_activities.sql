-- Activity timeline (modules/timeline): what happened with a contact, newest first — notes,
-- logged calls, meetings and emails written by staff, and entries other modules add in their
-- own transactions (form submissions, consent events, mail messages, system events).
--
-- An activity belongs to one contact and goes with it (ON DELETE CASCADE, composite key as in
-- 20261129110000_contacts_core.sql). The optional company is where the contact worked when it
-- happened; deleting that company leaves the entry of a person who moved on, without it.

CREATE TABLE activity (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  contact_id uuid NOT NULL,
  company_id uuid,
  kind text NOT NULL
    CHECK (kind IN ('note', 'call', 'meeting', 'email', 'form_submission', 'consent', 'system')),
  -- Calls and emails only: who reached out.
  direction text CHECK (direction IN ('inbound', 'outbound')),
  subject text CHECK (length(subject) BETWEEN 1 AND 300),
  body text CHECK (length(body) BETWEEN 1 AND 20000),
  -- When it happened: now by default, earlier for a call logged afterwards; never far ahead
  -- (the service allows one hour of clock skew).
  occurred_at timestamptz NOT NULL DEFAULT now(),
  duration_minutes integer CHECK (duration_minutes BETWEEN 0 AND 1440),
  source text NOT NULL CHECK (source IN ('staff', 'form', 'consent', 'mail', 'import', 'system')),
  -- What another module's entry stands for (a form submission, a consent event, a mail message).
  ref_type text CHECK (ref_type ~ '^[a-z][a-z0-9_]{0,49}$'),
  ref_id text CHECK (length(ref_id) BETWEEN 1 AND 200),
  -- The user who wrote it; null for entries of the system (and when the user is deleted).
  created_by uuid REFERENCES app_user (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  CHECK ((ref_type IS NULL) = (ref_id IS NULL)),
  CHECK (direction IS NULL OR kind IN ('call', 'email')),
  CHECK (duration_minutes IS NULL OR kind IN ('call', 'meeting')),
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contact (tenant_id, id) ON DELETE CASCADE,
  -- Only company_id is cleared (PostgreSQL 15+): tenant_id stays.
  FOREIGN KEY (tenant_id, company_id) REFERENCES company (tenant_id, id) ON DELETE SET NULL (company_id)
);
SELECT kontor_protect_tenant_table('activity');

-- The timeline: one contact's entries, newest first (keyset on occurred_at, id).
CREATE INDEX activity_tenant_contact_occurred ON activity (tenant_id, contact_id, occurred_at DESC, id DESC);
-- A company's entries (and the ON DELETE SET NULL of a deleted company).
CREATE INDEX activity_tenant_company_occurred ON activity (tenant_id, company_id, occurred_at DESC, id DESC)
  WHERE company_id IS NOT NULL;
-- Deleting a user clears created_by; without this index that is a scan of every activity.
CREATE INDEX activity_created_by ON activity (created_by) WHERE created_by IS NOT NULL;
-- One entry per referenced fact: a retried job adds nothing twice (INSERT … ON CONFLICT DO NOTHING).
CREATE UNIQUE INDEX activity_tenant_ref ON activity (tenant_id, ref_type, ref_id) WHERE ref_type IS NOT NULL;

-- A user limited to some groups sees and writes only the activities of contacts in those groups
-- (the same test as the contact_scope policy on contact; no scope: every contact).
CREATE POLICY activity_contact_scope ON activity AS RESTRICTIVE FOR ALL
  USING (kontor_contact_in_scope(tenant_id, contact_id))
  WITH CHECK (kontor_contact_in_scope(tenant_id, contact_id));
