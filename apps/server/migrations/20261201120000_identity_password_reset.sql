-- Password reset by an emailed one-time link: only the SHA-256 of the link's token is stored;
-- a token is valid for a short time, once, and only for the user it was made for.

CREATE TABLE password_reset (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
SELECT kontor_protect_tenant_table('password_reset');
CREATE INDEX password_reset_tenant_user ON password_reset (tenant_id, user_id);

-- The accounts of an email across tenants (the tenant is not known before the link is sent).
CREATE FUNCTION kontor_find_reset_accounts(p_email text)
  RETURNS TABLE (tenant_id uuid, user_id uuid, language text)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT u.tenant_id, u.id, t.default_language
    FROM app_user u JOIN tenant t ON t.id = u.tenant_id
    WHERE u.email = p_email::citext
    ORDER BY u.tenant_id
  $$;
REVOKE ALL ON FUNCTION kontor_find_reset_accounts(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kontor_find_reset_accounts(text) TO kontor_app;

-- A link's token → its tenant and user, while unused and unexpired.
CREATE FUNCTION kontor_find_password_reset(p_token_hash text)
  RETURNS TABLE (reset_id uuid, tenant_id uuid, user_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT r.id, r.tenant_id, r.user_id
    FROM password_reset r
    WHERE r.token_hash = p_token_hash AND r.used_at IS NULL AND r.expires_at > now()
  $$;
REVOKE ALL ON FUNCTION kontor_find_password_reset(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kontor_find_password_reset(text) TO kontor_app;
