-- Documents (modules/documents): files uploaded to a person or a company, their bytes in the blob
-- store (kernel/blob), and the kernel's queue of blobs to delete.

-- Kernel: blobs waiting to be deleted from the blob store (kernel/blob/sweep.ts). Not tenant
-- data: a key is `<tenant id>/<random uuid>`, never a name. Two kinds of rows:
--   * an upload's reservation, due an hour after the upload began; inserting the row that owns
--     the blob removes it in the same transaction, so a blob whose row never committed (a failed
--     insert, a killed process) is deleted once the reservation falls due;
--   * a deleted owner row's blob, due at once (document_blob_release below), in the deleting
--     transaction: a deletion that rolls back deletes no file.
-- The job kernel.sweep-blobs deletes each due blob, then its row; failures are retried later.
CREATE TABLE blob_deletion (
  key text PRIMARY KEY CHECK (key ~ '^[a-z0-9][a-z0-9_-]{0,99}(/[a-z0-9][a-z0-9_-]{0,99}){0,7}$'),
  due_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX blob_deletion_due ON blob_deletion (due_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON blob_deletion TO kontor_app;
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON blob_deletion
  FOR EACH ROW EXECUTE FUNCTION kontor_touch_updated_at();

-- A document belongs to exactly one person or one company and goes with it (ON DELETE CASCADE
-- through composite keys, so it can never point into another tenant). Its bytes are in the blob
-- store under blob_key; file_name is personal data (shown masked or not at all by field access).
CREATE TABLE document (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  contact_id uuid,
  company_id uuid,
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  -- Sniffed from the bytes and checked against the allow-list (documents.files.ts).
  content_type text NOT NULL CHECK (content_type ~ '^[a-z]+/[a-z0-9.+-]+$'),
  size integer NOT NULL CHECK (size > 0),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  blob_key text NOT NULL UNIQUE CHECK (blob_key LIKE (tenant_id::text || '/%')),
  -- No composite key: a deleted user leaves their uploads (uploaded_by becomes null).
  uploaded_by uuid REFERENCES app_user (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  CHECK (num_nonnulls(contact_id, company_id) = 1),
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contact (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, company_id) REFERENCES company (tenant_id, id) ON DELETE CASCADE
);
SELECT kontor_protect_tenant_table('document');
-- Documents are written once: uploaded, read, deleted.
REVOKE UPDATE ON document FROM kontor_app;
CREATE INDEX document_tenant_contact ON document (tenant_id, contact_id, created_at DESC, id DESC)
  WHERE contact_id IS NOT NULL;
CREATE INDEX document_tenant_company ON document (tenant_id, company_id, created_at DESC, id DESC)
  WHERE company_id IS NOT NULL;
CREATE INDEX document_uploaded_by ON document (uploaded_by) WHERE uploaded_by IS NOT NULL;

-- Documents follow their person's scope: a user limited to some groups sees (and adds)
-- documents only of persons carrying one of those tags (kontor_contact_in_scope, as the
-- contact_scope policy on contact). Companies are not scoped, nor are their documents.
CREATE POLICY document_contact_scope ON document AS RESTRICTIVE FOR ALL
  USING (contact_id IS NULL OR kontor_contact_in_scope(tenant_id, contact_id))
  WITH CHECK (contact_id IS NULL OR kontor_contact_in_scope(tenant_id, contact_id));

-- Inserting a document claims its upload's reservation. No open reservation (none made, or it
-- fell due and the sweep may be deleting the blob): the insert fails rather than point at a
-- blob that may be gone.
CREATE FUNCTION kontor_document_blob_claim() RETURNS trigger
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
CREATE TRIGGER document_blob_claim BEFORE INSERT ON document
  FOR EACH ROW EXECUTE FUNCTION kontor_document_blob_claim();

-- Every deleted document hands its blob to the sweep — deleted directly, or by the cascade of
-- its person, company or tenant. One statement-level insert per deleting statement.
CREATE FUNCTION kontor_document_blob_release() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    INSERT INTO blob_deletion (key, due_at)
    SELECT gone.blob_key, now() FROM gone
    ON CONFLICT (key) DO UPDATE SET due_at = least(blob_deletion.due_at, excluded.due_at);
    RETURN NULL;
  END $$;
CREATE TRIGGER document_blob_release AFTER DELETE ON document
  REFERENCING OLD TABLE AS gone
  FOR EACH STATEMENT EXECUTE FUNCTION kontor_document_blob_release();
