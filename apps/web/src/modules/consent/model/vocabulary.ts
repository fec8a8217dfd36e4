/**
 * The identifiers consent questions use (W3C DPV CURIEs, see docs on privacy): purposes, legal
 * bases, channels, answer polarities, consent states and sources. The labels live in the
 * translations under `consent.<list>.<key>`; an identifier this list does not know is shown as it is.
 */

export const CONSENT_LANGUAGES = ['de', 'en', 'fr'] as const;
export type ConsentLanguage = (typeof CONSENT_LANGUAGES)[number];

/** The purposes of the Kontor CRM profile (privacy notes §1.2) and `x-crm:` for the gaps. */
export const PURPOSES = [
  'dpv:DirectMarketing',
  'dpv:ServiceUsageAnalytics',
  'dpv:PersonalisedAdvertising',
  'dpv:CustomerRelationshipManagement',
  'dpv:CustomerCare',
  'dpv:CommunicationManagement',
  'dpv:FulfilmentOfContractualObligation',
  'dpv:PaymentManagement',
  'dpv:LegalCompliance',
  'dpv:RecordManagement',
  'dpv:RightsFulfilment',
  'x-crm:ErasureRequest',
] as const;
export type Purpose = (typeof PURPOSES)[number];
export type PurposeKey = Purpose extends `${string}:${infer K}` ? K : never;

export const LEGAL_BASES = [
  'eu-gdpr:A6-1-a',
  'eu-gdpr:A6-1-b',
  'eu-gdpr:A6-1-c',
  'eu-gdpr:A6-1-f',
  'eu-gdpr:A7-3',
  'eu-gdpr:A9-2-a',
  'eu-gdpr:A21',
  'x-ch:A31',
] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];
export type LegalBasisKey = LegalBasis extends `${string}:${infer K}` ? K : never;

export const CHANNELS = ['email', 'postal', 'phone', 'sms', 'any'] as const;
export type Channel = (typeof CHANNELS)[number];

export const POLARITIES = ['grant', 'prohibition', 'neutral'] as const;
export type Polarity = (typeof POLARITIES)[number];

export const CONSENT_STATES = [
  'dpv:ConsentGiven',
  'dpv:ConsentRefused',
  'dpv:ConsentWithdrawn',
  'dpv:Prohibition',
] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];
export type ConsentStateKey = ConsentState extends `dpv:${infer K}` ? K : never;

export const CONSENT_SOURCES = [
  'form',
  'portal',
  'preferences',
  'staff',
  'import',
  'site',
  'newsletter',
] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/** The part after the prefix: `dpv:DirectMarketing` → `DirectMarketing`. */
function localName(curie: string): string {
  const at = curie.indexOf(':');
  return at === -1 ? curie : curie.slice(at + 1);
}

function known<T extends string>(list: readonly T[], value: string): T | undefined {
  return list.find((candidate) => candidate === value);
}

/** The translation key of a purpose, or undefined for one outside the profile (shown as its CURIE). */
export function purposeKey(purpose: string): PurposeKey | undefined {
  const found = known(PURPOSES, purpose);
  return found === undefined ? undefined : (localName(found) as PurposeKey);
}

export function legalBasisKey(basis: string): LegalBasisKey | undefined {
  const found = known(LEGAL_BASES, basis);
  return found === undefined ? undefined : (localName(found) as LegalBasisKey);
}

export function consentStateKey(state: string): ConsentStateKey | undefined {
  const found = known(CONSENT_STATES, state);
  return found === undefined ? undefined : (localName(found) as ConsentStateKey);
}

export function isChannel(value: string): value is Channel {
  return known(CHANNELS, value) !== undefined;
}

export function isSource(value: string): value is ConsentSource {
  return known(CONSENT_SOURCES, value) !== undefined;
}

export function isPolarity(value: string): value is Polarity {
  return known(POLARITIES, value) !== undefined;
}

/** A text in the language asked for, else in the first of de/en/fr that has one. */
export function pickText(
  texts: Partial<Record<ConsentLanguage, string | undefined>>,
  language: string,
): string {
  const own = texts[language.slice(0, 2) as ConsentLanguage];
  if (own) return own;
  for (const lang of CONSENT_LANGUAGES) {
    const value = texts[lang];
    if (value) return value;
  }
  return '';
}
