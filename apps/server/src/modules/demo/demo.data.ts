import { base, de, de_AT, de_CH, en, Faker, fr, fr_BE, fr_CH, fr_LU, it, nl } from '@faker-js/faker';
import {
  austrianVat,
  type Digit,
  frenchVat,
  germanVat,
  iban,
  mobileLike,
  phoneNumber,
  swissUid,
} from './demo.numbers.ts';
import {
  BANKS,
  type DemoCountry,
  type LocaleKey,
  type MainCountry,
  MOBILE,
  PLACES,
  type Place,
  POSTAL_DIGITS,
} from './demo.places.ts';

/**
 * The demo data set, generated without a database: pure and deterministic — the same seed and
 * reference day give the same records. Bodies are what `POST /api/v1/companies` and `POST
 * /api/v1/contacts` take; the service checks each with the API's own rules before writing it.
 */

/** The product's user mix (PRODUCT.md): share of contacts and companies per country, in %. */
export const COUNTRY_MIX: readonly (readonly [DemoCountry, number])[] = [
  ['DE', 57],
  ['CH', 26],
  ['AT', 9],
  ['FR', 6],
  ['IT', 0.5],
  ['NL', 0.5],
  ['BE', 0.4],
  ['LU', 0.3],
  ['LI', 0.3],
];

/** One company per this many persons. */
export const PERSONS_PER_COMPANY = 8;
/** One timeline entry per this many persons, at most MAX_ACTIVITIES. */
export const PERSONS_PER_ACTIVITY = 15;
export const MAX_ACTIVITIES = 1000;

export type DemoOptions = {
  contacts: number;
  seed: number;
  /** The reference moment: birthdays, service dates and timeline entries lie before it. */
  now: Date;
};

type Text = string | null;

export type CompanyBody = {
  name: string;
  street: Text;
  addressLine2: Text;
  postalCode: Text;
  city: Text;
  region: Text;
  country: string;
  email: Text;
  phone: Text;
  website: Text;
  vatId: Text;
  tags: string[];
  customFields: Record<string, string | number>;
};

export type ContactBody = {
  salutation: Text;
  firstName: string;
  lastName: string;
  street: Text;
  addressLine2: Text;
  postalCode: Text;
  city: Text;
  region: Text;
  country: string;
  email: Text;
  language: string;
  phone: Text;
  fax: Text;
  mobile: Text;
  birthday: Text;
  iban: Text;
  bic: Text;
  paymentMethod: Text;
  accountHolder: Text;
  tags: string[];
  customFields: Record<string, string | number | boolean | string[]>;
};

export type DemoContact = {
  body: ContactBody;
  /** Index into `companies` of the company this person works for. */
  company: number | null;
};

export type DemoActivity = {
  /** Index into `contacts`. */
  contact: number;
  kind: 'note' | 'call' | 'meeting';
  direction: 'inbound' | 'outbound' | null;
  subject: string | null;
  body: string | null;
  occurredAt: string;
  durationMinutes: number | null;
};

/** A custom-field definition as `POST /api/v1/custom-fields` takes it. */
export type DemoFieldInput = {
  objectType: 'contact' | 'company';
  key: string;
  label: string;
  labels: { de: string; en: string; fr: string };
  type: 'text' | 'number' | 'date' | 'boolean' | 'single_select' | 'multi_select';
  options?: { value: string; label: string; labels: { de: string; en: string; fr: string } }[];
  unique?: boolean;
};

export type DemoData = {
  customFields: DemoFieldInput[];
  companies: CompanyBody[];
  contacts: DemoContact[];
  activities: DemoActivity[];
};

// ---------------------------------------------------------------------------------------------
// Custom fields of the demo tenant: a car dealer
// ---------------------------------------------------------------------------------------------

const label3 = (de: string, en: string, fr: string) => ({ label: de, labels: { de, en, fr } });
const option = (value: string, deLabel: string, enLabel = deLabel, frLabel = deLabel) => ({
  value,
  ...label3(deLabel, enLabel, frLabel),
});

type Brand = { value: string; label: string; models: readonly string[]; electric: readonly string[] };

