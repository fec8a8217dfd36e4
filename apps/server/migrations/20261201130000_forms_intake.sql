-- Forms intake (modules/forms): a public submission is stored first and processed later.
--
-- The public POST only checks the post (spam guard, values) and, in one short transaction,
-- inserts the submission with status 'received' (the mapped values, form version, language) and
-- its processing job. The job forms.process-submission then takes up to 100 received submissions
-- of the tenant in one transaction: contact created or updated, tags, timeline entry, audit,
-- automatic reply, staff notices, webhook; each submission ends 'processed' (with its contact) or
-- 'failed' (with a reason the submissions list shows, e.g. a unique custom-field value taken).
--
-- Rows from before this migration were processed in the request: they are 'processed'.

ALTER TABLE form_submission ALTER COLUMN contact_id DROP NOT NULL;
ALTER TABLE form_submission ADD COLUMN status text NOT NULL DEFAULT 'processed'
  CHECK (status IN ('received', 'processed', 'failed'));
ALTER TABLE form_submission ALTER COLUMN status SET DEFAULT 'received';
ALTER TABLE form_submission ADD COLUMN failure text CHECK (length(failure) <= 1000);
ALTER TABLE form_submission ADD COLUMN processed_at timestamptz;
ALTER TABLE form_submission ADD CONSTRAINT form_submission_processed_contact
  CHECK (status <> 'processed' OR contact_id IS NOT NULL);

-- What the processing job claims: the tenant's received submissions, oldest first.
CREATE INDEX form_submission_received ON form_submission (tenant_id, created_at, id)
  WHERE status = 'received';

-- The public POST's one statement (besides its job): finds the published form across tenants
-- (as kontor_published_form does), binds the transaction to the form's tenant (so row-level
-- security holds for the rest of it, as withTenant would), records the solved challenge (a
-- replay inserts nothing) and inserts the submission as 'received'. Returns the tenant and the
-- outcome: 'stored', 'replay' or 'gone' (no such published form). It can do nothing a visitor
-- cannot do through POST /public/forms/{id}.
CREATE FUNCTION kontor_form_intake(
  p_id uuid, p_form_id uuid, p_version integer, p_language text, p_data jsonb,
  p_signature_hash text, p_expires_at timestamptz)
  RETURNS TABLE (intake_tenant uuid, outcome text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  DECLARE
    v_tenant uuid;
  BEGIN
    SELECT f.tenant_id INTO v_tenant FROM form f WHERE f.id = p_form_id AND f.status = 'published';
    IF v_tenant IS NULL THEN
      RETURN QUERY SELECT NULL::uuid, 'gone'::text;
      RETURN;
    END IF;
    PERFORM set_config('app.tenant_id', v_tenant::text, true);
    IF p_signature_hash IS NOT NULL THEN
      INSERT INTO form_challenge_use (signature_hash, expires_at) VALUES (p_signature_hash, p_expires_at)
        ON CONFLICT (signature_hash) DO NOTHING;
      IF NOT FOUND THEN
        RETURN QUERY SELECT v_tenant, 'replay'::text;
        RETURN;
      END IF;
    END IF;
    INSERT INTO form_submission (id, tenant_id, form_id, form_version, language, data, status)
      VALUES (p_id, v_tenant, p_form_id, p_version, p_language, p_data, 'received');
    RETURN QUERY SELECT v_tenant, 'stored'::text;
  END
  $$;
REVOKE ALL ON FUNCTION kontor_form_intake(uuid, uuid, integer, text, jsonb, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kontor_form_intake(uuid, uuid, integer, text, jsonb, text, timestamptz) TO kontor_app;
