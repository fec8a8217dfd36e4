// Seeding for the contacts benchmarks: many realistic contacts in one tenant, inserted with
// INSERT … SELECT from generate_series as the schema owner (so through the same triggers that
// keep `search_text` up to date, but without the HTTP API's per-row cost).
//
// The rows: names from Germany, Switzerland, Austria and France, umlauts and accents included
// (a weighted list of common surnames — Müller is the most frequent, about 1 % — and a long
// tail of compound ones), the city and phone numbers of one of ~60 cities with realistic
// weights, an email for most, a company for about half, and a few tags on a share of them
// (TAG_SHARES; the selection benchmark filters by them).
import type { OwnerSession } from '../../apps/server/src/kernel/db/database.ts';

/** Tag names and the share of contacts that carry each (independently). */
export const TAG_SHARES: readonly (readonly [string, number])[] = [
  ['Newsletter', 0.4],
  ['Kunde', 0.3],
  ['Interessent', 0.2],
  ['Nord', 0.25],
  ['Süd', 0.25],
  ['Lieferant', 0.05],
  ['VIP', 0.03],
  ['Partner', 0.02],
];

const FIRST_NAMES = [
  'Anna',
  'Lena',
  'Sophie',
  'Marie',
  'Léa',
  'Chloé',
  'Zoë',
  'Jürgen',
  'Jörg',
  'Björn',
  'Günter',
  'Matthias',
  'Thomas',
  'Lukas',
  'Jonas',
  'Noah',
  'Luca',
  'Élodie',
  'Hélène',
  'Céline',
  'François',
  'Jérôme',
  'René',
  'André',
  'Stefan',
  'Andreas',
  'Michael',
  'Sabine',
  'Ursula',
  'Käthi',
  'Ruedi',
  'Urs',
  'Beat',
  'Reto',
  'Corinne',
  'Nadine',
  'Sandra',
  'Claudia',
  'Daniela',
  'Monika',
  'Barbara',
  'Petra',
  'Karin',
  'Heidi',
  'Vreni',
  'Hans',
  'Peter',
  'Fritz',
  'Walter',
  'Ernst',
  'Gérard',
  'Pierre',
  'Jean',
  'Michel',
  'Nicolas',
  'Camille',
  'Manon',
  'Inès',
  'Anaïs',
  'Maëlle',
  'Noémie',
  'Raphaël',
  'Gaël',
  'Loïc',
  'Sören',
  'Jan',
  'Tim',
  'Felix',
  'Max',
  'Paul',
  'Emma',
  'Mia',
  'Hannah',
  'Lina',
  'Ella',
  'Clara',
  'Jörn',
  'Dörte',
  'Gisèle',
  'Agnès',
  'Benoît',
  'Élise',
  'Margrit',
  'Lorenz',
  'Florian',
  'Tobias',
  'Katrin',
  'Simone',
  'Yvonne',
  'Nathalie',
  'Isabelle',
  'Sébastien',
];

// Common surnames, most frequent first (drawn with weights falling off along the list).
const COMMON_LAST_NAMES = [
  'Müller',
  'Meier',
  'Schmid',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Keller',
  'Huber',
  'Schulz',
  'Hoffmann',
  'Schäfer',
  'Koch',
  'Bauer',
  'Richter',
  'Klein',
  'Wolf',
  'Schröder',
  'Neumann',
  'Schwarz',
  'Zimmermann',
  'Braun',
  'Krüger',
  'Hofmann',
  'Martin',
  'Bernard',
  'Dubois',
  'Brunner',
  'Gerber',
  'Baumann',
  'Frei',
  'Moser',
  'Steiner',
  'Graf',
  'Wyss',
  'Bühler',
  'Kälin',
  'Zürcher',
  'Hartmann',
  'Lange',
  'Schmitt',
  'Werner',
  'Krause',
  'Lehmann',
  'Köhler',
  'Thomas',
  'Robert',
  'Richard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'Simon',
  'Laurent',
  'Lefèvre',
  'Michel',
  'Garcia',
  'David',
  'Bertrand',
  'Roux',
  'Vincent',
  'Fournier',
  'Morel',
  'Girard',
  'Mercier',
  'Dupont',
  'Lambert',
  'Bonnet',
  'Mueller',
  'Möller',
  'Jäger',
  'Größer',
  'Strauß',
  'Weiß',
  'Gruber',
  'Pichler',
  'Egger',
  'Wallner',
  'Haas',
  'Mayr',
  'Fuchs',
];