const BRANDS: readonly Brand[] = [
  {
    value: 'vw',
    label: 'Volkswagen',
    models: ['Golf', 'Polo', 'Passat', 'Tiguan', 'T-Roc', 'ID.3', 'ID.4'],
    electric: ['ID.3', 'ID.4'],
  },
  {
    value: 'mercedes',
    label: 'Mercedes-Benz',
    models: ['A-Klasse', 'C-Klasse', 'E-Klasse', 'GLC', 'EQA'],
    electric: ['EQA'],
  },
  { value: 'bmw', label: 'BMW', models: ['1er', '3er', '5er', 'X1', 'X3', 'i4'], electric: ['i4'] },
  {
    value: 'audi',
    label: 'Audi',
    models: ['A3', 'A4', 'A6', 'Q3', 'Q5', 'Q4 e-tron'],
    electric: ['Q4 e-tron'],
  },
  {
    value: 'skoda',
    label: 'Škoda',
    models: ['Fabia', 'Octavia', 'Superb', 'Kodiaq', 'Enyaq'],
    electric: ['Enyaq'],
  },
  { value: 'opel', label: 'Opel', models: ['Corsa', 'Astra', 'Mokka'], electric: [] },
  { value: 'ford', label: 'Ford', models: ['Fiesta', 'Focus', 'Kuga', 'Puma'], electric: [] },
  { value: 'toyota', label: 'Toyota', models: ['Yaris', 'Corolla', 'C-HR', 'RAV4'], electric: [] },
  { value: 'renault', label: 'Renault', models: ['Clio', 'Mégane', 'Captur', 'Zoe'], electric: ['Zoe'] },
  { value: 'peugeot', label: 'Peugeot', models: ['208', '308', '2008', '3008'], electric: [] },
  { value: 'tesla', label: 'Tesla', models: ['Model 3', 'Model Y'], electric: ['Model 3', 'Model Y'] },
];

/** Brand shares: German-speaking markets and France differ. */
const BRAND_WEIGHTS: Record<'de' | 'fr', Record<string, number>> = {
  de: {
    vw: 20,
    mercedes: 12,
    bmw: 11,
    audi: 10,
    skoda: 9,
    opel: 7,
    ford: 6,
    toyota: 6,
    renault: 4,
    peugeot: 4,
    tesla: 3,
  },
  fr: {
    renault: 20,
    peugeot: 20,
    vw: 10,
    toyota: 8,
    mercedes: 6,
    bmw: 5,
    audi: 5,
    skoda: 4,
    ford: 5,
    opel: 4,
    tesla: 3,
  },
};

const FUELS = [
  option('benzin', 'Benzin', 'Petrol', 'Essence'),
  option('diesel', 'Diesel', 'Diesel', 'Diesel'),
  option('hybrid', 'Hybrid', 'Hybrid', 'Hybride'),
  option('elektro', 'Elektro', 'Electric', 'Électrique'),
];

const INTERESTS = [
  option('neuwagen', 'Neuwagen', 'New cars', 'Voitures neuves'),
  option('gebrauchtwagen', 'Gebrauchtwagen', 'Used cars', "Voitures d'occasion"),
  option('leasing', 'Leasing', 'Leasing', 'Leasing'),
  option('service', 'Service & Wartung', 'Service & maintenance', 'Entretien'),
  option('zubehoer', 'Zubehör', 'Accessories', 'Accessoires'),
];

export const DEMO_CUSTOM_FIELDS: readonly DemoFieldInput[] = [
  {
    objectType: 'contact',
    key: 'marke',
    type: 'single_select',
    ...label3('Marke', 'Make', 'Marque'),
    options: BRANDS.map((b) => option(b.value, b.label)),
  },
  { objectType: 'contact', key: 'modell', type: 'text', ...label3('Modell', 'Model', 'Modèle') },
  {
    objectType: 'contact',
    key: 'kilometerstand',
    type: 'number',
    ...label3('Kilometerstand', 'Mileage (km)', 'Kilométrage'),
  },
  {
    objectType: 'contact',
    key: 'kraftstoff',
    type: 'single_select',
    ...label3('Kraftstoff', 'Fuel', 'Carburant'),
    options: FUELS,
  },
  {
    objectType: 'contact',
    key: 'letzter_service',
    type: 'date',
    ...label3('Letzter Service', 'Last service', 'Dernier entretien'),
  },
  {
    objectType: 'contact',
    key: 'probefahrt_gewuenscht',
    type: 'boolean',
    ...label3('Probefahrt gewünscht', 'Test drive wanted', 'Essai souhaité'),
  },
  {
    objectType: 'contact',
    key: 'interessen',
    type: 'multi_select',
    ...label3('Interessen', 'Interests', "Centres d'intérêt"),
    options: INTERESTS,
  },
  {
    objectType: 'company',
    key: 'kundennummer',
    type: 'text',
    unique: true,
    ...label3('Kundennummer', 'Customer number', 'Numéro client'),
  },
  {
    objectType: 'company',
    key: 'flottengroesse',
    type: 'number',
    ...label3('Flottengröße', 'Fleet size', 'Taille de la flotte'),
  },
];

