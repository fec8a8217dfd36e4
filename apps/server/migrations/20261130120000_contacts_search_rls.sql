-- Contacts search at a million rows, under row-level security (modules/contacts, issue 4).
--
-- Why: a search run as the application role cannot use a trigram index — pg_trgm's operators are
-- not LEAKPROOF, so PostgreSQL evaluates them after the RLS policies, on every row of the tenant.
-- And even as the owner, matching and ranking by similarity to the whole search text of every
-- candidate row took seconds at 1M contacts (`Zürich`: 75k candidates, ~50 µs each).
--
-- What:
-- 1. Every contact and company carries `search_keys`: the words of its searched fields, each as
--    `<first 8 hex digits of the tenant id><part letter><folded word>` (GIN index). The part says
--    which field a word comes from, so that a search matches only what the searcher sees:
--    contacts n = name (identity), a = city (address), e = email (contact details),
--    o = company name (always shown); companies o = name, a = city, e = email, v = VAT id
--    (billing). The tenant prefix keeps a key's posting list to one tenant.
-- 2. `search_word`: the tenant's vocabulary (each distinct word once), kept by statement-level
--    triggers. Typo, prefix and part-of-a-word matching look words up here (short strings, a
--    trigram index), and the records are then found by exact keys.
-- 3. `kontor_search_ids()`: SECURITY DEFINER, so that its queries may use the indexes; it filters
--    explicitly by `kontor_current_tenant()` and by `kontor_contact_in_scope()` (the function the
--    restrictive `contact_scope` policy applies), returns ids only, and the caller loads those
--    rows through the normal RLS-bound query.
-- 4. Lists: the `contact_scope` policy no longer calls a function per row for unscoped users,
--    and `contact_tag` carries its contact's created_at, so that a page filtered by a tag is one
--    index range.

