/**
 * Where demo people live and bank: real cities with their postal-code ranges, state / canton /
 * Bundesland / région, phone area code and language, and real banks with their codes and BICs
 * (institutions, not people). Account numbers are made up; check digits are computed.
 */

export type MainCountry = 'DE' | 'CH' | 'AT' | 'FR';
export type OtherCountry = 'IT' | 'NL' | 'BE' | 'LU' | 'LI';
export type DemoCountry = MainCountry | OtherCountry;

/** Which faker locale chain names and streets come from. */
export type LocaleKey = 'de' | 'de_CH' | 'fr_CH' | 'de_AT' | 'fr' | 'it' | 'nl' | 'fr_BE' | 'fr_LU';

export type Place = {
  city: string;
  /** Bundesland, canton code, Austrian Bundesland, French région … */
  region: string;
  /** Postal codes from `from` to `to` in steps of `step`, zero-padded to the country's length. */
  postal: readonly [from: number, to: number, step: number];
  /** National area code without the trunk 0 (empty: no landline numbers generated). */
  area: string;
  /** BCP 47 language of the people there. */
  language: string;
  locale: LocaleKey;
  /** Relative share among the country's places. */
  weight: number;
};

const de = (city: string, region: string, postal: [number, number], area: string, weight: number): Place => ({
  city,
  region,
  postal: [postal[0], postal[1], 1],
  area,
  language: 'de-DE',
  locale: 'de',
  weight,
});