// ---------------------------------------------------------------------------------------------
// Names, companies, texts
// ---------------------------------------------------------------------------------------------

/** The most common surnames, so that a demo shows the Müllers and Martins people expect. */
const COMMON_SURNAMES: Partial<Record<LocaleKey, readonly string[]>> = {
  de: [
    'Müller',
    'Schmidt',
    'Schneider',
    'Fischer',
    'Weber',
    'Meyer',
    'Wagner',
    'Becker',
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
    'Hartmann',
    'Lange',
    'Schmitt',
    'Werner',
    'Krause',
    'Meier',
    'Köhler',
  ],
  de_CH: [
    'Müller',
    'Meier',
    'Schmid',
    'Keller',
    'Weber',
    'Huber',
    'Schneider',
    'Meyer',
    'Steiner',
    'Fischer',
    'Gerber',
    'Brunner',
    'Baumann',
    'Frei',
    'Zimmermann',
    'Moser',
    'Bühler',
    'Lüthi',
  ],
  de_AT: [
    'Gruber',
    'Huber',
    'Bauer',
    'Wagner',
    'Müller',
    'Pichler',
    'Steiner',
    'Moser',
    'Mayer',
    'Hofer',
    'Leitner',
    'Berger',
    'Fuchs',
    'Eder',
    'Schwarz',
    'Wimmer',
    'Wöhrer',
    'Pötzl',
  ],
  fr: [
    'Martin',
    'Bernard',
    'Dubois',
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
    'Fournier',
    'Girard',
    'Bonnet',
    'Mercier',
  ],
  fr_CH: ['Favre', 'Rochat', 'Morel', 'Perret', 'Bonvin', 'Rey', 'Fontaine', 'Mottier', 'Clerc', 'Gay'],
};

const TRADES: Record<'de' | 'ch' | 'fr' | 'it' | 'nl', readonly string[]> = {
  de: [
    'Autohaus',
    'Bau',
    'Elektrotechnik',
    'Haustechnik',
    'Logistik',
    'Immobilien',
    'Consulting',
    'Metallbau',
    'Druckerei',
    'Gartenbau',
    'Transporte',
    'Steuerberatung',
    'Sanitär',
    'Software',
    'Maschinenbau',
    'Bäckerei',
    'Malerbetrieb',
    'Pflegedienst',
  ],
  ch: [
    'Treuhand',
    'Garage',
    'Holzbau',
    'Informatik',
    'Elektro',
    'Transporte',
    'Immobilien',
    'Bau',
    'Sanitär',
    'Gartenbau',
    'Architektur',
    'Carrosserie',
  ],
  fr: [
    'Transports',
    'Boulangerie',
    'Électricité',
    'Conseil',
    'Immobilier',
    'Garage',
    'Menuiserie',
    'Plomberie',
    'Informatique',
    'Bâtiment',
    'Fiduciaire',
    'Paysage',
  ],
  it: ['Trasporti', 'Costruzioni', 'Informatica', 'Immobiliare', 'Consulenza'],
  nl: ['Transport', 'Bouw', 'Installatietechniek', 'Advies', 'Logistiek'],
};

type WeightedForms = readonly (readonly [string, number])[];

/** Legal forms by country (and language in Switzerland), with their rough shares. */
function legalForms(country: DemoCountry, language: string): WeightedForms {
  switch (country) {
    case 'DE':
      return [
        ['GmbH', 55],
        ['GmbH & Co. KG', 12],
        ['AG', 5],
        ['KG', 7],
        ['OHG', 4],
        ['e.K.', 9],
        ['UG (haftungsbeschränkt)', 8],
      ];
    case 'AT':
      return [
        ['GmbH', 60],
        ['KG', 10],
        ['OG', 8],
        ['AG', 5],
        ['e.U.', 12],
        ['GmbH & Co KG', 5],
      ];
    case 'CH':
      return language.startsWith('fr')
        ? [
            ['SA', 50],
            ['Sàrl', 50],
          ]
        : [
            ['AG', 45],
            ['GmbH', 50],
            ['Genossenschaft', 5],
          ];
    case 'FR':
      return [
        ['SARL', 40],
        ['SAS', 35],
        ['SA', 8],
        ['EURL', 10],
        ['SASU', 7],
      ];
    case 'IT':
      return [
        ['S.r.l.', 80],
        ['S.p.A.', 20],
      ];
    case 'NL':
      return [['B.V.', 100]];
    case 'BE':
      return [
        ['SRL', 70],
        ['SA', 30],
      ];
    case 'LU':
      return [
        ['S.à r.l.', 70],
        ['S.A.', 30],
      ];
    case 'LI':
      return [
        ['AG', 70],
        ['Anstalt', 30],
      ];
  }
}

