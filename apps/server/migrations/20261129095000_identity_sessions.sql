-- Sign-in: server-side sessions (only hashes stored), TOTP second factor with recovery codes,
-- and the per-account login throttle.

ALTER TABLE app_user
  ADD COLUMN totp_secret text,
  ADD COLUMN totp_pending_secret text,
  ADD COLUMN totp_enabled_at timestamptz,
  ADD COLUMN totp_last_step bigint;

CREATE TABLE app_session (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  csrf_hash text NOT NULL,
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
SELECT kontor_protect_tenant_table('app_session');
CREATE INDEX app_session_tenant_user ON app_session (tenant_id, user_id);

CREATE TABLE recovery_code (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  code_hash text NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
SELECT kontor_protect_tenant_table('recovery_code');
CREATE INDEX recovery_code_tenant_user ON recovery_code (tenant_id, user_id);

-- Failed sign-ins per account, keyed by a hash of the email (whether or not such an account
-- exists, so a lockout reveals nothing). Not tenant data: sign-in happens before a tenant is known.
CREATE TABLE login_throttle (
  key_hash text PRIMARY KEY,
  failures integer NOT NULL DEFAULT 0,
  window_started_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT, UPDATE, DELETE ON login_throttle TO kontor_app;

-- Sign-in candidates for an email, across tenants (the tenant is not known yet).
CREATE FUNCTION kontor_find_login(p_email text)
  RETURNS TABLE (tenant_id uuid, tenant_name text, user_id uuid, password_hash text)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT u.tenant_id, t.name, u.id, u.password_hash
    FROM app_user u JOIN tenant t ON t.id = u.tenant_id
    WHERE u.email = p_email::citext AND u.password_hash IS NOT NULL
    ORDER BY t.name, u.tenant_id
  $$;
REVOKE ALL ON FUNCTION kontor_find_login(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kontor_find_login(text) TO kontor_app;

-- Session cookie → tenant, user, rights, field access. Refreshes last_seen_at (idle timeout).
CREATE FUNCTION kontor_resolve_session(p_token_hash text, p_idle_seconds integer)
  RETURNS TABLE (session_id uuid, tenant_id uuid, user_id uuid, csrf_hash text, rights text[], field_access jsonb)
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    WITH s AS (
      UPDATE app_session
      SET last_seen_at = now()
      WHERE token_hash = p_token_hash
        AND revoked_at IS NULL
        AND expires_at > now()
        AND last_seen_at > now() - make_interval(secs => p_idle_seconds)
      RETURNING id, tenant_id, user_id, csrf_hash
    )
    SELECT s.id, s.tenant_id, s.user_id, s.csrf_hash, g.rights, g.field_access
    FROM s CROSS JOIN LATERAL kontor_user_grants(s.tenant_id, s.user_id) g
  $$;
REVOKE ALL ON FUNCTION kontor_resolve_session(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kontor_resolve_session(text, integer) TO kontor_app;
