-- Consent (modules/consent): the tenant's consent questions with versioned wording, every answer
-- a person gave (append-only evidence), the current answer per person and question, and the
-- privacy officer's queue of changes made by contacts. Purposes, legal bases and states are W3C
-- DPV identifiers (`dpv:DirectMarketing`, `eu-gdpr:A6-1-a`, `dpv:ConsentGiven`; `x-crm:` for gaps).
--
-- consent_question          key (slug, unique per tenant), purpose, channel, legal basis, the
--                           current version; archived (not deleted) once anybody answered it.
-- consent_question_version  the wording and answer options of one version, immutable; text_hash
--                           = sha256 (hex) of the canonical JSON (RFC 8785) of {texts, options}.
-- consent_event             one answer as given: contact, question version, option, polarity,
--                           resulting DPV state, source, actor, language, text hash, legal basis.
--                           Append-only: never updated, deleted only with the contact (cascade).
-- consent_record            the current answer per (contact, question); processed_at is null
--                           while the latest change the contact made is not processed.
-- consent_change            the queue: one row per change a contact made (kind consent, or kind
--                           subscription for a newsletter change recorded by the newsletters
--                           part); processed_at/by and the action taken.
-- consent_settings          per tenant: the daily digest of open changes and its recipients.

CREATE TABLE consent_question (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_-]{0,62}$'),
  purpose text NOT NULL CHECK (length(purpose) <= 100 AND purpose ~ '^[a-z][a-z0-9-]*:[A-Za-z][A-Za-z0-9-]*$'),
  channel text NOT NULL CHECK (channel IN ('email', 'postal', 'phone', 'sms', 'any')),
  legal_basis text NOT NULL CHECK (length(legal_basis) <= 100 AND legal_basis ~ '^[a-z][a-z0-9-]*:[A-Za-z0-9][A-Za-z0-9-]*$'),
  current_version integer NOT NULL DEFAULT 1 CHECK (current_version >= 1),
  archived_at timestamptz,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, key),
  UNIQUE (tenant_id, id)
);
SELECT kontor_protect_tenant_table('consent_question');
CREATE INDEX consent_question_tenant_created ON consent_question (tenant_id, created_at, id);

CREATE TABLE consent_question_version (
  tenant_id uuid NOT NULL,
  question_id uuid NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  -- { de?: { label, help? }, en?: …, fr?: … }
  texts jsonb NOT NULL CHECK (jsonb_typeof(texts) = 'object'),
  -- [{ key, label: { de?, en?, fr? }, polarity: grant | prohibition | neutral }]
  options jsonb NOT NULL CHECK (jsonb_typeof(options) = 'array'),
  text_hash text NOT NULL CHECK (text_hash ~ '^[0-9a-f]{64}$'),
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, question_id, version),
  FOREIGN KEY (tenant_id, question_id) REFERENCES consent_question (tenant_id, id) ON DELETE CASCADE
);
SELECT kontor_protect_tenant_table('consent_question_version');
-- Immutable: what a person agreed to is the exact text of the version they saw. A question
-- nobody answered is deleted with its versions (the cascade runs as the table owner).
REVOKE UPDATE, DELETE, TRUNCATE ON consent_question_version FROM kontor_app;

CREATE TABLE consent_event (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  -- The person's data: erasing the contact erases the evidence too (ON DELETE CASCADE).
  contact_id uuid NOT NULL,
  question_id uuid NOT NULL,
  version integer NOT NULL,
  option_key text NOT NULL CHECK (length(option_key) BETWEEN 1 AND 64),
  polarity text NOT NULL CHECK (polarity IN ('grant', 'prohibition', 'neutral')),
  state text NOT NULL
    CHECK (state IN ('dpv:ConsentGiven', 'dpv:ConsentRefused', 'dpv:ConsentWithdrawn', 'dpv:Prohibition')),
  source text NOT NULL
    CHECK (source IN ('form', 'portal', 'preferences', 'staff', 'import', 'site', 'newsletter')),
  -- Form id, submission id, user id, import id … (what the source names it by).
  source_ref text CHECK (length(source_ref) BETWEEN 1 AND 200),
  actor_user_id uuid,
  by_contact boolean NOT NULL,
  language text NOT NULL CHECK (language IN ('de', 'en', 'fr')),
  text_hash text NOT NULL CHECK (text_hash ~ '^[0-9a-f]{64}$'),
  legal_basis text NOT NULL CHECK (length(legal_basis) <= 100),
  occurred_at timestamptz NOT NULL DEFAULT now(),
  -- The contact's previous event for the question (no foreign key: both go with the contact).
  supersedes_event_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contact (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, question_id, version) REFERENCES consent_question_version (tenant_id, question_id, version)
);
SELECT kontor_protect_tenant_table('consent_event');
-- Evidence: the application adds, never rewrites or removes (the contact's deletion cascades as
-- the table owner).
REVOKE UPDATE, DELETE, TRUNCATE ON consent_event FROM kontor_app;
CREATE INDEX consent_event_tenant_time ON consent_event (tenant_id, occurred_at DESC, id DESC);
CREATE INDEX consent_event_tenant_contact ON consent_event (tenant_id, contact_id, occurred_at DESC);
CREATE INDEX consent_event_tenant_question ON consent_event (tenant_id, question_id, occurred_at DESC);

