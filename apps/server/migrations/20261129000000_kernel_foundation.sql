-- Kernel foundation: extensions, the tenant-context helper, tenants, users, API tokens,
-- job idempotency and the dead-letter list. Written for PostgreSQL 15+ (PGlite is 18).
-- Row-level security: every tenant-owned table is ENABLEd and FORCEd, with one policy that
-- compares tenant_id to the transaction's tenant (set by withTenant, see kernel/db/tenancy.ts).

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS citext;

GRANT USAGE ON SCHEMA public TO kontor_app;

-- The job queue (pg-boss) lives in its own schema, owned by the application role so that its
-- own migrations can run as that role. It holds no tenant data, only job ids and payloads.
CREATE SCHEMA IF NOT EXISTS pgboss AUTHORIZATION kontor_app;

-- The tenant of the current transaction, or NULL when none is set (then RLS shows nothing).
CREATE FUNCTION kontor_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE FUNCTION kontor_touch_updated_at() RETURNS trigger
  LANGUAGE plpgsql
  AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;

-- Every tenant-owned table calls this once in the migration that creates it: row-level
-- security enabled and forced (owners too), the tenant_isolation policy on its tenant column,
-- the application role's grants, and the updated_at trigger when the table has that column.
CREATE FUNCTION kontor_protect_tenant_table(p_table regclass, p_tenant_column name DEFAULT 'tenant_id')
  RETURNS void LANGUAGE plpgsql
  AS $$
  BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', p_table);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', p_table);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %s USING (%I = kontor_current_tenant()) WITH CHECK (%I = kontor_current_tenant())',
      p_table, p_tenant_column, p_tenant_column);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO kontor_app', p_table);
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = p_table AND attname = 'updated_at' AND NOT attisdropped) THEN
      EXECUTE format(
        'CREATE TRIGGER touch_updated_at BEFORE UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION kontor_touch_updated_at()',
        p_table);
    END IF;
  END $$;

CREATE TABLE tenant (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  default_language text NOT NULL DEFAULT 'de' CHECK (default_language IN ('de', 'en', 'fr')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
SELECT kontor_protect_tenant_table('tenant', 'id');

CREATE TABLE app_user (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  email citext NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
  display_name text,
  password_hash text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, email)
);
SELECT kontor_protect_tenant_table('app_user');
CREATE INDEX app_user_tenant_created ON app_user (tenant_id, created_at, id);

CREATE TABLE api_token (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- SHA-256 of the secret part, hex. The secret itself is shown once and never stored.
  token_hash text NOT NULL UNIQUE,
  expires_at timestamptz,
  revoked_at timestamptz,
  last_used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
SELECT kontor_protect_tenant_table('api_token');
CREATE INDEX api_token_tenant_user ON api_token (tenant_id, user_id);

-- A bearer token arrives before its tenant is known: this one function, owned by the schema
-- owner, looks the hash up across tenants and returns only the ids needed to set the tenant.
CREATE FUNCTION kontor_resolve_api_token(p_token_hash text)
  RETURNS TABLE (token_id uuid, tenant_id uuid, user_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT t.id, t.tenant_id, t.user_id
    FROM api_token t
    WHERE t.token_hash = p_token_hash
      AND t.revoked_at IS NULL
      AND (t.expires_at IS NULL OR t.expires_at > now())
  $$;
REVOKE ALL ON FUNCTION kontor_resolve_api_token(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kontor_resolve_api_token(text) TO kontor_app;

-- Effects of jobs that already happened: a job re-delivered after a crash finds its key here
-- and skips the effect (at-least-once delivery, exactly-once effect).
CREATE TABLE job_effect (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 300),
  queue text NOT NULL,
  job_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX job_effect_tenant_created ON job_effect (tenant_id, created_at);
SELECT kontor_protect_tenant_table('job_effect');

-- Jobs that failed every retry. Admins see them per tenant and can send one back to the queue.
-- The error text is the error's code/message only; payloads hold ids, never personal data.
CREATE TABLE dead_letter (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  queue text NOT NULL,
  job_id text NOT NULL,
  payload jsonb NOT NULL,
  error text NOT NULL,
  attempts integer NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now(),
  requeued_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, job_id)
);
SELECT kontor_protect_tenant_table('dead_letter');
CREATE INDEX dead_letter_tenant_failed ON dead_letter (tenant_id, failed_at DESC, id);

-- System jobs (cron) work tenant by tenant; this lists the tenants without exposing their rows.
CREATE FUNCTION kontor_tenant_ids() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$ SELECT id FROM tenant ORDER BY id $$;
REVOKE ALL ON FUNCTION kontor_tenant_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kontor_tenant_ids() TO kontor_app;