export const PLACES: Record<DemoCountry, readonly Place[]> = {
  DE: [
    de('Berlin', 'Berlin', [10115, 14199], '30', 12),
    de('Hamburg', 'Hamburg', [20095, 22769], '40', 8),
    de('München', 'Bayern', [80331, 81929], '89', 8),
    de('Köln', 'Nordrhein-Westfalen', [50667, 51149], '221', 6),
    de('Frankfurt am Main', 'Hessen', [60306, 60599], '69', 5),
    de('Stuttgart', 'Baden-Württemberg', [70173, 70629], '711', 5),
    de('Düsseldorf', 'Nordrhein-Westfalen', [40210, 40629], '211', 4),
    de('Leipzig', 'Sachsen', [4103, 4357], '341', 4),
    de('Dresden', 'Sachsen', [1067, 1328], '351', 4),
    de('Nürnberg', 'Bayern', [90402, 90491], '911', 3),
    de('Hannover', 'Niedersachsen', [30159, 30669], '511', 3),
    de('Bremen', 'Bremen', [28195, 28779], '421', 3),
    de('Essen', 'Nordrhein-Westfalen', [45127, 45359], '201', 3),
    de('Dortmund', 'Nordrhein-Westfalen', [44135, 44388], '231', 3),
    de('Münster', 'Nordrhein-Westfalen', [48143, 48167], '251', 2),
    de('Freiburg im Breisgau', 'Baden-Württemberg', [79098, 79117], '761', 2),
    de('Mainz', 'Rheinland-Pfalz', [55116, 55131], '6131', 2),
    de('Saarbrücken', 'Saarland', [66111, 66133], '681', 2),
    de('Kiel', 'Schleswig-Holstein', [24103, 24159], '431', 2),
    de('Lübeck', 'Schleswig-Holstein', [23552, 23570], '451', 1),
    de('Rostock', 'Mecklenburg-Vorpommern', [18055, 18147], '381', 2),
    de('Erfurt', 'Thüringen', [99084, 99099], '361', 2),
    de('Magdeburg', 'Sachsen-Anhalt', [39104, 39130], '391', 2),
    de('Potsdam', 'Brandenburg', [14467, 14482], '331', 2),
    de('Wiesbaden', 'Hessen', [65183, 65207], '611', 2),
    de('Augsburg', 'Bayern', [86150, 86199], '821', 2),
    de('Würzburg', 'Bayern', [97070, 97084], '931', 1),
    de('Regensburg', 'Bayern', [93047, 93059], '941', 1),
    de('Göttingen', 'Niedersachsen', [37073, 37085], '551', 1),
    de('Heidelberg', 'Baden-Württemberg', [69115, 69126], '6221', 1),
    de('Tübingen', 'Baden-Württemberg', [72070, 72076], '7071', 1),
  ],
  CH: [
    ...(
      [
        ['Zürich', 'ZH', [8001, 8057], '44', 14],
        ['Winterthur', 'ZH', [8400, 8411], '52', 4],
        ['Bern', 'BE', [3001, 3030], '31', 8],
        ['Thun', 'BE', [3600, 3608], '33', 2],
        ['Basel', 'BS', [4051, 4059], '61', 7],
        ['Luzern', 'LU', [6002, 6006], '41', 5],
        ['Zug', 'ZG', [6300, 6300], '41', 3],
        ['St. Gallen', 'SG', [9000, 9016], '71', 4],
        ['Aarau', 'AG', [5000, 5004], '62', 3],
        ['Baden', 'AG', [5400, 5406], '56', 3],
        ['Olten', 'SO', [4600, 4600], '62', 2],
        ['Chur', 'GR', [7000, 7007], '81', 2],
        ['Schaffhausen', 'SH', [8200, 8208], '52', 2],
        ['Frauenfeld', 'TG', [8500, 8500], '52', 2],
        ['Biel/Bienne', 'BE', [2500, 2505], '32', 2],
      ] as const
    ).map(
      ([city, region, [from, to], area, weight]): Place => ({
        city,
        region,
        postal: [from, to, 1],
        area,
        language: 'de-CH',
        locale: 'de_CH',
        weight,
      }),
    ),
    ...(
      [
        ['Genève', 'GE', [1201, 1209], '22', 9],
        ['Lausanne', 'VD', [1003, 1018], '21', 8],
        ['Montreux', 'VD', [1820, 1820], '21', 2],
        ['Yverdon-les-Bains', 'VD', [1400, 1400], '24', 2],
        ['Neuchâtel', 'NE', [2000, 2000], '32', 2],
        ['Fribourg', 'FR', [1700, 1700], '26', 2],
        ['Sion', 'VS', [1950, 1950], '27', 2],
        ['Delémont', 'JU', [2800, 2800], '32', 1],
      ] as const
    ).map(
      ([city, region, [from, to], area, weight]): Place => ({
        city,
        region,
        postal: [from, to, 1],
        area,
        language: 'fr-CH',
        locale: 'fr_CH',
        weight,
      }),
    ),
  ],
  AT: (
    [
      ['Wien', 'Wien', [1010, 1230, 10], '1', 20],
      ['Graz', 'Steiermark', [8010, 8055, 1], '316', 6],
      ['Linz', 'Oberösterreich', [4020, 4040, 1], '732', 5],
      ['Wels', 'Oberösterreich', [4600, 4600, 1], '7242', 1],
      ['Salzburg', 'Salzburg', [5020, 5026, 1], '662', 4],
      ['Innsbruck', 'Tirol', [6020, 6080, 10], '512', 4],
      ['Klagenfurt am Wörthersee', 'Kärnten', [9020, 9073, 1], '463', 3],
      ['Villach', 'Kärnten', [9500, 9524, 1], '4242', 1],
      ['St. Pölten', 'Niederösterreich', [3100, 3109, 1], '2742', 2],
      ['Wiener Neustadt', 'Niederösterreich', [2700, 2700, 1], '2622', 2],
      ['Bregenz', 'Vorarlberg', [6900, 6900, 1], '5574', 1],
      ['Dornbirn', 'Vorarlberg', [6850, 6850, 1], '5572', 1],
      ['Eisenstadt', 'Burgenland', [7000, 7000, 1], '2682', 1],
    ] as const
  ).map(
    ([city, region, postal, area, weight]): Place => ({
      city,
      region,
      postal,
      area,
      language: 'de-AT',
      locale: 'de_AT',
      weight,
    }),
  ),
  FR: (
    [
      ['Paris', 'Île-de-France', [75001, 75020, 1], '1', 18],
      ['Boulogne-Billancourt', 'Île-de-France', [92100, 92100, 1], '1', 2],
      ['Lyon', 'Auvergne-Rhône-Alpes', [69001, 69009, 1], '4', 6],
      ['Annecy', 'Auvergne-Rhône-Alpes', [74000, 74000, 1], '4', 1],
      ['Marseille', "Provence-Alpes-Côte d'Azur", [13001, 13016, 1], '4', 5],
      ['Nice', "Provence-Alpes-Côte d'Azur", [6000, 6300, 100], '4', 3],
      ['Toulouse', 'Occitanie', [31000, 31500, 100], '5', 4],
      ['Montpellier', 'Occitanie', [34000, 34090, 10], '4', 3],
      ['Bordeaux', 'Nouvelle-Aquitaine', [33000, 33800, 100], '5', 3],
      ['Nantes', 'Pays de la Loire', [44000, 44300, 100], '2', 3],
      ['Rennes', 'Bretagne', [35000, 35700, 100], '2', 2],
      ['Strasbourg', 'Grand Est', [67000, 67200, 100], '3', 3],
      ['Mulhouse', 'Grand Est', [68100, 68200, 100], '3', 1],
      ['Lille', 'Hauts-de-France', [59000, 59800, 100], '3', 3],
      ['Rouen', 'Normandie', [76000, 76100, 100], '2', 1],
      ['Dijon', 'Bourgogne-Franche-Comté', [21000, 21000, 1], '3', 1],
      ['Orléans', 'Centre-Val de Loire', [45000, 45100, 100], '2', 1],
      ['Ajaccio', 'Corse', [20090, 20090, 1], '4', 1],
    ] as const
  ).map(
    ([city, region, postal, area, weight]): Place => ({
      city,
      region,
      postal,
      area,
      language: 'fr-FR',
      locale: 'fr',
      weight,
    }),
  ),
  IT: [
    {
      city: 'Milano',
      region: 'Lombardia',
      postal: [20121, 20162, 1],
      area: '',
      language: 'it-IT',
      locale: 'it',
      weight: 2,
    },
    {
      city: 'Como',
      region: 'Lombardia',
      postal: [22100, 22100, 1],
      area: '',
      language: 'it-IT',
      locale: 'it',
      weight: 1,
    },
  ],
  NL: [
    {
      city: 'Amsterdam',
      region: 'Noord-Holland',
      postal: [1011, 1109, 1],
      area: '',
      language: 'nl-NL',
      locale: 'nl',
      weight: 2,
    },
    {
      city: 'Utrecht',
      region: 'Utrecht',
      postal: [3511, 3585, 1],
      area: '',
      language: 'nl-NL',
      locale: 'nl',
      weight: 1,
    },
  ],
  BE: [
    {
      city: 'Bruxelles',
      region: 'Région de Bruxelles-Capitale',
      postal: [1000, 1210, 10],
      area: '',
      language: 'fr-BE',
      locale: 'fr_BE',
      weight: 1,
    },
    {
      city: 'Liège',
      region: 'Wallonie',
      postal: [4000, 4020, 10],
      area: '',
      language: 'fr-BE',
      locale: 'fr_BE',
      weight: 1,
    },
  ],
  LU: [
    {
      city: 'Luxembourg',
      region: 'Luxembourg',
      postal: [1111, 2999, 1],
      area: '',
      language: 'fr-LU',
      locale: 'fr_LU',
      weight: 1,
    },
  ],
  LI: [
    {
      city: 'Vaduz',
      region: 'Oberland',
      postal: [9490, 9490, 1],
      area: '',
      language: 'de-LI',
      locale: 'de_CH',
      weight: 1,
    },
    {
      city: 'Schaan',
      region: 'Oberland',
      postal: [9494, 9494, 1],
      area: '',
      language: 'de-LI',
      locale: 'de_CH',
      weight: 1,
    },
  ],
};

