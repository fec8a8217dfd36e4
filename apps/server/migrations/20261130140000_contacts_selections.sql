-- Saved selections (modules/contacts/selections): a named filter over contacts, kept as the JSON
-- of the one filter language (validated by the service with its zod schema, compiled to SQL at
-- each use; see selections.compile.ts). The filter is not evaluated here: a selection stores the
-- question, never its answer, so counts and members are always current and always limited to
-- what the asking user may see.

CREATE TABLE selection (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  -- Case-insensitively unique per tenant, like tag names ("VIP Zürich" and "vip zürich" are one).
  name citext NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description text CHECK (length(description) BETWEEN 1 AND 2000),
  filter jsonb NOT NULL CHECK (jsonb_typeof(filter) = 'object'),
  -- The user who saved it; null once that user is deleted (the selection stays for the team).
  created_by uuid REFERENCES app_user (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name),
  UNIQUE (tenant_id, id)
);
SELECT kontor_protect_tenant_table('selection');
-- Deleting a user clears created_by; without this index that is a scan of every selection.
CREATE INDEX selection_created_by ON selection (created_by) WHERE created_by IS NOT NULL;

-- A person's city as filters compare it: folded as search folds (kontor_fold: lower case, no
-- accents, ae/oe/ue → a/o/u), kept as a column of its own. Under row-level security PostgreSQL
-- uses an index only for LEAKPROOF comparisons on plain columns; `kontor_fold(city) = …` is
-- neither (unaccent, lower and replace are not LEAKPROOF), so it would be evaluated on every
-- contact of the tenant. `city_fold = kontor_fold($1)` is a plain text comparison (LEAKPROOF),
-- and "C" collation lets `starts_with` use the index too. The index leads with tenant_id and
-- carries id, which is all the policies and a count need: a count of "tags + custom field + city"
-- is answered from indexes alone (see the contacts README).
ALTER TABLE contact ADD COLUMN city_fold text COLLATE "C" GENERATED ALWAYS AS (kontor_fold(city)) STORED;
CREATE INDEX contact_tenant_city_fold ON contact (tenant_id, city_fold, id);

-- Parallel plans under row-level security. The contact_scope policy calls
-- kontor_contact_in_scope(), which was PARALLEL UNSAFE (the default): no query on contact as the
-- application role could use parallel workers, while the same query as the owner did — at 1M
-- contacts a selection count ran in one process against the owner's three. The function only
-- reads (contact_tag, tag and the transaction's app.contact_scope, which parallel workers
-- inherit like app.tenant_id, read by the PARALLEL SAFE kontor_current_tenant()).
ALTER FUNCTION kontor_contact_in_scope(uuid, uuid) PARALLEL SAFE;
