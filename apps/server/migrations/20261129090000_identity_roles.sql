-- Roles and rights. A role holds a set of rights ('<area>:<action>', checked by the application
-- against its list of areas and actions). Built-in roles are created with each tenant
-- (builtin_key set); tenants add their own. A user's rights are the union of its roles' rights.

CREATE TABLE role (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  builtin_key text CHECK (builtin_key IN ('owner', 'admin', 'sales', 'marketing', 'accounting', 'privacy_officer', 'read_only')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  rights text[] NOT NULL DEFAULT '{}',
  -- Access per data category of personal data: {"billing": "masked", "notes": "none", ...};
  -- a category not named is seen in full.
  field_access jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name),
  UNIQUE (tenant_id, builtin_key)
);
SELECT kontor_protect_tenant_table('role');
CREATE INDEX role_tenant_created ON role (tenant_id, created_at, id);

CREATE TABLE user_role (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  role_id uuid NOT NULL REFERENCES role (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, user_id, role_id)
);
SELECT kontor_protect_tenant_table('user_role');
CREATE INDEX user_role_tenant_role ON user_role (tenant_id, role_id);

-- A user's rights (union over their roles) and each role's field access, for the look-ups below.
CREATE FUNCTION kontor_user_grants(p_tenant_id uuid, p_user_id uuid, OUT rights text[], OUT field_access jsonb)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT
      coalesce((
        SELECT array_agg(DISTINCT r.right_name ORDER BY r.right_name)
        FROM user_role ur
        JOIN role ro ON ro.id = ur.role_id AND ro.tenant_id = ur.tenant_id
        CROSS JOIN LATERAL unnest(ro.rights) AS r (right_name)
        WHERE ur.tenant_id = p_tenant_id AND ur.user_id = p_user_id
      ), '{}'),
      coalesce((
        SELECT jsonb_agg(ro.field_access)
        FROM user_role ur JOIN role ro ON ro.id = ur.role_id AND ro.tenant_id = ur.tenant_id
        WHERE ur.tenant_id = p_tenant_id AND ur.user_id = p_user_id
      ), '[]'::jsonb)
  $$;
REVOKE ALL ON FUNCTION kontor_user_grants(uuid, uuid) FROM PUBLIC;

-- Bearer token → tenant, user, rights and field access, in one look-up before the tenant is known.
DROP FUNCTION kontor_resolve_api_token(text);
CREATE FUNCTION kontor_resolve_api_token(p_token_hash text)
  RETURNS TABLE (token_id uuid, tenant_id uuid, user_id uuid, rights text[], field_access jsonb)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT t.id, t.tenant_id, t.user_id, g.rights, g.field_access
    FROM api_token t
    CROSS JOIN LATERAL kontor_user_grants(t.tenant_id, t.user_id) g
    WHERE t.token_hash = p_token_hash
      AND t.revoked_at IS NULL
      AND (t.expires_at IS NULL OR t.expires_at > now())
  $$;
REVOKE ALL ON FUNCTION kontor_resolve_api_token(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kontor_resolve_api_token(text) TO kontor_app;
