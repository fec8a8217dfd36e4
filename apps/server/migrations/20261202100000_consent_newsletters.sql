-- Newsletters (modules/consent/newsletters): the tenant's newsletters, each contact's
-- subscription to them with double opt-in, the append-only history of every subscription change
-- (the proof), and the confirmation tokens of pending requests.
--
-- newsletter               name and List-Id slug (both unique per tenant), texts per language
--                          ({ de?: { title, description, optOutText }, … }), double opt-in and
--                          welcome-mail switches, the welcome mail's LiquidJS templates, an
--                          optional sender; archived (not deleted) once anybody subscribed.
-- subscription             the current state per (contact, newsletter): pending | subscribed |
--                          unsubscribed, its legal basis, the language of the request, the
--                          source, the times; expires_at while pending. Goes with the contact.
-- subscription_event       every change as it happened: requested, confirmed (with the DOI proof:
--                          request time, confirmation time, the confirmation mail's message, the
--                          hash of the wording shown), unsubscribed, expired, resubscribed.
--                          Append-only: never updated, deleted only with the contact (cascade);
--                          it outlives its subscription row (an expired request is deleted).
-- subscription_confirmation the double-opt-in tokens: only the SHA-256 of a 256-bit token,
--                          7 days, used once (a guarded UPDATE).
-- newsletter_link_request  not tenant data: asks for a preference-centre link per hashed email
--                          and 15-minute window (at most 3), pruned hourly.
--
-- No IP address is stored: a hashed IP as DOI evidence would be a tenant option, off by default
-- (issue 6), and is not offered yet.

CREATE TABLE newsletter (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- The list label of List-Id: "<name>" <list_id.<tenant short id>.<host>>.
  list_id text NOT NULL CHECK (list_id ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
  texts jsonb NOT NULL CHECK (jsonb_typeof(texts) = 'object'),
  languages text[] NOT NULL
    CHECK (cardinality(languages) BETWEEN 1 AND 3 AND languages <@ ARRAY['de', 'en', 'fr']::text[]),
  double_opt_in boolean NOT NULL DEFAULT true,
  welcome_enabled boolean NOT NULL DEFAULT true,
  -- { subject: { de?, en?, fr? }, body: { de?, en?, fr? } } (LiquidJS, rendered in the sandbox)
  welcome jsonb NOT NULL DEFAULT '{"subject": {}, "body": {}}' CHECK (jsonb_typeof(welcome) = 'object'),
  sender_name text CHECK (length(sender_name) BETWEEN 1 AND 200),
  sender_address text CHECK (length(sender_address) BETWEEN 3 AND 320),
  archived_at timestamptz,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, name),
  UNIQUE (tenant_id, list_id)
);
SELECT kontor_protect_tenant_table('newsletter');
CREATE INDEX newsletter_tenant_created ON newsletter (tenant_id, created_at DESC, id DESC);

CREATE TABLE subscription (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  -- The person's data: erasing the contact erases it (ON DELETE CASCADE).
  contact_id uuid NOT NULL,
  newsletter_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'subscribed', 'unsubscribed')),
  -- consent-doi: confirmed by double opt-in; consent: the newsletter has double opt-in off;
  -- customer-exemption (DE UWG §7(3) and its peers) and import: set by later flows.
  legal_basis text NOT NULL CHECK (legal_basis IN ('consent-doi', 'consent', 'customer-exemption', 'import')),
  -- The language of the request: the confirmation and newsletter mails are written in it.
  language text NOT NULL CHECK (language IN ('de', 'en', 'fr')),
  source text NOT NULL
    CHECK (source IN ('form', 'portal', 'preferences', 'staff', 'import', 'site', 'newsletter', 'system')),
  source_ref text CHECK (length(source_ref) BETWEEN 1 AND 200),
  requested_at timestamptz NOT NULL DEFAULT now(),
  confirmed_at timestamptz,
  unsubscribed_at timestamptz,
  -- Pending only: when the unconfirmed request expires (purged by newsletters.purge-pending).
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, contact_id, newsletter_id),
  CHECK ((status = 'pending') = (expires_at IS NOT NULL)),
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contact (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, newsletter_id) REFERENCES newsletter (tenant_id, id)
);
SELECT kontor_protect_tenant_table('subscription');
-- The newsletter's subscribers (list by status) and the selection leaf { newsletter, status }.
CREATE INDEX subscription_tenant_newsletter_status ON subscription (tenant_id, newsletter_id, status, contact_id);
CREATE INDEX subscription_tenant_newsletter_created ON subscription (tenant_id, newsletter_id, created_at DESC, id DESC);
-- The hourly purge of expired requests.
CREATE INDEX subscription_tenant_pending ON subscription (tenant_id, expires_at) WHERE status = 'pending';

