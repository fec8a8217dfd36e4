-- Contacts core (modules/contacts): companies, persons (contact), tenant-defined tags and their
-- joins, and the accent-, umlaut- and typo-tolerant search column of each record.
--
-- Cross-tenant references are impossible by construction: a parent has UNIQUE (tenant_id, id)
-- and every child refers to it with a composite foreign key (tenant_id, <parent>_id), so a row
-- can only point at a row of its own tenant, whatever row-level security lets a query see.

-- The search folding: lower case, accents off (unaccent, which also maps ß → ss), and the German
-- transliterations ae/oe/ue folded onto a/o/u, so that `Müller`, `Mueller` and `muller` all
-- become `muller`. Applied to the stored text and to every query word alike. unaccent() itself
-- is only STABLE (it reads its dictionary by name); naming the dictionary makes this wrapper
-- safe to declare IMMUTABLE, as index expressions and generated columns need.
CREATE FUNCTION kontor_fold(p_text text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$
    SELECT replace(replace(replace(
      lower(public.unaccent('public.unaccent'::regdictionary, p_text)),
      'ae', 'a'), 'oe', 'o'), 'ue', 'u')
  $$;

-- The digits of a phone number in E.164 (+41446681800 → 41446681800), searched by substring so
-- that national forms (044 668 18 00 → 446681800) find it too.
CREATE FUNCTION kontor_phone_digits(p_phone text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce(regexp_replace(p_phone, '[^0-9]', '', 'g'), '') $$;

CREATE TABLE company (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  street text,
  address_line1 text,
  address_line2 text,
  postal_code text,
  city text,
  region text,
  country char(2) CHECK (country ~ '^[A-Z]{2}$'),
  email citext,
  phone text CHECK (phone ~ '^\+[1-9][0-9]{3,14}$'),
  website text,
  vat_id text,
  custom_fields jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(custom_fields) = 'object'),
  -- Maintained by the company_search_text trigger; see kontor_fold().
  search_text text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id)
);
SELECT kontor_protect_tenant_table('company');
CREATE INDEX company_tenant_created ON company (tenant_id, created_at DESC, id DESC);
CREATE INDEX company_tenant_name ON company (tenant_id, name);
-- A trigram index cannot lead with tenant_id without btree_gin (not among PGlite's extensions);
-- row-level security still limits every match to the transaction's tenant.
CREATE INDEX company_search_trgm ON company USING gin (search_text gin_trgm_ops);

CREATE TABLE contact (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  salutation text,
  first_name text,
  last_name text,
  company_id uuid,
  street text,
  address_line1 text,
  address_line2 text,
  postal_code text,
  city text,
  region text,
  country char(2) CHECK (country ~ '^[A-Z]{2}$'),
  email citext,
  language text,
  phone text CHECK (phone ~ '^\+[1-9][0-9]{3,14}$'),
  fax text CHECK (fax ~ '^\+[1-9][0-9]{3,14}$'),
  mobile text CHECK (mobile ~ '^\+[1-9][0-9]{3,14}$'),
  website text,
  birthday date,
  iban text CHECK (iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$'),
  bic text CHECK (bic ~ '^[A-Z0-9]{8}([A-Z0-9]{3})?$'),
  payment_method text CHECK (payment_method IN ('invoice', 'sepa_direct_debit', 'card', 'cash', 'bank_transfer', 'other')),
  account_holder text,
  vat_id text,
  notes text,
  custom_fields jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(custom_fields) = 'object'),
  -- Maintained by the contact_search_text trigger (names, company name, email, city, phone digits).
  search_text text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  -- Deleting a company deletes its persons (API.md); the pair keeps both in one tenant.
  FOREIGN KEY (tenant_id, company_id) REFERENCES company (tenant_id, id) ON DELETE CASCADE
);
SELECT kontor_protect_tenant_table('contact');
CREATE INDEX contact_tenant_created ON contact (tenant_id, created_at DESC, id DESC);
CREATE INDEX contact_tenant_company ON contact (tenant_id, company_id, created_at DESC, id DESC);
CREATE INDEX contact_tenant_email ON contact (tenant_id, email);
CREATE INDEX contact_search_trgm ON contact USING gin (search_text gin_trgm_ops);

CREATE FUNCTION kontor_contact_search_text(c contact, p_company_name text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT trim(concat_ws(' ',
      kontor_fold(concat_ws(' ', c.first_name, c.last_name, p_company_name, c.email::text, c.city)),
      nullif(kontor_phone_digits(c.phone), ''),
      nullif(kontor_phone_digits(c.mobile), '')))
  $$;

CREATE FUNCTION kontor_contact_search_trigger() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    NEW.search_text := kontor_contact_search_text(NEW,
      (SELECT co.name FROM company co WHERE co.tenant_id = NEW.tenant_id AND co.id = NEW.company_id));
    RETURN NEW;
  END $$;
CREATE TRIGGER contact_search_text BEFORE INSERT OR UPDATE ON contact
  FOR EACH ROW EXECUTE FUNCTION kontor_contact_search_trigger();

CREATE FUNCTION kontor_company_search_trigger() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    NEW.search_text := trim(concat_ws(' ',
      kontor_fold(concat_ws(' ', NEW.name, NEW.email::text, NEW.city, NEW.vat_id)),
      nullif(kontor_phone_digits(NEW.phone), '')));
    RETURN NEW;
  END $$;
CREATE TRIGGER company_search_text BEFORE INSERT OR UPDATE ON company
  FOR EACH ROW EXECUTE FUNCTION kontor_company_search_trigger();

-- A renamed company: its persons are found under the new name (the persons' updated_at moves
-- with it, as their search text changed).
CREATE FUNCTION kontor_company_renamed_trigger() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    UPDATE contact c SET search_text = kontor_contact_search_text(c, NEW.name)
    WHERE c.tenant_id = NEW.tenant_id AND c.company_id = NEW.id;
    RETURN NULL;
  END $$;
CREATE TRIGGER company_renamed AFTER UPDATE OF name ON company
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
  EXECUTE FUNCTION kontor_company_renamed_trigger();

-- Tags (groups): tenant-defined, case-insensitively unique names.
CREATE TABLE tag (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  name citext NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name),
  UNIQUE (tenant_id, id)
);
SELECT kontor_protect_tenant_table('tag');

CREATE TABLE contact_tag (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  contact_id uuid NOT NULL,
  tag_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, contact_id, tag_id),
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contact (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, tag_id) REFERENCES tag (tenant_id, id) ON DELETE CASCADE
);
SELECT kontor_protect_tenant_table('contact_tag');
CREATE INDEX contact_tag_tenant_tag ON contact_tag (tenant_id, tag_id, contact_id);

CREATE TABLE company_tag (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
  company_id uuid NOT NULL,
  tag_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, company_id, tag_id),
  FOREIGN KEY (tenant_id, company_id) REFERENCES company (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, tag_id) REFERENCES tag (tenant_id, id) ON DELETE CASCADE
);
SELECT kontor_protect_tenant_table('company_tag');
CREATE INDEX company_tag_tenant_tag ON company_tag (tenant_id, tag_id, company_id);