// The long tail: compound surnames (Bergmann, Steinhauser, Mühlegger, Duchêne …).
const PREFIXES = [
  'Berg',
  'Wald',
  'Stein',
  'Hof',
  'Brun',
  'Rosen',
  'Lin',
  'Eich',
  'Feld',
  'Bach',
  'Kirch',
  'Holz',
  'Schön',
  'Grün',
  'Hoch',
  'Tann',
  'Wies',
  'Mühl',
  'Bäch',
  'Sonn',
  'Ober',
  'Unter',
  'Alt',
  'Neu',
  'Lau',
  'Rein',
  'Gold',
  'Silber',
  'Ross',
  'Blum',
  'Fröh',
  'Käs',
  'Lüth',
  'Spör',
  'Dürr',
];
const SUFFIXES = [
  'mann',
  'er',
  'inger',
  'hofer',
  'bauer',
  'meier',
  'huber',
  'berger',
  'thaler',
  'egger',
  'li',
  'ler',
  'acher',
  'wald',
  'stein',
  'feld',
  'hauser',
  'ner',
  'lin',
  'mayr',
  'böck',
  'gärtner',
];
const MIDDLES = ['', 'en', 'el', 'er', 'li', 's', 'ig', 'an'];
// Syllables of made-up words: email nicknames and company domains (a realistic vocabulary size).
const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ru',
  'te',
  'no',
  'sa',
  'bi',
  'do',
  'fe',
  'gu',
  'ha',
  'ji',
  'ke',
  'la',
  'mo',
  'ne',
  'pi',
  'ro',
  'su',
  'ta',
  'vi',
  'wa',
  'ze',
  'bo',
  'da',
  'fi',
  'go',
  'he',
  'lu',
];
const FREE_MAIL = [
  'gmx.de',
  'gmx.ch',
  'bluewin.ch',
  'gmail.com',
  'web.de',
  'orange.fr',
  'free.fr',
  'hotmail.com',
  'outlook.com',
  'sunrise.ch',
  'yahoo.fr',
  't-online.de',
  'aon.at',
];
const DOMAIN_WORDS = [
  'holz',
  'bau',
  'treuhand',
  'immo',
  'garage',
  'design',
  'consulting',
  'praxis',
  'hotel',
  'shop',
];
const TLDS = ['ch', 'de', 'fr', 'at', 'com'];
const FRENCH_TAIL = [
  'Duchêne',
  'Lefranc',
  'Beaumont',
  'Delacroix',
  'Château',
  'Rivière',
  'Fontaine',
  'Lemaître',
  'Besançon',
  'Chevalier',
  'Marchand',
  'Benoît',
  'Pelletier',
  'Mathieu',
  'Gauthier',
  'Perrin',
];

