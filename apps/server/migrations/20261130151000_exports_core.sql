-- Exports (modules/exports): contact exports as CSV, XLSX or vCard, and the bulk-export rule —
-- an export of more records than the tenant's threshold waits for an approval
-- (approval_request, 20261130150000_approvals_core.sql) before anything is read. The produced
-- file lives in the blob store for 24 hours.

-- The bulk-export threshold: exports of more records than this need the privacy officer's
-- approval (issue 3, item 8). 0: every export does. Set in /api/v1/settings/privacy.
ALTER TABLE tenant
  ADD COLUMN bulk_export_threshold integer NOT NULL DEFAULT 500
    CHECK (bulk_export_threshold BETWEEN 0 AND 10000000);

CREATE TABLE data_export (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  -- Only this user may read the export's status and download its file.
  requested_by uuid NOT NULL,
  record_type text NOT NULL DEFAULT 'contact' CHECK (record_type IN ('contact')),
  format text NOT NULL CHECK (format IN ('csv', 'xlsx', 'vcard')),
  -- How the records were chosen, as asked: {"kind":"all"}, {"kind":"ids","ids":[…]},
  -- {"kind":"filter","filter":{…}} or {"kind":"selection","selectionId":…}.
  source jsonb NOT NULL CHECK (jsonb_typeof(source) = 'object'),
  -- The records, resolved under the requester's rights when asked: an approval covers exactly
  -- these. The job exports those the requester may still see when it runs.
  record_ids uuid[] NOT NULL,
  -- How many (kept apart so that listing exports never reads the arrays).
  record_count integer NOT NULL CHECK (record_count = cardinality(record_ids)),
  -- Field names asked for; NULL: every field. Hidden categories are left out when it runs.
  fields text[] CHECK (fields IS NULL OR cardinality(fields) BETWEEN 1 AND 100),
  -- Format options, e.g. {"delimiter":";"} for CSV.
  options jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(options) = 'object'),
  reason text CHECK (length(reason) BETWEEN 1 AND 1000),
  status text NOT NULL CHECK (status IN (
    'awaiting_approval', 'queued', 'running', 'ready', 'failed', 'rejected', 'cancelled', 'expired')),
  approval_id uuid,
  -- How many records were in the file when it was made (some may have gone meanwhile).
  exported_count integer CHECK (exported_count >= 0),
  error_code text CHECK (error_code ~ '^[A-Z][A-Z0-9_]{0,63}$'),
  file_name text CHECK (length(file_name) BETWEEN 1 AND 200),
  content_type text CHECK (length(content_type) BETWEEN 1 AND 200),
  -- The file's bytes are in the blob store (kernel/blob) under this key while it is ready.
  blob_key text UNIQUE CHECK (blob_key LIKE (tenant_id::text || '/%')),
  byte_size integer CHECK (byte_size >= 0),
  started_at timestamptz,
  finished_at timestamptz,
  -- When the file is deleted (24 hours after it was made).
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  CHECK (status <> 'awaiting_approval' OR approval_id IS NOT NULL),
  CHECK (status <> 'ready' OR (expires_at IS NOT NULL AND file_name IS NOT NULL AND blob_key IS NOT NULL)),
  CHECK (blob_key IS NULL OR status = 'ready'),
  FOREIGN KEY (tenant_id, approval_id) REFERENCES approval_request (tenant_id, id)
);
SELECT kontor_protect_tenant_table('data_export');
CREATE INDEX data_export_tenant_requester ON data_export (tenant_id, requested_by, created_at DESC, id DESC);
CREATE INDEX data_export_tenant_approval ON data_export (tenant_id, approval_id) WHERE approval_id IS NOT NULL;
-- The clean-up job: files past their expiry.
CREATE INDEX data_export_tenant_expiry ON data_export (tenant_id, expires_at) WHERE status = 'ready';

-- The file's blob follows the pattern of documents (20261130100000_documents_core.sql): the job
-- reserves a key in blob_deletion before it writes the bytes; setting blob_key claims the
-- reservation in the same transaction (no open reservation: the update fails rather than point
-- at a blob the sweep may be deleting). Clearing blob_key (the file expired) or deleting the row
-- (a tenant deleted) hands the key back, due at once, in that transaction: the kernel's
-- kernel.sweep-blobs job then deletes the bytes.
CREATE FUNCTION kontor_data_export_blob_claim() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    DELETE FROM blob_deletion WHERE key = NEW.blob_key AND due_at > now();
    IF NOT FOUND THEN
      RAISE EXCEPTION 'blob % has no open upload reservation', NEW.blob_key
        USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN NEW;
  END $$;
-- (Rows are inserted without a file: queued or awaiting approval; the key comes with `ready`.)
CREATE TRIGGER data_export_blob_claim BEFORE UPDATE OF blob_key ON data_export
  FOR EACH ROW WHEN (NEW.blob_key IS NOT NULL AND NEW.blob_key IS DISTINCT FROM OLD.blob_key)
  EXECUTE FUNCTION kontor_data_export_blob_claim();

CREATE FUNCTION kontor_data_export_blob_release() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    INSERT INTO blob_deletion (key, due_at) VALUES (OLD.blob_key, now())
    ON CONFLICT (key) DO UPDATE SET due_at = least(blob_deletion.due_at, excluded.due_at);
    RETURN NULL;
  END $$;
CREATE TRIGGER data_export_blob_release_update AFTER UPDATE OF blob_key ON data_export
  FOR EACH ROW WHEN (OLD.blob_key IS NOT NULL AND OLD.blob_key IS DISTINCT FROM NEW.blob_key)
  EXECUTE FUNCTION kontor_data_export_blob_release();
CREATE TRIGGER data_export_blob_release_delete AFTER DELETE ON data_export
  FOR EACH ROW WHEN (OLD.blob_key IS NOT NULL)
  EXECUTE FUNCTION kontor_data_export_blob_release();