type Lang = 'de' | 'fr';
const langOf = (language: string): Lang => (language.startsWith('fr') ? 'fr' : 'de');

const NOTES: Record<Lang, readonly string[]> = {
  de: [
    'Interessiert sich für eine Probefahrt mit dem {model}.',
    'Hat nach Leasing- und Finanzierungsangeboten gefragt; Unterlagen per E-Mail geschickt.',
    'Winterreifen-Angebot besprochen, meldet sich nach den Feiertagen.',
    'Servicetermin für die Inspektion vereinbart.',
    'War mit der letzten Reparatur sehr zufrieden.',
    'Möchte über neue Elektromodelle informiert werden.',
    'Adresse nach Umzug aktualisiert.',
    'Fragt nach dem Restwert des {model} für eine Inzahlungnahme.',
  ],
  fr: [
    'Intéressé(e) par un essai du {model}.',
    'A demandé des offres de leasing et de financement ; documents envoyés par e-mail.',
    'Offre pneus hiver discutée, rappellera après les fêtes.',
    "Rendez-vous pris pour l'entretien.",
    'Très satisfait(e) de la dernière réparation.',
    'Souhaite être informé(e) des nouveaux modèles électriques.',
    'Adresse mise à jour après un déménagement.',
    'Demande la valeur de reprise du {model}.',
  ],
};

const CALLS: Record<Lang, readonly (readonly [string, string])[]> = {
  de: [
    ['Rückruf wegen Angebot', 'Angebot erläutert, Entscheidung bis Monatsende.'],
    ['Terminvereinbarung Inspektion', 'Termin in der Werkstatt bestätigt.'],
    ['Frage zur Rechnung', 'Position Ölwechsel erklärt, alles klar.'],
    ['Nachfrage Lieferzeit', 'Liefertermin beim Hersteller angefragt.'],
  ],
  fr: [
    ["Rappel concernant l'offre", "Offre expliquée, décision d'ici la fin du mois."],
    ["Rendez-vous pour l'entretien", "Rendez-vous à l'atelier confirmé."],
    ['Question sur la facture', 'Poste vidange expliqué, tout est clair.'],
    ['Délai de livraison', 'Date de livraison demandée au constructeur.'],
  ],
};

const MEETINGS: Record<Lang, readonly string[]> = {
  de: ['Beratungsgespräch im Autohaus', 'Probefahrt', 'Übergabe Neuwagen'],
  fr: ['Conseil en concession', 'Essai routier', 'Remise du véhicule neuf'],
};

// ---------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------

const LOCALE_CHAINS = {
  de: [de, en, base],
  de_CH: [de_CH, de, en, base],
  de_AT: [de_AT, de, en, base],
  fr_CH: [fr_CH, fr, en, base],
  fr: [fr, en, base],
  fr_BE: [fr_BE, fr, en, base],
  fr_LU: [fr_LU, fr, en, base],
  it: [it, en, base],
  nl: [nl, en, base],
} satisfies Record<LocaleKey, unknown[]>;

const MAIN: ReadonlySet<string> = new Set<MainCountry>(['DE', 'CH', 'AT', 'FR']);
const isMain = (c: DemoCountry): c is MainCountry => MAIN.has(c);