-- The words of a folded text as search keys: runs of letters (a–z and anything beyond Latin-1's
-- punctuation: Greek, Cyrillic, CJK …), each prefixed. Digits and punctuation separate words.
-- One expression without subqueries, so that PostgreSQL can inline it (no per-row function call).
CREATE FUNCTION kontor_search_keys(p_prefix text, p_folded text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT array_remove(string_to_array(
      p_prefix || regexp_replace(coalesce(p_folded, ''), '[^a-z\u00c0-\u1fff\u3040-\uffff]+', ' ' || p_prefix, 'g'),
      ' '), p_prefix)
  $$;

-- The search words of a query, as they are stored: folded letter runs, at most 8 (the first).
CREATE FUNCTION kontor_search_query_words(p_query text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT coalesce((array_agg(w ORDER BY min_pos))[1:8], '{}')
    FROM (
      SELECT w, min(pos) AS min_pos
      FROM regexp_split_to_table(kontor_fold(coalesce(p_query, '')), '[^a-z\u00c0-\u1fff\u3040-\uffff]+')
        WITH ORDINALITY AS t (w, pos)
      WHERE w <> ''
      GROUP BY w
    ) words
  $$;

ALTER TABLE contact ADD COLUMN search_keys text[] NOT NULL DEFAULT '{}';
ALTER TABLE company ADD COLUMN search_keys text[] NOT NULL DEFAULT '{}';
-- The digits of the phone numbers (contact: phone and mobile), space-separated: a number is
-- searched as a substring here (trigram GIN). search_text stays (folded text and digits, one
-- string, for reading), without its trigram index: that index held ~80 trigrams per row — the
-- costliest part of inserting a contact — and search no longer reads it.
ALTER TABLE contact ADD COLUMN search_digits text NOT NULL DEFAULT '';
ALTER TABLE company ADD COLUMN search_digits text NOT NULL DEFAULT '';
DROP INDEX contact_search_trgm;
DROP INDEX company_search_trgm;

-- Both columns are computed with one kontor_fold() call per row (it is the costly part: unaccent
-- cannot be inlined). Parts are joined with the unit separator, which is removed from the values
-- first so that no value can move a word into another part.
CREATE OR REPLACE FUNCTION kontor_contact_search_trigger() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  DECLARE
    v_company text;
    v_part text[];
    v_tag text := left(NEW.tenant_id::text, 8);
  BEGIN
    IF NEW.company_id IS NOT NULL THEN
      SELECT co.name INTO v_company FROM company co WHERE co.tenant_id = NEW.tenant_id AND co.id = NEW.company_id;
    END IF;
    v_part := string_to_array(kontor_fold(concat_ws(E'\x1f',
      replace(coalesce(NEW.first_name, ''), E'\x1f', ' '), replace(coalesce(NEW.last_name, ''), E'\x1f', ' '),
      replace(coalesce(v_company, ''), E'\x1f', ' '), replace(coalesce(NEW.email::text, ''), E'\x1f', ' '),
      replace(coalesce(NEW.city, ''), E'\x1f', ' '))), E'\x1f');
    NEW.search_digits := concat_ws(' ', nullif(kontor_phone_digits(NEW.phone), ''), nullif(kontor_phone_digits(NEW.mobile), ''));
    NEW.search_text := trim(concat_ws(' ',
      nullif(v_part[1], ''), nullif(v_part[2], ''), nullif(v_part[3], ''), nullif(v_part[4], ''), nullif(v_part[5], ''),
      nullif(NEW.search_digits, '')));
    NEW.search_keys := kontor_search_keys(v_tag || 'n', v_part[1] || ' ' || v_part[2])
      || kontor_search_keys(v_tag || 'o', v_part[3])
      || kontor_search_keys(v_tag || 'e', v_part[4])
      || kontor_search_keys(v_tag || 'a', v_part[5]);
    RETURN NEW;
  END $$;

CREATE OR REPLACE FUNCTION kontor_company_search_trigger() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  DECLARE
    v_part text[];
    v_tag text := left(NEW.tenant_id::text, 8);
  BEGIN
    v_part := string_to_array(kontor_fold(concat_ws(E'\x1f',
      replace(NEW.name, E'\x1f', ' '), replace(coalesce(NEW.email::text, ''), E'\x1f', ' '),
      replace(coalesce(NEW.city, ''), E'\x1f', ' '), replace(coalesce(NEW.vat_id, ''), E'\x1f', ' '))), E'\x1f');
    NEW.search_digits := kontor_phone_digits(NEW.phone);
    NEW.search_text := trim(concat_ws(' ',
      nullif(v_part[1], ''), nullif(v_part[2], ''), nullif(v_part[3], ''), nullif(v_part[4], ''),
      nullif(NEW.search_digits, '')));
    NEW.search_keys := kontor_search_keys(v_tag || 'o', v_part[1])
      || kontor_search_keys(v_tag || 'e', v_part[2])
      || kontor_search_keys(v_tag || 'a', v_part[3])
      || kontor_search_keys(v_tag || 'v', v_part[4]);
    RETURN NEW;
  END $$;

-- A renamed company: its persons' search columns are recomputed by their own trigger (which reads
-- the new name); their updated_at moves with it, as before.
CREATE OR REPLACE FUNCTION kontor_company_renamed_trigger() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    UPDATE contact c SET search_text = c.search_text
    WHERE c.tenant_id = NEW.tenant_id AND c.company_id = NEW.id;
    RETURN NULL;
  END $$;

-- The vocabulary: every word (2+ letters) of some contact's or company's search keys, once per
-- tenant — nearly: there is no unique constraint, so that adding words never waits for another
-- transaction adding the same new word (nor deadlocks with it); such a race can leave a word
-- twice, which look-ups fold (GROUP BY) and removal deletes alike. "C" collation: byte order, so
-- a prefix is a range of the btree on any server.
CREATE TABLE search_word (
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  word text COLLATE "C" NOT NULL
);
SELECT kontor_protect_tenant_table('search_word');
CREATE INDEX search_word_tenant_word ON search_word (tenant_id, word);
-- No tenant_id first (that needs btree_gin); every look-up filters by tenant.
CREATE INDEX search_word_trgm ON search_word USING gin (word gin_trgm_ops);

-- Backfill through the triggers above, then index (faster than maintaining the indexes row by
-- row). updated_at must not move: its trigger is off meanwhile.
ALTER TABLE company DISABLE TRIGGER touch_updated_at;
UPDATE company SET search_text = search_text;
ALTER TABLE company ENABLE TRIGGER touch_updated_at;
ALTER TABLE contact DISABLE TRIGGER touch_updated_at;
UPDATE contact SET search_text = search_text;
ALTER TABLE contact ENABLE TRIGGER touch_updated_at;
INSERT INTO search_word (tenant_id, word)
SELECT DISTINCT r.tenant_id, substr(k, 10)
FROM (SELECT tenant_id, search_keys FROM contact UNION ALL SELECT tenant_id, search_keys FROM company) r
CROSS JOIN LATERAL unnest(r.search_keys) AS k
WHERE length(k) >= 11;
CREATE INDEX contact_search_keys ON contact USING gin (search_keys);
CREATE INDEX company_search_keys ON company USING gin (search_keys);
CREATE INDEX contact_search_digits ON contact USING gin (search_digits gin_trgm_ops);
CREATE INDEX company_search_digits ON company USING gin (search_digits gin_trgm_ops);

-- Keeping the vocabulary: new words are added after each INSERT or UPDATE statement (one
-- statement for all its rows: an import adds its words at once), as the writing role; a word
-- that no record has any more is removed after each UPDATE or DELETE (erasure leaves no word of
-- the erased behind). Removal looks past the writer's contact scope (a word is kept while any
-- record of the tenant has it): SECURITY DEFINER.
-- An UPDATE adds the missing words of every row whose keys changed, not only its new ones: a word
-- lost to a race with a concurrent removal comes back with the next such change.
CREATE FUNCTION kontor_search_words_added() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO search_word (tenant_id, word)
      SELECT DISTINCT n.tenant_id, substr(k, 10)
      FROM new_rows n CROSS JOIN LATERAL unnest(n.search_keys) AS k
      WHERE length(k) >= 11
        AND NOT EXISTS (SELECT 1 FROM search_word w WHERE w.tenant_id = n.tenant_id AND w.word = substr(k, 10));
    ELSE
      INSERT INTO search_word (tenant_id, word)
      SELECT DISTINCT n.tenant_id, substr(k, 10)
      FROM new_rows n JOIN old_rows o ON o.id = n.id
      CROSS JOIN LATERAL unnest(n.search_keys) AS k
      WHERE length(k) >= 11 AND n.search_keys IS DISTINCT FROM o.search_keys
        AND NOT EXISTS (SELECT 1 FROM search_word w WHERE w.tenant_id = n.tenant_id AND w.word = substr(k, 10));
    END IF;
    RETURN NULL;
  END $$;

