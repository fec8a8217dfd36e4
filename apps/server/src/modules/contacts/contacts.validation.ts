import countries from 'i18n-iso-countries';
import { electronicFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';

/**
 * The field rules of contacts and companies, as pure functions: each takes what a person typed
 * and answers the stored (normalised) value or why it is not acceptable.
 */
export type Checked = { ok: true; value: string } | { ok: false; message: string };

const ok = (value: string): Checked => ({ ok: true, value });
const bad = (message: string): Checked => ({ ok: false, message });

/** The region a national phone number is read in when the record names no country. */
export const DEFAULT_PHONE_REGION = 'DE';

const ALPHA2 = new Set(Object.keys(countries.getAlpha2Codes()));

/** ISO 3166-1 alpha-2, any case in, upper case out. */
export function checkCountry(raw: string): Checked {
  const code = raw.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(code) && ALPHA2.has(code)
    ? ok(code)
    : bad('must be an ISO 3166-1 alpha-2 country code, e.g. DE');
}

/** Whether the value can stand as a default region for phone numbers. */
export function isPhoneRegion(code: string | null | undefined): code is string {
  return typeof code === 'string' && checkCountry(code).ok;
}

/**
 * A phone number in E.164 (+41446681800). National numbers are read in `region` (the record's
 * country, else DE); international ones (+… or 00…) in any region.
 */
export function checkPhone(raw: string, region: string = DEFAULT_PHONE_REGION): Checked {
  const text = raw.trim();
  if (!/^[0-9+()./\s-]+$/.test(text)) return bad('must be a phone number: digits, spaces, + ( ) . / -');
  const parsed = parsePhoneNumberFromString(text, region as CountryCode);
  if (!parsed?.isValid()) {
    return bad(
      /^(\+|00)/.test(text)
        ? 'is not a valid phone number'
        : `is not a valid phone number in ${region} (add the country code, e.g. +41…)`,
    );
  }
  return ok(parsed.format('E.164'));
}

/** Whether a phone number carries its own country code (so needs no default region). */
export function isInternationalPhone(raw: string): boolean {
  return /^\s*(\+|00)/.test(raw);
}

const email = z.email();

export function checkEmail(raw: string): Checked {
  const text = raw.trim();
  return text.length <= 320 && email.safeParse(text).success ? ok(text) : bad('must be an email address');
}

/** An IBAN with a valid checksum, stored in electronic format (no spaces, upper case). */
export function checkIban(raw: string): Checked {
  const iban = electronicFormatIBAN(raw) ?? '';
  return isValidIBAN(iban) ? ok(iban) : bad('is not a valid IBAN (country, length or checksum is wrong)');
}

/** A BIC (ISO 9362): 8 or 11 characters, upper case. */
export function checkBic(raw: string): Checked {
  const bic = raw.replace(/\s+/g, '').toUpperCase();
  return isValidBIC(bic) ? ok(bic) : bad('is not a valid BIC (8 or 11 characters, e.g. COBADEFFXXX)');
}

/**
 * VAT / UID numbers. DE: DE + 9 digits. AT: ATU + 8 digits. CH: CHE-123.456.789 with an
 * optional MWST/TVA/IVA suffix (normalised to that spelling). FR: FR + 2 check characters + the
 * 9-digit SIREN. Other countries: two letters and 2–13 letters or digits. Checksums are not
 * verified yet (format only).
 */
export function checkVatId(raw: string): Checked {
  const compact = raw.toUpperCase().replace(/[\s.\-_/]/g, '');
  const swiss = /^CHE(\d{3})(\d{3})(\d{3})(MWST|TVA|IVA)?$/.exec(compact);
  if (swiss) {
    const [, a, b, c, suffix] = swiss;
    return ok(`CHE-${a}.${b}.${c}${suffix ? ` ${suffix}` : ''}`);
  }
  const prefix = compact.slice(0, 2);
  switch (prefix) {
    case 'CH':
      return bad('must be a Swiss UID: CHE-123.456.789, optionally followed by MWST, TVA or IVA');
    case 'DE':
      return /^DE\d{9}$/.test(compact) ? ok(compact) : bad('must be DE followed by 9 digits');
    case 'AT':
      return /^ATU\d{8}$/.test(compact) ? ok(compact) : bad('must be ATU followed by 8 digits');
    case 'FR':
      return /^FR[0-9A-HJ-NP-Z]{2}\d{9}$/.test(compact)
        ? ok(compact)
        : bad('must be FR, 2 check characters and the 9-digit SIREN');
    default:
      return /^[A-Z]{2}[0-9A-Z]{2,13}$/.test(compact)
        ? ok(compact)
        : bad('must be a VAT number: a 2-letter country prefix and 2–13 letters or digits');
  }
}

const canonicalTags = new Map<string, Checked>();

/** A BCP 47 language tag, canonicalised (de-ch → de-CH). */
export function checkLanguage(raw: string): Checked {
  const text = raw.trim();
  if (text.length === 0 || text.length > 35) return bad('must be a BCP 47 language tag, e.g. de or de-CH');
  // Intl's canonicalisation costs microseconds; the tags in use are few (de, fr, de-CH, …).
  const known = canonicalTags.get(text);
  if (known) return known;
  const checked = canonicalTag(text);
  if (canonicalTags.size >= 1000) canonicalTags.clear();
  canonicalTags.set(text, checked);
  return checked;
}

function canonicalTag(text: string): Checked {
  try {
    const [canonical] = Intl.getCanonicalLocales(text);
    return canonical ? ok(canonical) : bad('must be a BCP 47 language tag, e.g. de or de-CH');
  } catch {
    return bad('must be a BCP 47 language tag, e.g. de or de-CH');
  }
}

/** A calendar date YYYY-MM-DD, not in the future (UTC) and not before 1900. */
export function checkBirthday(raw: string, today: Date = new Date()): Checked {
  const text = raw.trim();
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return bad('must be a date YYYY-MM-DD');
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return bad('is not a calendar date');
  }
  if (text > today.toISOString().slice(0, 10)) return bad('must not be in the future');
  if (y < 1900) return bad('must not be before 1900');
  return ok(text);
}

/** An http(s) URL; a bare domain (example.com/path) gets https:// in front. */
export function checkWebsite(raw: string): Checked {
  const text = raw.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return bad('must be a web address, e.g. https://example.com');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return bad('must be an http or https address');
  if (!(url.hostname.includes('.') || url.hostname === 'localhost') || /\s/.test(text) || url.username) {
    return bad('must be a web address, e.g. https://example.com');
  }
  if (withScheme.length > 2048) return bad('must be at most 2048 characters');
  const bare = url.pathname === '/' && !url.search && !url.hash && !withScheme.endsWith('/');
  return ok(bare ? url.href.slice(0, -1) : url.href);
}
