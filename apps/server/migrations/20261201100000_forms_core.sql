-- Forms (modules/forms): web forms whose submissions create or update contacts.
--
-- form            the form and its current version number; status draft | published | archived.
-- form_version    one immutable definition per version (fields, mapping, texts, auto-reply). A
--                 submission names the version it was made with, so later edits never change
--                 what an old submission meant.
-- form_submission what was submitted, as mapped values (contact fields and custom fields, plus the
--                 'none'-target fields such as a message), the contact it landed on, the language
--                 and the auto-reply's mail_message id. The values are the contact's personal
--                 data: deleting the contact deletes its submissions (ON DELETE CASCADE).
-- form_spam_count rejected spam per form, UTC day and reason: counts only, nothing of the request
--                 (no address, no values).
-- form_challenge_use
--                 signatures of solved proof-of-work challenges, kept until the challenge expires,
--                 so a solved challenge is accepted once. In the database (not memory) because
--                 several `serve` processes may take the posts of one form, and a restart must not
--                 make a solved challenge usable again. Not tenant data (a hash of our own
--                 signature, no request content): no tenant_id, pruned by the system job
--                 forms.prune-challenges.

CREATE TABLE form (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id)
);
SELECT kontor_protect_tenant_table('form');
CREATE INDEX form_tenant_created ON form (tenant_id, created_at DESC, id DESC);

CREATE TABLE form_version (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  form_id uuid NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  definition jsonb NOT NULL CHECK (jsonb_typeof(definition) = 'object'),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, form_id, version),
  FOREIGN KEY (tenant_id, form_id) REFERENCES form (tenant_id, id) ON DELETE CASCADE
);
SELECT kontor_protect_tenant_table('form_version');
-- Immutable: a changed definition is a new version.
REVOKE UPDATE ON form_version FROM kontor_app;

CREATE TABLE form_submission (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  form_id uuid NOT NULL,
  form_version integer NOT NULL,
  -- The submission is the contact's personal data: erasing the contact erases it.
  contact_id uuid NOT NULL,
  language text NOT NULL CHECK (language IN ('de', 'en', 'fr')),
  data jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
  auto_reply_message_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, form_id, form_version) REFERENCES form_version (tenant_id, form_id, version)
    ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contact (tenant_id, id) ON DELETE CASCADE
);
SELECT kontor_protect_tenant_table('form_submission');
CREATE INDEX form_submission_tenant_form ON form_submission (tenant_id, form_id, created_at DESC, id DESC);
CREATE INDEX form_submission_tenant_created ON form_submission (tenant_id, created_at DESC, id DESC);
CREATE INDEX form_submission_tenant_contact ON form_submission (tenant_id, contact_id);

CREATE TABLE form_spam_count (
  tenant_id uuid NOT NULL,
  form_id uuid NOT NULL,
  day date NOT NULL,
  reason text NOT NULL CHECK (reason IN ('honeypot', 'too_fast', 'token', 'challenge', 'replay')),
  count integer NOT NULL DEFAULT 0 CHECK (count >= 0),
  PRIMARY KEY (tenant_id, form_id, day, reason),
  FOREIGN KEY (tenant_id, form_id) REFERENCES form (tenant_id, id) ON DELETE CASCADE
);
SELECT kontor_protect_tenant_table('form_spam_count');

CREATE TABLE form_challenge_use (
  -- SHA-256 (hex) of the challenge's signature.
  signature_hash text PRIMARY KEY CHECK (signature_hash ~ '^[0-9a-f]{64}$'),
  expires_at timestamptz NOT NULL
);
GRANT SELECT, INSERT, DELETE ON form_challenge_use TO kontor_app;
CREATE INDEX form_challenge_use_expiry ON form_challenge_use (expires_at);

-- A public post or page names only the form: this function, owned by the schema owner, finds a
-- published form across tenants and returns its tenant, name and current version only, so the
-- rest of the request runs in that tenant's transaction under row-level security (the
-- definition of a version never changes, so the server may keep it in memory by form × version).
CREATE FUNCTION kontor_published_form(p_form_id uuid)
  RETURNS TABLE (tenant_id uuid, name text, version integer)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT f.tenant_id, f.name, f.version FROM form f WHERE f.id = p_form_id AND f.status = 'published'
  $$;
REVOKE ALL ON FUNCTION kontor_published_form(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kontor_published_form(uuid) TO kontor_app;
