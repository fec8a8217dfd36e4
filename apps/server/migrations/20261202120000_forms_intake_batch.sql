-- Forms intake in batches (modules/forms, issue 5's performance goal): the public POSTs that
-- arrive while the previous intake write is still in flight are written together — one
-- transaction, this one statement and one processing job per tenant and 100 submissions —
-- instead of a transaction with four round trips each. What each post stores is unchanged
-- (kontor_form_intake, called once per item). No savepoint per item (a subtransaction each costs
-- more than the insert): when the batch fails, the intake writes its posts again one by one, so
-- one bad post fails alone.
--
-- p_items: [{ "id", "formId", "version", "language", "data", "signatureHash", "expiresAt",
--             "consent", "newsletterIds" }, …] as written by forms.intake.ts.
CREATE FUNCTION kontor_form_intake_batch(p_items jsonb)
  RETURNS TABLE (item_id uuid, intake_tenant uuid, outcome text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  DECLARE
    v_item jsonb;
    v_tenant uuid;
    v_outcome text;
  BEGIN
    FOR v_item IN SELECT value FROM jsonb_array_elements(p_items) LOOP
      SELECT i.intake_tenant, i.outcome INTO v_tenant, v_outcome
        FROM kontor_form_intake(
          (v_item->>'id')::uuid, (v_item->>'formId')::uuid, (v_item->>'version')::integer,
          v_item->>'language', v_item->'data', v_item->>'signatureHash',
          (v_item->>'expiresAt')::timestamptz, coalesce(v_item->'consent', '[]'::jsonb),
          coalesce(v_item->'newsletterIds', '[]'::jsonb)) AS i;
      item_id := (v_item->>'id')::uuid;
      intake_tenant := v_tenant;
      outcome := v_outcome;
      RETURN NEXT;
    END LOOP;
  END
  $$;
REVOKE ALL ON FUNCTION kontor_form_intake_batch(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kontor_form_intake_batch(jsonb) TO kontor_app;