CREATE TABLE consent_record (
  tenant_id uuid NOT NULL,
  contact_id uuid NOT NULL,
  question_id uuid NOT NULL,
  version integer NOT NULL,
  option_key text NOT NULL CHECK (length(option_key) BETWEEN 1 AND 64),
  polarity text NOT NULL CHECK (polarity IN ('grant', 'prohibition', 'neutral')),
  state text NOT NULL
    CHECK (state IN ('dpv:ConsentGiven', 'dpv:ConsentRefused', 'dpv:ConsentWithdrawn', 'dpv:Prohibition')),
  source text NOT NULL
    CHECK (source IN ('form', 'portal', 'preferences', 'staff', 'import', 'site', 'newsletter')),
  -- The latest event of the contact for the question (the evidence of this answer).
  event_id uuid NOT NULL,
  -- When the answer last changed (a different option), not when it was last confirmed.
  changed_at timestamptz NOT NULL,
  processed_at timestamptz,
  PRIMARY KEY (tenant_id, contact_id, question_id),
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contact (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, question_id, version) REFERENCES consent_question_version (tenant_id, question_id, version),
  -- Events go only with the contact, which takes this row too.
  FOREIGN KEY (tenant_id, event_id) REFERENCES consent_event (tenant_id, id) ON DELETE CASCADE
);
SELECT kontor_protect_tenant_table('consent_record');
-- Selection leaves and the marketing suppression: the contacts with a state for given questions
-- (uuid and text equality are LEAKPROOF: the index serves under row-level security).
CREATE INDEX consent_record_tenant_question ON consent_record (tenant_id, question_id, state, contact_id);

CREATE TABLE consent_change (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  contact_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('consent', 'subscription')),
  consent_event_id uuid,
  -- The newsletters part's subscription_event (no foreign key across the two owners).
  subscription_event_id uuid,
  -- { questionId?, newsletterId?, from: string | null, to: string } (option keys / statuses)
  summary jsonb NOT NULL CHECK (jsonb_typeof(summary) = 'object'),
  created_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  processed_by uuid,
  action_taken text CHECK (length(action_taken) BETWEEN 1 AND 2000),
  UNIQUE (tenant_id, id),
  CHECK ((kind = 'consent') = (consent_event_id IS NOT NULL)),
  CHECK ((kind = 'subscription') = (subscription_event_id IS NOT NULL)),
  CHECK ((processed_at IS NULL) = (processed_by IS NULL)),
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contact (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, consent_event_id) REFERENCES consent_event (tenant_id, id) ON DELETE CASCADE
);
SELECT kontor_protect_tenant_table('consent_change');
CREATE UNIQUE INDEX consent_change_consent_event ON consent_change (tenant_id, consent_event_id)
  WHERE consent_event_id IS NOT NULL;
CREATE UNIQUE INDEX consent_change_subscription_event ON consent_change (tenant_id, subscription_event_id)
  WHERE subscription_event_id IS NOT NULL;
CREATE INDEX consent_change_tenant_open ON consent_change (tenant_id, created_at, id) WHERE processed_at IS NULL;
CREATE INDEX consent_change_tenant_created ON consent_change (tenant_id, created_at DESC, id DESC);
CREATE INDEX consent_change_tenant_processed ON consent_change (tenant_id, processed_at DESC, id DESC)
  WHERE processed_at IS NOT NULL;
CREATE INDEX consent_change_tenant_contact ON consent_change (tenant_id, contact_id);

CREATE TABLE consent_settings (
  tenant_id uuid PRIMARY KEY REFERENCES tenant (id) ON DELETE CASCADE,
  digest_enabled boolean NOT NULL DEFAULT false,
  -- Users who get the daily digest (empty: the users holding the Privacy Officer role).
  digest_recipient_user_ids uuid[] NOT NULL DEFAULT '{}' CHECK (cardinality(digest_recipient_user_ids) <= 20),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
SELECT kontor_protect_tenant_table('consent_settings');