/** Lower-case ASCII for email addresses and domains: Müller → mueller, Lefèvre → lefevre. */
export function asciiFold(text: string): string {
  return text
    .replace(/Ä/g, 'Ae')
    .replace(/Ö/g, 'Oe')
    .replace(/Ü/g, 'Ue')
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

function slug(text: string): string {
  return asciiFold(text)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Counts per country by largest remainder: exactly the mix, not a sample of it. */
export function allocate(
  total: number,
  mix: readonly (readonly [DemoCountry, number])[],
): Map<DemoCountry, number> {
  const sum = mix.reduce((s, [, w]) => s + w, 0);
  const exact = mix.map(([c, w]) => [c, (total * w) / sum] as const);
  const counts = new Map<DemoCountry, number>(exact.map(([c, x]) => [c, Math.floor(x)]));
  let left = total - [...counts.values()].reduce((s, n) => s + n, 0);
  const byRemainder = [...exact].sort((a, b) => b[1] - Math.floor(b[1]) - (a[1] - Math.floor(a[1])));
  for (const [c] of byRemainder) {
    if (left <= 0) break;
    counts.set(c, (counts.get(c) ?? 0) + 1);
    left -= 1;
  }
  return counts;
}

const DAY_MS = 86_400_000;
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

class Generator {
  private readonly rng: Faker;
  private readonly fakers = new Map<LocaleKey, Faker>();
  private readonly emails = new Set<string>();
  private readonly domains = new Set<string>();
  readonly digit: Digit;
  /** Start of the reference day (UTC): dates lie before it, so they never lie in the future. */
  private readonly today: Date;

  constructor(private readonly options: DemoOptions) {
    this.rng = new Faker({ locale: [base] });
    this.rng.seed(options.seed);
    this.digit = () => this.rng.number.int(9);
    this.today = new Date(Math.floor(options.now.getTime() / DAY_MS) * DAY_MS);
  }

  faker(locale: LocaleKey): Faker {
    let f = this.fakers.get(locale);
    if (!f) {
      f = new Faker({ locale: LOCALE_CHAINS[locale] });
      f.seed([this.options.seed, Object.keys(LOCALE_CHAINS).indexOf(locale)]);
      this.fakers.set(locale, f);
    }
    return f;
  }

  chance(p: number): boolean {
    return this.rng.number.float({ min: 0, max: 1 }) < p;
  }

  int(min: number, max: number): number {
    return this.rng.number.int({ min, max });
  }

  pick<T>(items: readonly T[]): T {
    return this.rng.helpers.arrayElement(items);
  }

  weighted<T>(items: readonly (readonly [T, number])[]): T {
    return this.rng.helpers.weightedArrayElement(items.map(([value, weight]) => ({ value, weight })));
  }

  shuffle<T>(items: T[]): T[] {
    return this.rng.helpers.shuffle(items);
  }

  place(country: DemoCountry): Place {
    return this.weighted(PLACES[country].map((p) => [p, p.weight] as const));
  }

  postalCode(country: DemoCountry, place: Place): string {
    const [from, to, step] = place.postal;
    const value = from + step * this.int(0, Math.floor((to - from) / step));
    const code = String(value).padStart(POSTAL_DIGITS[country], '0');
    // Dutch codes end in two letters (never SA, SD or SS; we leave out S altogether).
    return country === 'NL'
      ? `${code} ${this.pick([...'ABCDEGHJKLMNPRTVWXZ'])}${this.pick([...'ABCDEGHJKLMNPRTVWXZ'])}`
      : code;
  }

  street(country: DemoCountry, place: Place): string {
    const name = this.faker(place.locale).location.street();
    const number = `${this.int(1, this.chance(0.7) ? 60 : 180)}${this.chance(0.06) ? this.pick(['a', 'b', 'c']) : ''}`;
    switch (country) {
      case 'FR':
      case 'BE':
      case 'LU':
        return `${number} ${name}`;
      case 'IT':
        return `${name}, ${number}`;
      default:
        return `${name} ${number}`;
    }
  }

  landline(country: DemoCountry, place: Place): string | null {
    if (!isMain(country) || place.area === '') return null;
    const length =
      country === 'DE'
        ? 10
        : country === 'CH' || country === 'FR'
          ? 9
          : place.area === '1'
            ? 9
            : place.area.length + 7;
    return phoneNumber(country, place.area, length, this.digit) ?? null;
  }

  mobile(country: DemoCountry): string | null {
    if (!isMain(country)) return mobileLike(country, this.digit) ?? null;
    const [prefix, length] = this.pick(MOBILE[country]);
    return phoneNumber(country, prefix, length, this.digit) ?? null;
  }

  surname(locale: LocaleKey): string {
    const common = COMMON_SURNAMES[locale];
    if (common && this.chance(0.2)) return this.pick(common);
    return this.faker(locale).person.lastName();
  }

  /** An address nobody owns: example.com/.net/.org (RFC 2606), numbered when taken. */
  uniqueEmail(local: string, domain: string): string {
    const clean = local.replace(/[^a-z0-9._-]+/g, '').replace(/^[._-]+|[._-]+$/g, '') || 'kontakt';
    let candidate = `${clean}@${domain}`;
    for (let n = 2; this.emails.has(candidate); n += 1) candidate = `${clean}${n}@${domain}`;
    this.emails.add(candidate);
    return candidate;
  }

  /** A company's own domain under the reserved `.example` top-level domain (RFC 2606). */
  uniqueDomain(name: string): string {
    const base = slug(name).slice(0, 40).replace(/-+$/, '') || 'firma';
    let candidate = `${base}.example`;
    for (let n = 2; this.domains.has(candidate); n += 1) candidate = `${base}-${n}.example`;
    this.domains.add(candidate);
    return candidate;
  }

  dateWithin(daysBack: number): Date {
    return new Date(this.today.getTime() - this.int(1, daysBack) * DAY_MS);
  }

  birthday(): string {
    const ageDays = this.int(18 * 365 + 5, 85 * 365);
    return isoDate(new Date(this.today.getTime() - ageDays * DAY_MS));
  }

  /** A moment of a working day (08:00–18:00 UTC) within the last `daysBack` days. */
  workingMoment(daysBack: number): string {
    const day = this.dateWithin(daysBack);
    return new Date(day.getTime() + this.int(8 * 60, 18 * 60) * 60_000).toISOString();
  }
}

function countries(g: Generator, total: number): DemoCountry[] {
  const list: DemoCountry[] = [];
  for (const [country, n] of allocate(total, COUNTRY_MIX)) for (let i = 0; i < n; i += 1) list.push(country);
  return g.shuffle(list);
}

type CompanyDraft = { body: CompanyBody; place: Place; language: string; domain: string };

function makeCompany(g: Generator, index: number, country: DemoCountry): CompanyDraft {
  const place = g.place(country);
  const language = place.language;
  const locale = place.locale;
  const trades =
    country === 'CH' && langOf(language) === 'de'
      ? TRADES.ch
      : country === 'IT'
        ? TRADES.it
        : country === 'NL'
          ? TRADES.nl
          : langOf(language) === 'fr'
            ? TRADES.fr
            : TRADES.de;
  const last = g.surname(locale);
  const trade = g.pick(trades);
  const form = g.weighted(legalForms(country, language));
  const pattern = g.int(0, 9);
  const core =
    langOf(language) === 'fr' || country === 'IT'
      ? pattern < 6
        ? `${trade} ${last}`
        : pattern < 8
          ? `${last} & Fils`
          : `${last} ${g.surname(locale)}`
      : pattern < 4
        ? `${trade} ${last}`
        : pattern < 7
          ? `${last} ${trade}`
          : pattern < 9
            ? `${last} & ${g.surname(locale)}`
            : `${place.city.split(/[ /]/)[0]} ${trade}`;
  const name = `${core} ${form}`;
  const domain = g.uniqueDomain(core);
  const tags: string[] = [];
  if (g.chance(0.5)) tags.push('Kunde');
  if (g.chance(0.2)) tags.push('Flottenkunde');
  if (g.chance(0.1)) tags.push('Partner');
  if (g.chance(0.08)) tags.push('Lieferant');
  const customFields: Record<string, string | number> = { kundennummer: `K-${String(10001 + index)}` };
  if (tags.includes('Flottenkunde')) customFields.flottengroesse = g.int(3, 250);
  let vatId: string | null = null;
  if (g.chance(0.9)) {
    if (country === 'DE') vatId = germanVat(g.digit);
    else if (country === 'AT') vatId = austrianVat(g.digit);
    else if (country === 'CH') vatId = swissUid(g.digit, langOf(language) === 'fr' ? 'TVA' : 'MWST');
    else if (country === 'FR') vatId = frenchVat(g.digit);
  }
  return {
    place,
    language,
    domain,
    body: {
      name,
      street: g.street(country, place),
      addressLine2: g.chance(0.08)
        ? langOf(language) === 'fr'
          ? `Bâtiment ${g.pick(['A', 'B', 'C'])}`
          : `${g.int(1, 5)}. OG`
        : null,
      postalCode: g.postalCode(country, place),
      city: place.city,
      region: place.region,
      country,
      email: `${langOf(language) === 'fr' ? 'contact' : 'info'}@${domain}`,
      phone: g.landline(country, place) ?? g.mobile(country),
      website: `https://www.${domain}`,
      vatId,
      tags,
      customFields,
    },
  };
}

const SALUTATIONS: Record<string, { female: string; male: string }> = {
  de: { female: 'Frau', male: 'Herr' },
  fr: { female: 'Madame', male: 'Monsieur' },
  it: { female: 'Signora', male: 'Signor' },
  nl: { female: 'Mevrouw', male: 'De heer' },
};

function carFields(g: Generator, language: string): Record<string, string | number | boolean | string[]> {
  const weights = BRAND_WEIGHTS[langOf(language)];
  const brand = g.weighted(BRANDS.map((b) => [b, weights[b.value] ?? 1] as const));
  const model = g.pick(brand.models);
  const fuel = brand.electric.includes(model)
    ? 'elektro'
    : g.weighted([
        ['benzin', 50],
        ['diesel', 32],
        ['hybrid', 18],
      ] as const);
  const fields: Record<string, string | number | boolean | string[]> = {
    marke: brand.value,
    modell: model,
    kraftstoff: fuel,
    kilometerstand: g.int(0, 22_000) * 10,
  };
  if (g.chance(0.8)) fields.letzter_service = isoDate(g.dateWithin(730));
  return fields;
}

function makeContact(
  g: Generator,
  country: DemoCountry,
  company: { index: number; draft: CompanyDraft } | null,
): DemoContact {
  const place = company && g.chance(0.7) ? company.draft.place : g.place(country);
  const locale = place.locale;
  const sex = g.chance(0.5) ? 'female' : 'male';
  const firstName = g.faker(locale).person.firstName(sex);
  const lastName = g.surname(locale);
  const language = place.language;
  const salutation = (SALUTATIONS[language.slice(0, 2)] ?? SALUTATIONS.de)?.[sex] ?? null;
  const sameAddress = company !== null && place === company.draft.place;
  const email = g.chance(0.88)
    ? company && g.chance(0.8)
      ? g.uniqueEmail(
          `${asciiFold(firstName)}.${asciiFold(lastName)}`.replace(/\s+/g, ''),
          company.draft.domain,
        )
      : g.uniqueEmail(
          privateLocalPart(g, firstName, lastName),
          g.weighted([
            ['example.com', 60],
            ['example.net', 25],
            ['example.org', 15],
          ] as const),
        )
    : null;
  const phone = company
    ? g.chance(0.8)
      ? g.landline(country, place)
      : null
    : g.chance(0.45)
      ? g.landline(country, place)
      : null;
  const mobile = g.chance(0.65) ? g.mobile(country) : null;
  const fax = company && g.chance(0.04) ? g.landline(country, place) : null;
  let bank: { iban: string; bic: string; holder: string } | null = null;
  if (isMain(country) && g.chance(0.3)) {
    const b = g.pick(BANKS[country]);
    bank = { iban: iban(country, b.code, g.digit), bic: b.bic, holder: `${firstName} ${lastName}` };
  }
  const paymentMethod = bank
    ? g.weighted([
        ['sepa_direct_debit', 70],
        ['bank_transfer', 20],
        ['invoice', 10],
      ] as const)
    : g.chance(0.4)
      ? g.weighted([
          ['invoice', 50],
          ['card', 25],
          ['bank_transfer', 15],
          ['cash', 10],
        ] as const)
      : null;

  const tags: string[] = [];
  const customer = g.chance(0.42);
  if (customer) tags.push('Kunde');
  else if (g.chance(0.5)) tags.push('Interessent');
  if (customer && g.chance(0.12)) tags.push('VIP');
  if (email && g.chance(0.4)) tags.push('Newsletter');
  if (g.chance(0.08)) tags.push('Messe 2026');
  if (company && g.chance(0.08)) tags.push('Partner');

  const customFields: Record<string, string | number | boolean | string[]> = {};
  if (customer ? g.chance(0.85) : g.chance(0.3)) Object.assign(customFields, carFields(g, language));
  if (tags.includes('Interessent')) customFields.probefahrt_gewuenscht = g.chance(0.45);
  else if (g.chance(0.1)) customFields.probefahrt_gewuenscht = false;
  if (g.chance(0.35)) {
    const chosen = INTERESTS.filter(() => g.chance(0.35)).map((o) => o.value);
    if (chosen.length > 0) customFields.interessen = chosen;
  }

  const address =
    sameAddress && company
      ? {
          street: company.draft.body.street,
          addressLine2: company.draft.body.addressLine2,
          postalCode: company.draft.body.postalCode,
        }
      : {
          street: g.street(country, place),
          addressLine2: g.chance(0.04)
            ? langOf(language) === 'fr'
              ? `Appartement ${g.int(1, 40)}`
              : g.pick(['Hinterhaus', `${g.int(1, 6)}. Stock`, `c/o ${g.surname(locale)}`])
            : null,
          postalCode: g.postalCode(country, place),
        };

  return {
    company: company?.index ?? null,
    body: {
      salutation,
      firstName,
      lastName,
      ...address,
      city: place.city,
      region: place.region,
      country,
      email,
      language,
      phone,
      fax,
      mobile,
      birthday: g.chance(0.65) ? g.birthday() : null,
      iban: bank?.iban ?? null,
      bic: bank?.bic ?? null,
      paymentMethod,
      accountHolder: bank?.holder ?? null,
      tags,
      customFields,
    },
  };
}

function privateLocalPart(g: Generator, first: string, last: string): string {
  const f = asciiFold(first).replace(/\s+/g, '');
  const l = asciiFold(last).replace(/\s+/g, '');
  const pattern = g.int(0, 5);
  const year = g.chance(0.3) ? String(g.int(60, 99)) : '';
  switch (pattern) {
    case 0:
      return `${f}.${l}`;
    case 1:
      return `${f.slice(0, 1)}.${l}`;
    case 2:
      return `${f}${l}${year}`;
    case 3:
      return `${l}.${f}`;
    case 4:
      return `${f}_${l}`;
    default:
      return `${f}.${l}${year}`;
  }
}

function makeActivity(g: Generator, contact: number, body: ContactBody): DemoActivity {
  const lang = langOf(body.language);
  const model = typeof body.customFields.modell === 'string' ? body.customFields.modell : null;
  const kind = g.weighted([
    ['note', 50],
    ['call', 40],
    ['meeting', 10],
  ] as const);
  const occurredAt = g.workingMoment(180);
  if (kind === 'note') {
    const templates = NOTES[lang].filter((t) => model !== null || !t.includes('{model}'));
    return {
      contact,
      kind,
      direction: null,
      subject: null,
      body: g.pick(templates).replace('{model}', model ?? ''),
      occurredAt,
      durationMinutes: null,
    };
  }
  if (kind === 'call') {
    const [subject, text] = g.pick(CALLS[lang]);
    return {
      contact,
      kind,
      direction: g.chance(0.5) ? 'inbound' : 'outbound',
      subject,
      body: text,
      occurredAt,
      durationMinutes: g.int(2, 25),
    };
  }
  return {
    contact,
    kind,
    direction: null,
    subject: g.pick(MEETINGS[lang]),
    body: null,
    occurredAt,
    durationMinutes: g.pick([30, 45, 60, 90]),
  };
}

/**
 * Generates the demo data set: `contacts` persons in the product's country mix, one company per
 * PERSONS_PER_COMPANY persons (same mix; about half of the persons work for one, each company has
 * at least one), custom-field definitions of a car dealer and a few timeline entries.
 */
export function generateDemoData(options: DemoOptions): DemoData {
  const g = new Generator(options);
  const companyCount =
    options.contacts === 0 ? 0 : Math.max(1, Math.round(options.contacts / PERSONS_PER_COMPANY));
  const companies = countries(g, companyCount).map((country, index) => makeCompany(g, index, country));
  const byCountry = new Map<DemoCountry, number[]>();
  companies.forEach((c, index) => {
    const list = byCountry.get(c.body.country as DemoCountry) ?? [];
    list.push(index);
    byCountry.set(c.body.country as DemoCountry, list);
  });
  const staffed = new Set<number>();
  const contacts = countries(g, options.contacts).map((country) => {
    const candidates = byCountry.get(country) ?? [];
    // Each company first gets one person of its country, then about half of the rest work for one.
    const unstaffed = candidates.find((i) => !staffed.has(i));
    const index = unstaffed ?? (candidates.length > 0 && g.chance(0.45) ? g.pick(candidates) : undefined);
    if (index === undefined) return makeContact(g, country, null);
    staffed.add(index);
    return makeContact(g, country, { index, draft: companies[index] as CompanyDraft });
  });
  const activityCount = Math.min(MAX_ACTIVITIES, Math.round(options.contacts / PERSONS_PER_ACTIVITY));
  const chosen = g
    .shuffle(contacts.map((_, i) => i))
    .slice(0, activityCount)
    .sort((a, b) => a - b);
  const activities = chosen.map((i) => makeActivity(g, i, (contacts[i] as DemoContact).body));
  return {
    customFields: [...DEMO_CUSTOM_FIELDS],
    companies: companies.map((c) => c.body),
    contacts,
    activities,
  };
}
