-- Forms intake, set-based (modules/forms, issue 5's performance goal). The batch function now
-- writes a batch with one INSERT per table and tenant instead of calling kontor_form_intake for
-- each post, and it is called as a statement of its own (its own transaction, one round trip):
-- the processing jobs are sent after the commit by the intake, and the intake sweep
-- (forms.intake-sweep) covers a submission whose job was never sent.
--
-- What each post stores and answers is unchanged: 'gone' when its form is not published, else
-- its solved challenge is recorded ('replay' when it was used before, also earlier in the same
-- batch: the first post with it wins) and the submission is inserted as 'received' ('stored').
-- The transaction is bound to each tenant in turn (app.tenant_id) for that tenant's inserts, so
-- row-level security holds as in withTenant.
--
-- p_items: [{ "id", "formId", "version", "language", "data", "signatureHash", "expiresAt",
--             "consent", "newsletterIds" }, …] as written by forms.intake.ts.
CREATE OR REPLACE FUNCTION kontor_form_intake_batch(p_items jsonb)
  RETURNS TABLE (item_id uuid, intake_tenant uuid, outcome text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  DECLARE
    v_tenant uuid;
  BEGIN
    FOR v_tenant IN
      SELECT DISTINCT f.tenant_id
        FROM jsonb_array_elements(p_items) AS e(value)
        JOIN form f ON f.id = (e.value->>'formId')::uuid AND f.status = 'published'
    LOOP
      PERFORM set_config('app.tenant_id', v_tenant::text, true);
      RETURN QUERY
        WITH item AS (
          SELECT (e.value->>'id')::uuid AS id,
                 f.id AS form_id,
                 (e.value->>'version')::integer AS version,
                 e.value->>'language' AS language,
                 e.value->'data' AS data,
                 e.value->>'signatureHash' AS signature_hash,
                 (e.value->>'expiresAt')::timestamptz AS expires_at,
                 coalesce(e.value->'consent', '[]'::jsonb) AS consent,
                 coalesce(e.value->'newsletterIds', '[]'::jsonb) AS newsletter_ids,
                 e.n
            FROM jsonb_array_elements(p_items) WITH ORDINALITY AS e(value, n)
            JOIN form f ON f.id = (e.value->>'formId')::uuid AND f.status = 'published'
           WHERE f.tenant_id = v_tenant
        ),
        first_use AS (
          SELECT DISTINCT ON (i.signature_hash) i.n, i.signature_hash, i.expires_at
            FROM item i
           WHERE i.signature_hash IS NOT NULL
           ORDER BY i.signature_hash, i.n
        ),
        used AS (
          INSERT INTO form_challenge_use (signature_hash, expires_at)
            SELECT fu.signature_hash, fu.expires_at FROM first_use fu
            ON CONFLICT (signature_hash) DO NOTHING
            RETURNING form_challenge_use.signature_hash
        ),
        stored AS (
          INSERT INTO form_submission (id, tenant_id, form_id, form_version, language, data, status,
              consent, newsletter_ids)
            SELECT i.id, v_tenant, i.form_id, i.version, i.language, i.data, 'received', i.consent,
                   i.newsletter_ids
              FROM item i
             WHERE i.signature_hash IS NULL
                OR i.n IN (SELECT fu.n FROM first_use fu JOIN used u ON u.signature_hash = fu.signature_hash)
             ORDER BY i.n
            RETURNING form_submission.id
        )
        SELECT i.id, v_tenant, CASE WHEN s.id IS NULL THEN 'replay' ELSE 'stored' END
          FROM item i LEFT JOIN stored s ON s.id = i.id
         ORDER BY i.n;
    END LOOP;
    RETURN QUERY
      SELECT (e.value->>'id')::uuid, NULL::uuid, 'gone'::text
        FROM jsonb_array_elements(p_items) AS e(value)
       WHERE NOT EXISTS (
         SELECT 1 FROM form f WHERE f.id = (e.value->>'formId')::uuid AND f.status = 'published');
  END
  $$;
