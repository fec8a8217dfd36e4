-- Outbound mail (modules/mail): one row per message is the durable queue and the send log, with
-- a pg-boss job per message beside it (sent in the same transaction). A tenant's sender identity
-- (From, Reply-To, DKIM key) and its sending state (paused by our own relay's 5.7.x / 535) live in
-- mail_sender; without SMTP_URL, delivered messages land in mail_catcher_entry (the built-in
-- mail catcher that GET /api/v1/outbox shows).
--
-- A message to a contact goes with the contact (ON DELETE CASCADE): its row holds the person's
-- address and the text written for them, which erasure must reach, and a message not yet sent
-- to an erased person must never go out. Evidence that must outlive the person (the
-- double-opt-in Message-ID) is kept by the module that needs it, as its own frozen copy.

CREATE TABLE mail_sender (
  tenant_id uuid PRIMARY KEY REFERENCES tenant (id) ON DELETE CASCADE,
  from_name text CHECK (length(from_name) BETWEEN 1 AND 200),
  from_address text CHECK (length(from_address) BETWEEN 3 AND 320),
  reply_to text CHECK (length(reply_to) BETWEEN 3 AND 320),
  dkim_domain text CHECK (dkim_domain ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$'),
  dkim_selector text CHECK (dkim_selector ~ '^[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?)*$'),
  -- PEM sealed by kernel/crypto/secret-box.ts (AES-256-GCM, context `dkim:<tenant_id>`); write-only over HTTP.
  dkim_private_key text CHECK (dkim_private_key LIKE 'kb1.%'),
  -- Sending paused after our own relay refused us (5.7.x, 535): messages wait as `held`.
  paused_at timestamptz,
  paused_reason text CHECK (length(paused_reason) BETWEEN 1 AND 500),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((paused_at IS NULL) = (paused_reason IS NULL)),
  CHECK (dkim_private_key IS NULL OR (dkim_domain IS NOT NULL AND dkim_selector IS NOT NULL))
);
SELECT kontor_protect_tenant_table('mail_sender');

CREATE TABLE mail_message (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('auto-reply', 'notification', 'transactional')),
  -- The sender's key: the same key queued again returns this row and sends nothing new.
  idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 300),
  contact_id uuid,
  to_address text NOT NULL CHECK (length(to_address) BETWEEN 3 AND 320),
  to_name text CHECK (length(to_name) <= 200),
  -- The sender as of the first attempt (the tenant's identity, else KONTOR_MAIL_FROM).
  from_address text CHECK (length(from_address) BETWEEN 3 AND 320),
  from_name text CHECK (length(from_name) <= 200),
  -- The caller's Reply-To; without one, the tenant's.
  reply_to text CHECK (length(reply_to) BETWEEN 3 AND 320),
  subject text NOT NULL CHECK (length(subject) <= 998),
  text_body text NOT NULL,
  html_body text,
  -- Extra headers (name → value), all covered by the DKIM signature.
  headers jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(headers) = 'object'),
  -- `<id@sender domain>`, fixed at the first attempt: a message sent again after a crash or a
  -- deferral carries the same one.
  message_id text CHECK (message_id ~ '^<[^<>@ ]+@[^<>@ ]+>$'),
  status text NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'sending', 'sent', 'deferred', 'failed', 'held')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- deferred: when the next attempt runs; sending: until when the attempt holds the message (lease).
  next_attempt_at timestamptz,
  -- The last SMTP reply code and text (addresses scrubbed), or our own error code.
  last_error text CHECK (length(last_error) <= 1000),
  sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, idempotency_key),
  CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
  CHECK (status IN ('queued', 'held') OR (message_id IS NOT NULL AND from_address IS NOT NULL)),
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contact (tenant_id, id) ON DELETE CASCADE
);
SELECT kontor_protect_tenant_table('mail_message');

-- The message list: newest first, all or by status (keyset on created_at, id).
CREATE INDEX mail_message_tenant_created ON mail_message (tenant_id, created_at DESC, id DESC);
CREATE INDEX mail_message_tenant_status ON mail_message (tenant_id, status, created_at DESC, id DESC);
-- Deleting a contact finds their messages.
CREATE INDEX mail_message_tenant_contact ON mail_message (tenant_id, contact_id) WHERE contact_id IS NOT NULL;
-- The sweep of messages whose job went missing (lease or retry time long past).
CREATE INDEX mail_message_pending ON mail_message (tenant_id, next_attempt_at)
  WHERE status IN ('queued', 'sending', 'deferred');

-- The built-in mail catcher: what would have been delivered, as delivered (no SMTP_URL).
CREATE TABLE mail_catcher_entry (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  message_id uuid NOT NULL,
  to_address text NOT NULL,
  subject text NOT NULL,
  headers jsonb NOT NULL CHECK (jsonb_typeof(headers) = 'object'),
  text_body text,
  html_body text,
  raw_size integer NOT NULL CHECK (raw_size >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, message_id),
  FOREIGN KEY (tenant_id, message_id) REFERENCES mail_message (tenant_id, id) ON DELETE CASCADE
);
SELECT kontor_protect_tenant_table('mail_catcher_entry');

CREATE INDEX mail_catcher_entry_tenant_created ON mail_catcher_entry (tenant_id, created_at DESC, id DESC);
