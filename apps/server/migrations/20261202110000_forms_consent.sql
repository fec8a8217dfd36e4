-- Forms × consent (issue 6): a submission keeps the consent answers the visitor gave, each with
-- the question version they were shown, and the newsletters they ticked. The processing job
-- records the answers with the consent module (source 'form', the submission as reference) and
-- starts double opt-in for each ticked newsletter.
--
-- consent: [{ "questionId": uuid, "version": int, "optionKey": text }] (JSON written by the
-- forms module; camelCase keys, read as text). newsletter_ids: [uuid, …] as a JSON array.
-- Both are the contact's personal data with the rest of the submission (deleted with it).

ALTER TABLE form_submission ADD COLUMN consent jsonb NOT NULL DEFAULT '[]'::jsonb
  CHECK (jsonb_typeof(consent) = 'array');
ALTER TABLE form_submission ADD COLUMN newsletter_ids jsonb NOT NULL DEFAULT '[]'::jsonb
  CHECK (jsonb_typeof(newsletter_ids) = 'array');

-- The public POST's one statement gains the answers and the newsletters. The two new arguments
-- have defaults: a process still running the previous code calls it with seven, as before.
DROP FUNCTION kontor_form_intake(uuid, uuid, integer, text, jsonb, text, timestamptz);
CREATE FUNCTION kontor_form_intake(
  p_id uuid, p_form_id uuid, p_version integer, p_language text, p_data jsonb,
  p_signature_hash text, p_expires_at timestamptz,
  p_consent jsonb DEFAULT '[]'::jsonb, p_newsletter_ids jsonb DEFAULT '[]'::jsonb)
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
    INSERT INTO form_submission (id, tenant_id, form_id, form_version, language, data, status, consent,
        newsletter_ids)
      VALUES (p_id, v_tenant, p_form_id, p_version, p_language, p_data, 'received',
        coalesce(p_consent, '[]'::jsonb), coalesce(p_newsletter_ids, '[]'::jsonb));
    RETURN QUERY SELECT v_tenant, 'stored'::text;
  END
  $$;
REVOKE ALL ON FUNCTION kontor_form_intake(uuid, uuid, integer, text, jsonb, text, timestamptz, jsonb, jsonb)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kontor_form_intake(uuid, uuid, integer, text, jsonb, text, timestamptz, jsonb, jsonb)
  TO kontor_app;