// City, country, phone prefix (E.164 without the subscriber part), weight.
const CITIES: readonly (readonly [string, string, string, number])[] = [
  ['Zürich', 'CH', '+4144', 60],
  ['Berlin', 'DE', '+4930', 60],
  ['Wien', 'AT', '+431', 50],
  ['Paris', 'FR', '+331', 50],
  ['Hamburg', 'DE', '+4940', 35],
  ['München', 'DE', '+4989', 35],
  ['Genève', 'CH', '+4122', 30],
  ['Basel', 'CH', '+4161', 30],
  ['Bern', 'CH', '+4131', 30],
  ['Lausanne', 'CH', '+4121', 20],
  ['Köln', 'DE', '+49221', 25],
  ['Frankfurt am Main', 'DE', '+4969', 20],
  ['Stuttgart', 'DE', '+49711', 18],
  ['Düsseldorf', 'DE', '+49211', 15],
  ['Lyon', 'FR', '+334', 20],
  ['Marseille', 'FR', '+334', 18],
  ['Toulouse', 'FR', '+335', 12],
  ['Strasbourg', 'FR', '+333', 10],
  ['Graz', 'AT', '+43316', 12],
  ['Linz', 'AT', '+43732', 10],
  ['Salzburg', 'AT', '+43662', 10],
  ['Innsbruck', 'AT', '+43512', 8],
  ['Luzern', 'CH', '+4141', 12],
  ['St. Gallen', 'CH', '+4171', 10],
  ['Winterthur', 'CH', '+4152', 10],
  ['Lugano', 'CH', '+4191', 8],
  ['Biel/Bienne', 'CH', '+4132', 6],
  ['Fribourg', 'CH', '+4126', 6],
  ['Neuchâtel', 'CH', '+4132', 5],
  ['Sion', 'CH', '+4127', 4],
  ['Chur', 'CH', '+4181', 4],
  ['Thun', 'CH', '+4133', 5],
  ['Zug', 'CH', '+4141', 5],
  ['Aarau', 'CH', '+4162', 4],
  ['Schaffhausen', 'CH', '+4152', 4],
  ['Nürnberg', 'DE', '+49911', 12],
  ['Leipzig', 'DE', '+49341', 12],
  ['Dresden', 'DE', '+49351', 10],
  ['Hannover', 'DE', '+49511', 10],
  ['Bremen', 'DE', '+49421', 8],
  ['Freiburg im Breisgau', 'DE', '+49761', 6],
  ['Mülheim an der Ruhr', 'DE', '+49208', 4],
  ['Göttingen', 'DE', '+49551', 4],
  ['Würzburg', 'DE', '+49931', 4],
  ['Lübeck', 'DE', '+49451', 4],
  ['Nice', 'FR', '+334', 8],
  ['Nantes', 'FR', '+332', 8],
  ['Bordeaux', 'FR', '+335', 8],
  ['Lille', 'FR', '+333', 8],
  ['Rennes', 'FR', '+332', 5],
  ['Montpellier', 'FR', '+334', 6],
  ['Besançon', 'FR', '+333', 3],
  ['Mulhouse', 'FR', '+333', 3],
  ['Colmar', 'FR', '+333', 2],
  ['Annecy', 'FR', '+334', 3],
  ['Grenoble', 'FR', '+334', 5],
  ['Klagenfurt', 'AT', '+43463', 4],
  ['Bregenz', 'AT', '+435574', 2],
  ['Sankt Pölten', 'AT', '+432742', 2],
  ['Wels', 'AT', '+437242', 2],
];

const LEGAL_FORMS = ['AG', 'GmbH', 'SA', 'SARL', 'KG', '& Co.', 'Sàrl', 'e.K.'];
const TRADES = [
  'Bäckerei',
  'Schreinerei',
  'Gärtnerei',
  'Metzgerei',
  'Elektro',
  'Treuhand',
  'Boulangerie',
  'Atelier',
];

/** A name as an email address has it: lower case, plain letters (builtins only: fast). */
const ascii = (column: string) => `translate(lower(${column}), 'äöüßéèêëàâçîïôûùÿñ ', 'aouseeeeaaciiouuyn')`;

const text = (values: readonly string[]) =>
  `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]::text[]`;

export type SeedOptions = {
  tenantId: string;
  contacts: number;
  /** Rows per INSERT statement (each its own transaction when the caller commits between them). */
  batch?: number;
};

/**
 * The statements that seed one tenant, in order; run each as the schema owner. The caller may
 * commit between statements (each contact batch is one statement), which keeps PGlite's
 * memory and PostgreSQL's WAL per transaction bounded.
 */
