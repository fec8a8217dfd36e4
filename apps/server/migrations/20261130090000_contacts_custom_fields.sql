-- Custom fields (modules/contacts/custom-fields): tenant-defined fields of contacts and
-- companies, and a typed index of their values.
--
-- A record's values stay in its `custom_fields` jsonb: the source of truth, read with the record.
-- Filtering and sorting by them at a million rows needs an index that row-level security lets
-- the planner use. It cannot use one for jsonb (`->>`, `@>`) or pg_trgm qualifications: those
-- operators are not LEAKPROOF, so under RLS they are evaluated after the tenant policy, on every
-- row of the tenant. Comparisons of text, float8, date, bool and uuid are LEAKPROOF, so
-- `custom_field_value` holds each value typed, one row per value (one per option of a
-- multi-select), tenant first in every index. Statement-level triggers on contact and company
-- keep it in step with the jsonb in the same statement, for single rows and multi-row INSERTs
-- (the import) alike. Unique fields are enforced by unique indexes on it: no racy SELECT.
-- Numbers are float8, not numeric (numeric comparisons are not LEAKPROOF): integers are limited
-- to ±2^53 and decimals to 15 digits, which float8 holds exactly and in order.

CREATE TABLE custom_field (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  object_type text NOT NULL CHECK (object_type IN ('contact', 'company')),
  key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,62}$'),
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
  -- {"de": "…", "en": "…", "fr": "…"}, each optional.
  labels jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(labels) = 'object'),
  type text NOT NULL CHECK (type IN ('text', 'long_text', 'number', 'decimal', 'date', 'boolean',
    'single_select', 'multi_select', 'url', 'email')),
  -- [{"value": "gold", "label": "Gold", "labels": {"de": "Gold"}}], select types only.
  options jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(options) = 'array'),
  required boolean NOT NULL DEFAULT false,
  is_unique boolean NOT NULL DEFAULT false,
  -- One of DATA_CATEGORIES (packages/contracts): field access and compliance rules.
  data_category text NOT NULL DEFAULT 'custom' CHECK (data_category IN ('identity', 'contact_details',
    'address', 'billing', 'birthday', 'notes', 'custom')),
  position integer NOT NULL DEFAULT 0 CHECK (position >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, object_type, key),
  CHECK (NOT is_unique OR type IN ('text', 'number', 'decimal', 'date', 'url', 'email')),
  CHECK (type IN ('single_select', 'multi_select') OR options = '[]'::jsonb)
);
SELECT kontor_protect_tenant_table('custom_field');
CREATE INDEX custom_field_tenant_order ON custom_field (tenant_id, object_type, position, key);

CREATE TABLE custom_field_value (
  tenant_id uuid NOT NULL,
  field_id uuid NOT NULL,
  -- A contact's or a company's id, as the field's object type says.
  record_id uuid NOT NULL,
  -- Copied from the field (the unique indexes below are partial on it).
  is_unique boolean NOT NULL DEFAULT false,
  -- text, url, email: kontor_custom_text(value) (lower case); selects: the option value as is.
  -- "C" collation: byte order, and `^@` (starts with) can use the index on any server.
  value_text text COLLATE "C",
  -- number, decimal
  value_number double precision,
  value_date date,
  value_bool boolean,
  -- long_text values get a row with every value column null: "has a value" is indexed.
  FOREIGN KEY (tenant_id, field_id) REFERENCES custom_field (tenant_id, id) ON DELETE CASCADE
);
SELECT kontor_protect_tenant_table('custom_field_value');
CREATE INDEX custom_field_value_record ON custom_field_value (tenant_id, record_id, field_id);
CREATE INDEX custom_field_value_text ON custom_field_value (tenant_id, field_id, value_text, record_id)
  WHERE value_text IS NOT NULL;
CREATE INDEX custom_field_value_number ON custom_field_value (tenant_id, field_id, value_number, record_id)
  WHERE value_number IS NOT NULL;
CREATE INDEX custom_field_value_date ON custom_field_value (tenant_id, field_id, value_date, record_id)
  WHERE value_date IS NOT NULL;
CREATE INDEX custom_field_value_bool ON custom_field_value (tenant_id, field_id, value_bool, record_id)
  WHERE value_bool IS NOT NULL;
-- long_text rows (every value column null): "has a value" for the one type not indexed above.
CREATE INDEX custom_field_value_present ON custom_field_value (tenant_id, field_id, record_id)
  WHERE value_text IS NULL AND value_number IS NULL AND value_date IS NULL AND value_bool IS NULL;
CREATE UNIQUE INDEX custom_field_value_unique_text ON custom_field_value (tenant_id, field_id, value_text)
  WHERE is_unique AND value_text IS NOT NULL;
CREATE UNIQUE INDEX custom_field_value_unique_number ON custom_field_value (tenant_id, field_id, value_number)
  WHERE is_unique AND value_number IS NOT NULL;
CREATE UNIQUE INDEX custom_field_value_unique_date ON custom_field_value (tenant_id, field_id, value_date)
  WHERE is_unique AND value_date IS NOT NULL;