/** Digits of a postal code per country (NL codes get two letters after the digits). */
export const POSTAL_DIGITS: Record<DemoCountry, number> = {
  DE: 5,
  FR: 5,
  IT: 5,
  CH: 4,
  AT: 4,
  NL: 4,
  BE: 4,
  LU: 4,
  LI: 4,
};

/** Mobile prefixes (national, without the trunk 0) and the national number's length. */
export const MOBILE: Record<MainCountry, readonly (readonly [prefix: string, length: number])[]> = {
  DE: [
    ['151', 11],
    ['152', 11],
    ['157', 11],
    ['160', 10],
    ['170', 10],
    ['171', 10],
    ['172', 10],
    ['173', 10],
    ['175', 10],
    ['176', 11],
    ['177', 11],
    ['178', 11],
    ['179', 11],
  ],
  CH: [
    ['75', 9],
    ['76', 9],
    ['77', 9],
    ['78', 9],
    ['79', 9],
  ],
  AT: [
    ['650', 10],
    ['660', 10],
    ['664', 10],
    ['676', 10],
    ['680', 10],
    ['681', 10],
    ['699', 11],
  ],
  FR: [
    ['6', 9],
    ['7', 9],
  ],
};

export type Bank = { name: string; code: string; bic: string };

/** Banks by country: national bank code (DE BLZ, CH IID, AT BLZ, FR code banque + guichet) and BIC. */
export const BANKS: Record<MainCountry, readonly Bank[]> = {
  DE: [
    { name: 'Deutsche Bank', code: '10070000', bic: 'DEUTDEBBXXX' },
    { name: 'Commerzbank', code: '37040044', bic: 'COBADEFFXXX' },
    { name: 'ING-DiBa', code: '50010517', bic: 'INGDDEFFXXX' },
    { name: 'Stadtsparkasse München', code: '70150000', bic: 'SSKMDEMMXXX' },
    { name: 'Hamburger Sparkasse', code: '20050550', bic: 'HASPDEHHXXX' },
    { name: 'Berliner Sparkasse', code: '10050000', bic: 'BELADEBEXXX' },
    { name: 'Postbank', code: '10010010', bic: 'PBNKDEFFXXX' },
  ],
  CH: [
    { name: 'UBS Switzerland', code: '00230', bic: 'UBSWCHZH80A' },
    { name: 'Zürcher Kantonalbank', code: '00700', bic: 'ZKBKCHZZ80A' },
    { name: 'PostFinance', code: '09000', bic: 'POFICHBEXXX' },
    { name: 'Raiffeisen Schweiz', code: '80808', bic: 'RAIFCH22XXX' },
    { name: 'Banque Cantonale Vaudoise', code: '00767', bic: 'BCVLCH2LXXX' },
    { name: 'Banque Cantonale de Genève', code: '00788', bic: 'BCGECHGGXXX' },
  ],
  AT: [
    { name: 'Erste Bank', code: '20111', bic: 'GIBAATWWXXX' },
    { name: 'UniCredit Bank Austria', code: '12000', bic: 'BKAUATWWXXX' },
    { name: 'BAWAG', code: '14000', bic: 'BAWAATWWXXX' },
    { name: 'Raiffeisenlandesbank Oberösterreich', code: '34000', bic: 'RZOOAT2LXXX' },
  ],
  FR: [
    { name: 'BNP Paribas', code: '30004', bic: 'BNPAFRPPXXX' },
    { name: 'Société Générale', code: '30003', bic: 'SOGEFRPPXXX' },
    { name: 'Crédit Lyonnais', code: '30002', bic: 'CRLYFRPPXXX' },
    { name: 'La Banque Postale', code: '20041', bic: 'PSSTFRPPXXX' },
  ],
};