-- Every key a word can have in a tenant (all parts of contacts and companies).
CREATE FUNCTION kontor_search_word_keys(p_tenant_id uuid, p_word text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT ARRAY[left(p_tenant_id::text, 8) || 'n' || p_word, left(p_tenant_id::text, 8) || 'a' || p_word,
      left(p_tenant_id::text, 8) || 'e' || p_word, left(p_tenant_id::text, 8) || 'o' || p_word,
      left(p_tenant_id::text, 8) || 'v' || p_word]
  $$;

-- Removes the given words of a tenant from the vocabulary unless a contact or company has them.
-- One query per word, through the GIN index only (bitmap scans): a rare word — the usual case
-- when its last record goes — reads its short posting list; a common one its long list, a few
-- ms. Left to the planner, a set-based NOT EXISTS became one anti-join over the whole tenant
-- (4.7 s for one deleted contact at 1M), and a word the statistics call rare-but-present a
-- sequential scan until the first match, i.e. the whole table once its last record is gone.
CREATE FUNCTION kontor_search_words_prune(p_tenant_id uuid, p_words text[]) RETURNS void
  LANGUAGE plpgsql VOLATILE
  SET enable_seqscan = off
  SET enable_indexscan = off
  AS $$
  DECLARE
    v_word text;
    v_keys text;
    v_used boolean;
  BEGIN
    FOR v_word IN SELECT DISTINCT x FROM unnest(p_words) AS x ORDER BY 1 LOOP
      v_keys := quote_literal(kontor_search_word_keys(p_tenant_id, v_word)::text);
      EXECUTE format(
        'SELECT EXISTS (SELECT 1 FROM contact c WHERE c.tenant_id = %L::uuid AND c.search_keys && %s::text[])
           OR EXISTS (SELECT 1 FROM company c WHERE c.tenant_id = %L::uuid AND c.search_keys && %s::text[])',
        p_tenant_id, v_keys, p_tenant_id, v_keys)
        INTO v_used;
      IF NOT v_used THEN
        DELETE FROM search_word w WHERE w.tenant_id = p_tenant_id AND w.word = (v_word COLLATE "C");
      END IF;
    END LOOP;
  END $$;
REVOKE ALL ON FUNCTION kontor_search_words_prune(uuid, text[]) FROM PUBLIC;

CREATE FUNCTION kontor_search_words_removed() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  DECLARE
    r record;
  BEGIN
    IF TG_OP = 'DELETE' THEN
      FOR r IN
        SELECT o.tenant_id, array_agg(DISTINCT substr(k, 10)) AS words
        FROM old_rows o CROSS JOIN LATERAL unnest(o.search_keys) AS k
        WHERE length(k) >= 11
        GROUP BY o.tenant_id
      LOOP
        PERFORM kontor_search_words_prune(r.tenant_id, r.words);
      END LOOP;
    ELSE
      FOR r IN
        SELECT o.tenant_id, array_agg(DISTINCT substr(k, 10)) AS words
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        CROSS JOIN LATERAL unnest(o.search_keys) AS k
        WHERE length(k) >= 11 AND o.search_keys IS DISTINCT FROM n.search_keys AND NOT (k = ANY (n.search_keys))
        GROUP BY o.tenant_id
      LOOP
        PERFORM kontor_search_words_prune(r.tenant_id, r.words);
      END LOOP;
    END IF;
    RETURN NULL;
  END $$;

-- Transition tables allow one event per trigger.
CREATE TRIGGER contact_search_words_inserted AFTER INSERT ON contact
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kontor_search_words_added();
CREATE TRIGGER contact_search_words_updated AFTER UPDATE ON contact
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kontor_search_words_added();
CREATE TRIGGER contact_search_words_replaced AFTER UPDATE ON contact
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kontor_search_words_removed();
CREATE TRIGGER contact_search_words_deleted AFTER DELETE ON contact
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kontor_search_words_removed();
CREATE TRIGGER company_search_words_inserted AFTER INSERT ON company
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kontor_search_words_added();
CREATE TRIGGER company_search_words_updated AFTER UPDATE ON company
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kontor_search_words_added();
CREATE TRIGGER company_search_words_replaced AFTER UPDATE ON company
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kontor_search_words_removed();
CREATE TRIGGER company_search_words_deleted AFTER DELETE ON company
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kontor_search_words_removed();

-- The contact scope, checked on every row a contact query reads (restrictive policy
-- contact_scope): the unscoped case (most users) is decided in the policy itself, without a
-- function call per row (a SQL function with a subquery cannot be inlined: ~30 µs a row, 150 ms
-- for a list page filtered by a tag at 1M contacts); the scoped case in PL/pgSQL, whose plan is
-- cached (the SQL function was planned on every call). The rule itself is unchanged.
CREATE OR REPLACE FUNCTION kontor_contact_in_scope(p_tenant_id uuid, p_contact_id uuid) RETURNS boolean
  LANGUAGE plpgsql STABLE
  AS $$
  DECLARE
    v_scope text := nullif(current_setting('app.contact_scope', true), '');
  BEGIN
    IF v_scope IS NULL THEN
      RETURN true;
    END IF;
    RETURN EXISTS (
      SELECT 1
      FROM contact_tag ct
      JOIN tag t ON t.tenant_id = ct.tenant_id AND t.id = ct.tag_id
      WHERE ct.tenant_id = p_tenant_id AND ct.contact_id = p_contact_id
        AND t.name = ANY (ARRAY(SELECT jsonb_array_elements_text(v_scope::jsonb))::citext[]));
  END $$;
ALTER POLICY contact_scope ON contact
  USING (nullif(current_setting('app.contact_scope', true), '') IS NULL OR kontor_contact_in_scope(tenant_id, id));

-- Lists by tag: a tag's members in contact order. contact_tag carries its contact's created_at
-- (set by a trigger on insert; kept if a contact's created_at is ever changed), so a list
-- filtered by a tag reads one index range in page order instead of probing the newest contacts
-- one by one for the tag. The look-up runs as the owner: a scoped user tags a contact it cannot
-- see yet (a new contact has no tags), and the value copied is only a timestamp of the row the
-- foreign key already ties to the same tenant.
ALTER TABLE contact_tag ADD COLUMN contact_created_at timestamptz;
ALTER TABLE contact_tag DISABLE TRIGGER touch_updated_at;
UPDATE contact_tag j SET contact_created_at = c.created_at
FROM contact c WHERE c.tenant_id = j.tenant_id AND c.id = j.contact_id;
ALTER TABLE contact_tag ENABLE TRIGGER touch_updated_at;
CREATE INDEX contact_tag_tenant_tag_created
  ON contact_tag (tenant_id, tag_id, contact_created_at DESC, contact_id DESC);

CREATE FUNCTION kontor_contact_tag_created_at() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  BEGIN
    SELECT c.created_at INTO NEW.contact_created_at
    FROM contact c WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.contact_id;
    RETURN NEW;
  END $$;
CREATE TRIGGER contact_tag_created_at BEFORE INSERT OR UPDATE OF tenant_id, contact_id ON contact_tag
  FOR EACH ROW EXECUTE FUNCTION kontor_contact_tag_created_at();

CREATE FUNCTION kontor_contact_created_at_moved() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  BEGIN
    UPDATE contact_tag j SET contact_created_at = NEW.created_at
    WHERE j.tenant_id = NEW.tenant_id AND j.contact_id = NEW.id;
    RETURN NULL;
  END $$;
CREATE TRIGGER contact_created_at_moved AFTER UPDATE OF created_at ON contact
  FOR EACH ROW WHEN (OLD.created_at IS DISTINCT FROM NEW.created_at)
  EXECUTE FUNCTION kontor_contact_created_at_moved();

-- The search: ids of the current tenant's best matches, best first, at most p_limit.
--   p_kind     'contact' or 'company'
--   p_words    the query's words as typed (NULL for a phone number search), or
--   p_digits   the digits of a phone number (3 or more), found anywhere in the numbers
--   p_parts    the parts the searcher sees in full (letters of 'naeo' for contacts, 'oaev' for
--              companies, see search_keys): a word matches only in those, a phone number or a
--              digit run only with 'e' (contact details)
--   p_tags     names of tags the record must all carry; p_company_id: persons of that company
-- Each query word must match. Matches come in steps, the newest first within each: 1 every word
-- is a word of the record; 2 … or the beginning of one; 3 … or a part of one (3+ letters);
-- 4 … or spelled alike (pg_trgm word similarity ≥ pg_trgm.word_similarity_threshold, 3+
-- letters). Steps 2–4 look the query word up in the vocabulary: at most 200 words per step (50
-- for similar spellings), the shortest (the most similar) first. A contact search of a scoped
-- user keeps to kontor_contact_in_scope(), the rule of the restrictive contact_scope policy.
-- Every statement filters by the tenant itself: SECURITY DEFINER runs past row-level security,
-- which is what lets the GIN indexes be used (the caller still loads the rows under RLS).
CREATE FUNCTION kontor_search_ids(
  p_kind text, p_words text[], p_digits text, p_parts text, p_tags text[], p_company_id uuid, p_limit integer)
  RETURNS TABLE (id uuid, tier integer)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  DECLARE
    v_tenant uuid := kontor_current_tenant();
    v_prefix text;
    v_parts text[];
    v_where text;
    v_tag_ids uuid[];
    v_query text;
    v_words text[];
    v_runs text[];
    v_word text;
    v_match_index integer[] := '{}';
    v_match_word text[] := '{}';
    v_more text[];
    v_keys text[];
    v_conditions text;
    v_grew boolean;
    v_found uuid[] := '{}';
    v_id uuid;
    v_step integer;
    i integer;
  BEGIN
    IF p_kind IS NULL OR p_kind NOT IN ('contact', 'company') THEN
      RAISE EXCEPTION 'kontor_search_ids: unknown kind %', p_kind;
    END IF;
    IF p_parts IS NULL OR p_parts !~ (CASE p_kind WHEN 'contact' THEN '^[naeo]*$' ELSE '^[oaev]*$' END) THEN
      RAISE EXCEPTION 'kontor_search_ids: parts % are not parts of a %', p_parts, p_kind;
    END IF;
    IF p_kind = 'company' AND p_company_id IS NOT NULL THEN
      RAISE EXCEPTION 'kontor_search_ids: companies have no company filter';
    END IF;
    IF p_digits IS NOT NULL AND p_digits !~ '^[0-9]{3,}$' THEN
      RAISE EXCEPTION 'kontor_search_ids: digits must be 3 or more digits';
    END IF;
    IF v_tenant IS NULL OR coalesce(p_limit, 0) < 1 OR p_parts = '' THEN
      RETURN;
    END IF;
    v_prefix := left(v_tenant::text, 8);
    v_parts := string_to_array(p_parts, NULL);

    -- What every step shares: tenant, filters, scope.
    v_where := format('c.tenant_id = %L::uuid', v_tenant);
    IF p_company_id IS NOT NULL THEN
      v_where := v_where || format(' AND c.company_id = %L::uuid', p_company_id);
    END IF;
    IF cardinality(p_tags) > 0 THEN
      SELECT array_agg(t.id) INTO v_tag_ids
      FROM tag t WHERE t.tenant_id = v_tenant AND t.name = ANY (p_tags::citext[]);
      IF coalesce(cardinality(v_tag_ids), 0) < (SELECT count(DISTINCT x::citext) FROM unnest(p_tags) AS x) THEN
        RETURN; -- a tag nobody carries
      END IF;
      FOREACH v_id IN ARRAY v_tag_ids LOOP
        v_where := v_where || format(
          ' AND EXISTS (SELECT 1 FROM %I j WHERE j.tenant_id = c.tenant_id AND j.%I = c.id AND j.tag_id = %L::uuid)',
          p_kind || '_tag', p_kind || '_id', v_id);
      END LOOP;
    END IF;
    IF p_kind = 'contact' AND nullif(current_setting('app.contact_scope', true), '') IS NOT NULL THEN
      v_where := v_where || ' AND kontor_contact_in_scope(c.tenant_id, c.id)';
    END IF;

    IF p_digits IS NOT NULL THEN
      IF strpos(p_parts, 'e') = 0 THEN
        RETURN;
      END IF;
      RETURN QUERY EXECUTE format(
        'SELECT c.id, 1 FROM %I c WHERE %s AND c.search_digits LIKE %L ORDER BY c.created_at DESC, c.id DESC LIMIT %s',
        p_kind, v_where, '%' || p_digits || '%', p_limit);
      RETURN;
    END IF;

    v_query := array_to_string(p_words, ' ');
    v_words := kontor_search_query_words(v_query);
    -- Digits among the words (a run of 3+) must be in the phone numbers, like a phone search.
    SELECT array_agg(DISTINCT m[1]) INTO v_runs FROM regexp_matches(coalesce(v_query, ''), '[0-9]{3,}', 'g') AS m;
    IF cardinality(v_runs) > 0 THEN
      IF strpos(p_parts, 'e') = 0 THEN
        RETURN;
      END IF;
      FOREACH v_word IN ARRAY v_runs LOOP
        v_where := v_where || format(' AND c.search_digits LIKE %L', '%' || v_word || '%');
      END LOOP;
    END IF;
    IF cardinality(v_words) = 0 THEN
      IF coalesce(cardinality(v_runs), 0) > 0 THEN
        RETURN QUERY EXECUTE format(
          'SELECT c.id, 1 FROM %I c WHERE %s ORDER BY c.created_at DESC, c.id DESC LIMIT %s', p_kind, v_where, p_limit);
      END IF;
      RETURN;
    END IF;

    FOR v_step IN 1..4 LOOP
      v_grew := v_step = 1;
      FOR i IN 1..cardinality(v_words) LOOP
        v_word := v_words[i];
        IF v_step = 1 THEN
          v_more := ARRAY[v_word];
        ELSIF v_step = 2 THEN
          SELECT coalesce(array_agg(x.word), '{}') INTO v_more FROM (
            SELECT w.word FROM search_word w
            WHERE w.tenant_id = v_tenant
              AND w.word > (v_word COLLATE "C") AND w.word < ((v_word || chr(1114111)) COLLATE "C")
            GROUP BY w.word ORDER BY length(w.word), w.word LIMIT 200) x;
        ELSIF v_step = 3 AND length(v_word) >= 3 THEN
          SELECT coalesce(array_agg(x.word), '{}') INTO v_more FROM (
            SELECT w.word FROM search_word w
            WHERE w.tenant_id = v_tenant AND w.word LIKE (('%' || v_word || '%') COLLATE "C")
              AND NOT starts_with(w.word, v_word COLLATE "C")
            GROUP BY w.word ORDER BY length(w.word), w.word LIMIT 200) x;
        ELSIF v_step = 4 AND length(v_word) >= 3 THEN
          SELECT coalesce(array_agg(x.word), '{}') INTO v_more FROM (
            SELECT w.word FROM search_word w
            WHERE w.tenant_id = v_tenant AND w.word %> (v_word COLLATE "C")
              AND w.word NOT LIKE (('%' || v_word || '%') COLLATE "C")
            GROUP BY w.word ORDER BY word_similarity(v_word, w.word) DESC, w.word LIMIT 50) x;
        ELSE
          v_more := '{}';
        END IF;
        IF cardinality(v_more) > 0 THEN
          v_match_index := v_match_index || array_fill(i, ARRAY[cardinality(v_more)]);
          v_match_word := v_match_word || v_more;
          v_grew := true;
        END IF;
      END LOOP;
      CONTINUE WHEN NOT v_grew;

      v_conditions := '';
      FOR i IN 1..cardinality(v_words) LOOP
        SELECT array_agg(v_prefix || p.part || m.word) INTO v_keys
        FROM unnest(v_match_index, v_match_word) AS m (word_index, word)
        CROSS JOIN unnest(v_parts) AS p (part)
        WHERE m.word_index = i;
        v_conditions := v_conditions || format(' AND c.search_keys && %L::text[]', v_keys);
      END LOOP;
      FOR v_id IN EXECUTE format(
        'SELECT c.id FROM %I c WHERE %s%s AND NOT (c.id = ANY (%L::uuid[])) ORDER BY c.created_at DESC, c.id DESC LIMIT %s',
        p_kind, v_where, v_conditions, v_found, p_limit - cardinality(v_found))
      LOOP
        v_found := v_found || v_id;
        id := v_id;
        tier := v_step;
        RETURN NEXT;
      END LOOP;
      EXIT WHEN cardinality(v_found) >= p_limit;
    END LOOP;
  END $$;
REVOKE ALL ON FUNCTION kontor_search_ids(text, text[], text, text, text[], uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kontor_search_ids(text, text[], text, text, text[], uuid, integer) TO kontor_app;
