-- Imports (modules/imports): contacts from CSV and XLSX files. An import is uploaded (its file
-- kept here in chunks), previewed, started with a column mapping, and run by a job in batches;
-- each batch commits its contacts together with the checkpoint (next_row), so a killed worker
-- resumes where the last commit left off: every row exactly once.

CREATE TABLE data_import (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  -- Only this user sees the import: its preview and error report hold the file's values, of
  -- columns field access cannot classify. No foreign key, as for audit actors: the prune job
  -- removes imports of users who are gone.
  created_by uuid NOT NULL,
  -- The audit actor kind of the creator's request. The job acts with the creator's grants as they
  -- are when it runs (rights, contact scope): someone who lost contacts:create imports nothing.
  actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'api_token')),
  -- The file as it was uploaded. Its name is shown to its owner only.
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  file_kind text NOT NULL CHECK (file_kind IN ('csv', 'xlsx')),
  byte_size bigint NOT NULL DEFAULT 0 CHECK (byte_size >= 0),
  -- CSV: detected (or given) text encoding and delimiter. XLSX: the sheet read, and all sheets.
  encoding text CHECK (encoding IN ('utf-8', 'utf-16le', 'windows-1252')),
  delimiter text CHECK (delimiter IN (',', ';', E'\t', '|')),
  sheet text CHECK (length(sheet) BETWEEN 1 AND 100),
  sheets text[] NOT NULL DEFAULT '{}',
  -- Column names from the header row (made unique), and the mapping suggested for them.
  columns text[] NOT NULL DEFAULT '{}',
  suggested_mapping jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(suggested_mapping) = 'object'),
  -- Set by start: {"<column>": "<target>"} and {"dedupe", "tags", "defaultCountry"}.
  mapping jsonb CHECK (mapping IS NULL OR jsonb_typeof(mapping) = 'object'),
  options jsonb CHECK (options IS NULL OR jsonb_typeof(options) = 'object'),
  status text NOT NULL CHECK (status IN ('uploading', 'uploaded', 'running', 'completed', 'failed', 'cancelled')),
  -- Data rows of the file (blank rows not counted).
  total_rows integer NOT NULL DEFAULT 0 CHECK (total_rows >= 0),
  -- The checkpoint: data rows done, in file order. Moves only with a committed batch.
  next_row integer NOT NULL DEFAULT 0 CHECK (next_row >= 0),
  created_count integer NOT NULL DEFAULT 0 CHECK (created_count >= 0),
  updated_count integer NOT NULL DEFAULT 0 CHECK (updated_count >= 0),
  skipped_count integer NOT NULL DEFAULT 0 CHECK (skipped_count >= 0),
  failed_count integer NOT NULL DEFAULT 0 CHECK (failed_count >= 0),
  -- Why the import failed as a whole (no personal data), e.g. IMPORTS_JOB_FAILED.
  error_code text CHECK (error_code ~ '^[A-Z][A-Z0-9_]{0,63}$'),
  started_at timestamptz,
  finished_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  CHECK (next_row <= total_rows),
  CHECK (created_count + updated_count + skipped_count + failed_count = next_row),
  CHECK (status NOT IN ('running', 'completed') OR (mapping IS NOT NULL AND options IS NOT NULL))
);
SELECT kontor_protect_tenant_table('data_import');
CREATE INDEX data_import_tenant_creator ON data_import (tenant_id, created_by, created_at DESC, id DESC);
-- The prune job: stale uploads and old finished imports.
CREATE INDEX data_import_tenant_status ON data_import (tenant_id, status, updated_at);

-- The uploaded file in chunks (4 MiB each, in order, base64), kept while the import may still
-- run and deleted when it completes, fails, is cancelled or expires. Base64 text, not bytea: the
-- embedded database takes a 4 MiB bytea parameter in ~2.5 s and gives it back in ~1.3 s, the same
-- as text in ~0.3 s and ~0.05 s (PGlite 0.5.14, measured); node-postgres sends bytea as hex text.
CREATE TABLE data_import_chunk (
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  import_id uuid NOT NULL,
  seq integer NOT NULL CHECK (seq >= 0),
  data text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, import_id, seq),
  FOREIGN KEY (tenant_id, import_id) REFERENCES data_import (tenant_id, id) ON DELETE CASCADE
);
SELECT kontor_protect_tenant_table('data_import_chunk');
REVOKE UPDATE ON data_import_chunk FROM kontor_app;
-- Stored as it comes, uncompressed: compressing 4 MiB of text (pglz) on the way in and again on
-- every read costs more CPU than the disk it saves for a file kept minutes to hours.
ALTER TABLE data_import_chunk ALTER COLUMN data SET STORAGE EXTERNAL;

-- The error report: each row that was not imported, with its values as they were in the file
-- (by column, in column order) and what was wrong, field by field. Deleted with its import.
CREATE TABLE data_import_error (
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  import_id uuid NOT NULL,
  -- The row as a spreadsheet numbers it: the header is row 1.
  row_number integer NOT NULL CHECK (row_number >= 1),
  -- ["Anna", "Müller", …]: the row's cells, one per column.
  cells jsonb NOT NULL CHECK (jsonb_typeof(cells) = 'array'),
  -- [{"path": "iban", "column": "IBAN", "message": "…"}]
  errors jsonb NOT NULL CHECK (jsonb_typeof(errors) = 'array'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, import_id, row_number),
  FOREIGN KEY (tenant_id, import_id) REFERENCES data_import (tenant_id, id) ON DELETE CASCADE
);
SELECT kontor_protect_tenant_table('data_import_error');
REVOKE UPDATE ON data_import_error FROM kontor_app;

-- Dedupe by email for the import (modules/contacts/contacts.import.ts, the contacts module's entry
-- for imports): of the given addresses, the oldest contact of the current tenant with each — for a
-- user limited to groups, of their groups (kontor_contact_in_scope, the rule of the restrictive
-- contact_scope policy). SECURITY DEFINER, as kontor_search_ids: citext's equality is not
-- LEAKPROOF, so a query under row-level security cannot use the (tenant_id, email) index and
-- reads every contact of the tenant, once per batch (0.9 s a batch at 100k contacts); this
-- function filters by tenant and scope itself and answers ids only.
CREATE FUNCTION kontor_contacts_by_email(p_emails text[]) RETURNS TABLE (email_key text, contact_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT DISTINCT ON (lower(c.email::text)) lower(c.email::text), c.id
    FROM contact c
    WHERE c.tenant_id = kontor_current_tenant()
      AND c.email = ANY (p_emails::citext[])
      AND (nullif(current_setting('app.contact_scope', true), '') IS NULL
        OR kontor_contact_in_scope(c.tenant_id, c.id))
    ORDER BY lower(c.email::text), c.created_at, c.id
  $$;
REVOKE ALL ON FUNCTION kontor_contacts_by_email(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kontor_contacts_by_email(text[]) TO kontor_app;