CREATE TABLE subscription_event (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  -- No foreign key: the event outlives a purged (expired) subscription row.
  subscription_id uuid NOT NULL,
  contact_id uuid NOT NULL,
  newsletter_id uuid NOT NULL,
  type text NOT NULL CHECK (type IN ('requested', 'confirmed', 'unsubscribed', 'expired', 'resubscribed')),
  -- The subscription's status before and after (null: no subscription row).
  from_status text CHECK (from_status IN ('pending', 'subscribed', 'unsubscribed')),
  to_status text CHECK (to_status IN ('pending', 'subscribed', 'unsubscribed')),
  source text NOT NULL
    CHECK (source IN ('form', 'portal', 'preferences', 'staff', 'import', 'site', 'newsletter', 'system')),
  source_ref text CHECK (length(source_ref) BETWEEN 1 AND 200),
  actor_user_id uuid,
  by_contact boolean NOT NULL,
  language text CHECK (language IN ('de', 'en', 'fr')),
  -- sha256 (hex) of the canonical JSON of the newsletter's wording shown ({ title, description }).
  text_hash text CHECK (text_hash ~ '^[0-9a-f]{64}$'),
  -- Double opt-in proof (confirmed): the confirmation mail (mail_message id) and when it was asked for.
  doi_message_id uuid,
  doi_requested_at timestamptz,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contact (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, newsletter_id) REFERENCES newsletter (tenant_id, id)
);
SELECT kontor_protect_tenant_table('subscription_event');
-- Evidence: the application adds, never rewrites or removes (the contact's deletion cascades as
-- the table owner).
REVOKE UPDATE, DELETE, TRUNCATE ON subscription_event FROM kontor_app;
CREATE INDEX subscription_event_tenant_time ON subscription_event (tenant_id, occurred_at DESC, id DESC);
CREATE INDEX subscription_event_tenant_contact ON subscription_event (tenant_id, contact_id, occurred_at DESC);
CREATE INDEX subscription_event_tenant_newsletter ON subscription_event (tenant_id, newsletter_id, occurred_at DESC);

CREATE TABLE subscription_confirmation (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  subscription_id uuid NOT NULL,
  -- SHA-256 (hex) of the token; the token itself is only in the mail.
  token_hash text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  -- The confirmation mail (mail_message id; no foreign key across modules).
  mail_message_id uuid,
  -- What the request showed: its language and the hash of the newsletter's wording.
  language text NOT NULL CHECK (language IN ('de', 'en', 'fr')),
  text_hash text NOT NULL CHECK (text_hash ~ '^[0-9a-f]{64}$'),
  source text NOT NULL
    CHECK (source IN ('form', 'portal', 'preferences', 'staff', 'import', 'site', 'newsletter', 'system')),
  source_ref text CHECK (length(source_ref) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  UNIQUE (tenant_id, token_hash),
  FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscription (tenant_id, id) ON DELETE CASCADE
);
SELECT kontor_protect_tenant_table('subscription_confirmation');
CREATE INDEX subscription_confirmation_tenant_subscription ON subscription_confirmation (tenant_id, subscription_id);
CREATE INDEX subscription_confirmation_tenant_expiry ON subscription_confirmation (tenant_id, expires_at)
  WHERE used_at IS NULL;

CREATE TABLE newsletter_link_request (
  -- HMAC-SHA256 (hex) of the lower-cased email under a server key.
  key_hash text PRIMARY KEY CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  requests integer NOT NULL DEFAULT 1 CHECK (requests >= 1),
  window_started_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT, UPDATE, DELETE ON newsletter_link_request TO kontor_app;
CREATE INDEX newsletter_link_request_window ON newsletter_link_request (window_started_at);

-- "Send me a link to my preferences": the contacts with an email (the oldest three per tenant) in
-- one tenant or, without one, in every tenant, before the tenant is known. One index probe of
-- (tenant_id, email) per tenant; SECURITY DEFINER (as kontor_contacts_by_email): citext's
-- equality is not LEAKPROOF, so under row-level security the index could not serve. Ids only.
CREATE FUNCTION kontor_preference_contacts(p_email text, p_tenant uuid)
  RETURNS TABLE (tenant_id uuid, contact_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT t.id, c.id
    FROM tenant t
    CROSS JOIN LATERAL (
      SELECT c.id FROM contact c
      WHERE c.tenant_id = t.id AND c.email = p_email::citext
      ORDER BY c.created_at, c.id
      LIMIT 3
    ) c
    WHERE p_tenant IS NULL OR t.id = p_tenant
    ORDER BY t.id, c.id
    LIMIT 10
  $$;
REVOKE ALL ON FUNCTION kontor_preference_contacts(text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kontor_preference_contacts(text, uuid) TO kontor_app;