export function seedStatements(options: SeedOptions): { label: string; sql: string }[] {
  const { tenantId, contacts } = options;
  const batch = options.batch ?? 100_000;
  const companies = Math.max(1, Math.round(contacts / 10));
  const tenant = `'${tenantId}'::uuid`;
  // Each city owns a run of the 1000 slots in proportion to its weight; a row draws a slot.
  const totalWeight = CITIES.reduce((sum, c) => sum + c[3], 0);
  let slot = 0;
  const bounds = CITIES.map((c, i) => {
    const lower = slot;
    slot = i === CITIES.length - 1 ? 1000 : Math.round(slot + (c[3] / totalWeight) * 1000);
    return [lower, slot] as const;
  });
  const city = `city AS (
      SELECT s.slot, x.name, x.country, x.prefix
      FROM unnest(${text(CITIES.map((c) => c[0]))}, ${text(CITIES.map((c) => c[1]))}, ${text(CITIES.map((c) => c[2]))},
        ARRAY[${bounds.map((b) => b[0]).join(', ')}], ARRAY[${bounds.map((b) => b[1]).join(', ')}])
        AS x (name, country, prefix, lower, upper)
      JOIN generate_series(0, 999) AS s (slot) ON s.slot >= x.lower AND s.slot < x.upper
    )`;
  const statements: { label: string; sql: string }[] = [];

  // Companies: "<trade> <surname> <form>" or "<surname> <form>", in the cities above.
  statements.push({
    label: `${companies} companies`,
    sql: `
      INSERT INTO company (tenant_id, name, city, country, email, phone, created_at)
      WITH ${city}
      SELECT ${tenant},
        concat_ws(' ', CASE WHEN g % 3 = 0 THEN (${text(TRADES)})[1 + g % ${TRADES.length}] END,
          CASE WHEN g % 2 = 0 THEN (${text(COMMON_LAST_NAMES)})[1 + (g * 7919) % ${COMMON_LAST_NAMES.length}]
            ELSE (${text(PREFIXES)})[1 + (g * 17) % ${PREFIXES.length}] || (${text(SUFFIXES)})[1 + (g * 5) % ${SUFFIXES.length}] END,
          (${text(LEGAL_FORMS)})[1 + (g * 31) % ${LEGAL_FORMS.length}]),
        c.name, c.country,
        CASE WHEN g % 4 <> 0 THEN 'info@' || (${text(SYLLABLES)})[1 + (g / 3) % ${SYLLABLES.length}]
          || (${text(SYLLABLES)})[1 + (g / 5) % ${SYLLABLES.length}] || (${text(SYLLABLES)})[1 + g % ${SYLLABLES.length}]
          || '-' || g || '.' || (${text(TLDS)})[1 + g % ${TLDS.length}] END,
        CASE WHEN g % 2 = 0 THEN c.prefix || lpad(((g::bigint * 104729) % 9000000 + 1000000)::text, 7, '0') END,
        timestamptz '2020-01-01 00:00:00Z' + g * interval '13 minutes'
      FROM generate_series(1, ${companies}) AS g
      JOIN city c ON c.slot = (g * 2654435761::bigint) % 1000`,
  });

  for (let from = 1; from <= contacts; from += batch) {
    const to = Math.min(contacts, from + batch - 1);
    statements.push({
      label: `contacts ${from}–${to}`,
      sql: `
        SELECT setseed(${(from / (contacts + 1)).toFixed(6)});
        WITH ${city}, co AS (
          SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM company WHERE tenant_id = ${tenant}
        ), r AS (
          SELECT g, random() AS r_last, random() AS r_city, random() AS r_first, random() AS r_misc,
            random() AS r_phone
          FROM generate_series(${from}, ${to}) AS g
        ), p AS (
          SELECT r.*,
            (${text(FIRST_NAMES)})[1 + floor(r_first * ${FIRST_NAMES.length})::int] AS first_name,
            CASE
              -- 45 %: a common surname, weighted towards the front of the list (Müller ≈ 1.5 %).
              WHEN r_last < 0.45 THEN (${text(COMMON_LAST_NAMES)})[1 + floor(power(r_last / 0.45, 1.25) * ${COMMON_LAST_NAMES.length})::int]
              WHEN r_last < 0.5 THEN (${text(FRENCH_TAIL)})[1 + floor((r_last - 0.45) / 0.05 * ${FRENCH_TAIL.length})::int]
              -- 50 %: compound surnames, ${PREFIXES.length * MIDDLES.length * SUFFIXES.length} of them.
              ELSE (${text(PREFIXES)})[1 + floor((r_last - 0.5) * 2 * ${PREFIXES.length})::int]
                || (${text(MIDDLES)})[1 + (g * 13) % ${MIDDLES.length}]
                || (${text(SUFFIXES)})[1 + (g * 7) % ${SUFFIXES.length}]
            END AS last_name,
            (${text(SYLLABLES)})[1 + (g * 7) % ${SYLLABLES.length}] || (${text(SYLLABLES)})[1 + (g * 11) % ${SYLLABLES.length}]
              || (${text(SYLLABLES)})[1 + (g / 900) % ${SYLLABLES.length}] AS nickname
          FROM r
        )
        INSERT INTO contact (tenant_id, salutation, first_name, last_name, company_id, street, postal_code,
          city, country, email, language, phone, mobile, created_at)
        SELECT ${tenant},
          CASE WHEN r_misc < 0.5 THEN 'Frau' WHEN r_misc < 0.95 THEN 'Herr' END,
          first_name, last_name,
          co.id,
          (${text(['Bahnhofstrasse', 'Hauptstraße', 'Rue de la Gare', 'Dorfstrasse', 'Schillerstraße', 'Avenue des Alpes'])})[1 + g % 6] || ' ' || (1 + g % 120),
          lpad((1000 + (g * 37) % 9000)::text, 4, '0'),
          c.name, c.country,
          -- 85 % have an email: first.last, initial and last name or a nickname (with a number
          -- now and then), at a free mailer or at a made-up company domain.
          CASE WHEN r_misc < 0.85 THEN
            CASE WHEN r_phone < 0.5 THEN ${ascii('first_name')} || '.' || ${ascii('last_name')}
              WHEN r_phone < 0.75 THEN left(${ascii('first_name')}, 1) || ${ascii('last_name')}
              ELSE nickname END
            || CASE WHEN g % 3 = 0 THEN (g % 97)::text ELSE '' END
            || '.' || g || '@'
            || CASE WHEN g % 2 = 0 THEN (${text(FREE_MAIL)})[1 + (g / 2) % ${FREE_MAIL.length}]
              ELSE (${text(SYLLABLES)})[1 + (g / 3) % ${SYLLABLES.length}] || (${text(SYLLABLES)})[1 + (g / 5) % ${SYLLABLES.length}]
                || '-' || (${text(DOMAIN_WORDS)})[1 + (g / 7) % ${DOMAIN_WORDS.length}] || '.' || (${text(TLDS)})[1 + g % ${TLDS.length}]
              END
          END,
          CASE c.country WHEN 'FR' THEN 'fr' WHEN 'AT' THEN 'de-AT' WHEN 'CH' THEN 'de-CH' ELSE 'de' END,
          CASE WHEN r_phone < 0.7 THEN c.prefix || lpad(floor(r_phone * 1e7 / 0.7)::text, 7, '0') END,
          CASE WHEN r_phone > 0.6 THEN
            (CASE c.country WHEN 'CH' THEN '+4179' WHEN 'DE' THEN '+49171' WHEN 'AT' THEN '+43664' ELSE '+336' END)
            || lpad(((g * 2654435761::bigint) % 10000000)::text, 7, '0')
          END,
          timestamptz '2021-01-01 00:00:00Z' + g * interval '90 seconds' + r_misc * interval '60 seconds'
        FROM p
        JOIN city c ON c.slot = floor(r_city * 1000)::int
        -- About half of the persons work for a company.
        LEFT JOIN co ON r_misc < 0.5 AND co.n = 1 + (g::bigint * 48271) % ${companies}`,
    });
  }

  statements.push({
    label: `tags on a share of the contacts (${TAG_SHARES.map(([n, s]) => `${n} ${s * 100} %`).join(', ')})`,
    sql: `
      INSERT INTO tag (tenant_id, name)
      SELECT ${tenant}, name FROM unnest(${text(TAG_SHARES.map(([n]) => n))}) AS name
      ON CONFLICT (tenant_id, name) DO NOTHING;
      INSERT INTO contact_tag (tenant_id, contact_id, tag_id)
      SELECT ${tenant}, c.id, t.id
      FROM contact c
      JOIN unnest(${text(TAG_SHARES.map(([n]) => n))}, ARRAY[${TAG_SHARES.map(([, s]) => s).join(', ')}]::float8[])
        AS s (name, share) ON true
      JOIN tag t ON t.tenant_id = ${tenant} AND t.name = s.name::citext
      -- A hash of the pair, not random(): the planner would draw random() once per tag.
      WHERE c.tenant_id = ${tenant} AND (hashtext(c.created_at::text || s.name) & 1048575) < s.share * 1048576
      ON CONFLICT DO NOTHING`,
  });
  statements.push({
    label: 'analyze',
    sql: 'ANALYZE company; ANALYZE contact; ANALYZE tag; ANALYZE contact_tag;',
  });
  return statements;
}

/** Runs the seed statements, one owner transaction each, reporting progress. */
export async function seedContacts(
  asOwner: <T>(work: (session: OwnerSession) => Promise<T>) => Promise<T>,
  options: SeedOptions,
  progress: (message: string) => void,
): Promise<void> {
  for (const statement of seedStatements(options)) {
    const started = performance.now();
    await asOwner((session) => session.exec(statement.sql));
    progress(`seeded ${statement.label} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}