-- How a text value is compared: lower case (ICU, the same on PGlite and PostgreSQL whatever the
-- server's locale). Filters apply it to their operand: `value_text = kontor_custom_text($1)`.
CREATE FUNCTION kontor_custom_text(p_text text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(p_text COLLATE "und-x-icu") $$;

-- The typed index rows of one stored value (jsonb): one row, one per element of an array
-- (multi-select), none for null. The service has validated the value against the field.
CREATE FUNCTION kontor_custom_field_rows(p_type text, p_value jsonb)
  RETURNS TABLE (value_text text, value_number double precision, value_date date, value_bool boolean)
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT
      CASE WHEN p_type IN ('text', 'url', 'email') THEN kontor_custom_text(e.v)
           WHEN p_type IN ('single_select', 'multi_select') THEN e.v END,
      CASE WHEN p_type IN ('number', 'decimal') THEN e.v::double precision END,
      CASE WHEN p_type = 'date' THEN e.v::date END,
      CASE WHEN p_type = 'boolean' THEN e.v::boolean END
    FROM jsonb_array_elements_text(CASE jsonb_typeof(p_value)
      WHEN 'array' THEN p_value WHEN 'null' THEN '[]'::jsonb ELSE jsonb_build_array(p_value) END) AS e (v)
  $$;

-- Statement-level triggers (one run per statement, however many rows): the object type is the
-- table's name. Keys without a definition are not indexed. Before indexing, the trigger takes
-- FOR KEY SHARE on the object type's fields, once per statement: a definition change holds its
-- field FOR UPDATE, so a concurrent write waits for it, and the next statement (a new snapshot
-- in READ COMMITTED) indexes under the field as changed (e.g. now unique).
CREATE FUNCTION kontor_custom_values_inserted() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM new_rows WHERE custom_fields <> '{}'::jsonb) THEN
      RETURN NULL;
    END IF;
    PERFORM 1 FROM custom_field WHERE object_type = TG_TABLE_NAME::text FOR KEY SHARE;
    INSERT INTO custom_field_value
      (tenant_id, field_id, record_id, is_unique, value_text, value_number, value_date, value_bool)
    SELECT n.tenant_id, f.id, n.id, f.is_unique, x.value_text, x.value_number, x.value_date, x.value_bool
    FROM new_rows n
    CROSS JOIN LATERAL jsonb_each(n.custom_fields) e
    JOIN custom_field f ON f.tenant_id = n.tenant_id AND f.object_type = TG_TABLE_NAME::text AND f.key = e.key
    CROSS JOIN LATERAL kontor_custom_field_rows(f.type, e.value) x
    WHERE n.custom_fields <> '{}'::jsonb;
    RETURN NULL;
  END $$;

-- Only the keys whose value changed are re-indexed: first their rows go, then the new ones come
-- (two statements, so a value moved from one key to another never meets itself in a unique index).
CREATE FUNCTION kontor_custom_values_updated() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF NOT EXISTS (
      SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE o.custom_fields IS DISTINCT FROM n.custom_fields
    ) THEN
      RETURN NULL;
    END IF;
    PERFORM 1 FROM custom_field WHERE object_type = TG_TABLE_NAME::text FOR KEY SHARE;

    DELETE FROM custom_field_value v
    USING new_rows n
    JOIN old_rows o ON o.id = n.id
    CROSS JOIN LATERAL (
      SELECT jsonb_object_keys(o.custom_fields) UNION SELECT jsonb_object_keys(n.custom_fields)
    ) k (key)
    JOIN custom_field f ON f.tenant_id = n.tenant_id AND f.object_type = TG_TABLE_NAME::text AND f.key = k.key
    WHERE o.custom_fields IS DISTINCT FROM n.custom_fields
      AND (o.custom_fields -> k.key) IS DISTINCT FROM (n.custom_fields -> k.key)
      AND v.tenant_id = n.tenant_id AND v.record_id = n.id AND v.field_id = f.id;

    INSERT INTO custom_field_value
      (tenant_id, field_id, record_id, is_unique, value_text, value_number, value_date, value_bool)
    SELECT n.tenant_id, f.id, n.id, f.is_unique, x.value_text, x.value_number, x.value_date, x.value_bool
    FROM new_rows n
    JOIN old_rows o ON o.id = n.id
    CROSS JOIN LATERAL jsonb_each(n.custom_fields) e
    JOIN custom_field f ON f.tenant_id = n.tenant_id AND f.object_type = TG_TABLE_NAME::text AND f.key = e.key
    CROSS JOIN LATERAL kontor_custom_field_rows(f.type, e.value) x
    WHERE o.custom_fields IS DISTINCT FROM n.custom_fields
      AND (o.custom_fields -> e.key) IS DISTINCT FROM e.value;
    RETURN NULL;
  END $$;

CREATE FUNCTION kontor_custom_values_deleted() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    DELETE FROM custom_field_value v
    USING old_rows o
    WHERE o.custom_fields <> '{}'::jsonb AND v.tenant_id = o.tenant_id AND v.record_id = o.id;
    RETURN NULL;
  END $$;

CREATE TRIGGER contact_custom_values_inserted AFTER INSERT ON contact
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kontor_custom_values_inserted();
CREATE TRIGGER contact_custom_values_updated AFTER UPDATE ON contact
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kontor_custom_values_updated();
CREATE TRIGGER contact_custom_values_deleted AFTER DELETE ON contact
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kontor_custom_values_deleted();

CREATE TRIGGER company_custom_values_inserted AFTER INSERT ON company
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kontor_custom_values_inserted();
CREATE TRIGGER company_custom_values_updated AFTER UPDATE ON company
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kontor_custom_values_updated();
CREATE TRIGGER company_custom_values_deleted AFTER DELETE ON company
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kontor_custom_values_deleted();
