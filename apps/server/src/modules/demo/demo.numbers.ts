import { composeIBAN, isValidIBAN } from 'ibantools';
import { type CountryCode, getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';

/**
 * Numbers with check digits, as the real schemes compute them, and phone numbers that
 * libphonenumber-js accepts. Pure: each takes random digits from the caller (`digit()`), so a
 * seeded generator gives the same numbers again.
 */

export type Digit = () => number;

function digits(n: number, digit: Digit, firstNonZero = false): string {
  let out = '';
  for (let i = 0; i < n; i += 1) out += String(i === 0 && firstNonZero ? 1 + (digit() % 9) : digit());
  return out;
}

/** German USt-IdNr.: DE + 8 digits + a check digit by ISO 7064 MOD 11,10 (BZSt scheme). */
export function germanVatCheckDigit(first8: string): number {
  let product = 10;
  for (const ch of first8) {
    let sum = (Number(ch) + product) % 10;
    if (sum === 0) sum = 10;
    product = (2 * sum) % 11;
  }
  const check = 11 - product;
  return check === 10 ? 0 : check;
}

export function germanVat(digit: Digit): string {
  const base = digits(8, digit, true);
  return `DE${base}${germanVatCheckDigit(base)}`;
}

/** Austrian UID: ATU + 7 digits + a check digit (Luhn-like, +4, BMF scheme). */
export function austrianVatCheckDigit(first7: string): number {
  let sum = 0;
  [...first7].forEach((ch, i) => {
    const d = Number(ch);
    if (i % 2 === 0) sum += d;
    else sum += d * 2 > 9 ? d * 2 - 9 : d * 2;
  });
  return (10 - ((sum + 4) % 10)) % 10;
}

export function austrianVat(digit: Digit): string {
  const base = digits(7, digit, true);
  return `ATU${base}${austrianVatCheckDigit(base)}`;
}

const SWISS_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4];

/** Swiss UID (CHE-123.456.789): the ninth digit is a MOD 11 check; undefined when it would be 10. */
export function swissUidCheckDigit(first8: string): number | undefined {
  const sum = [...first8].reduce((s, ch, i) => s + Number(ch) * (SWISS_WEIGHTS[i] ?? 0), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return undefined;
  return check === 11 ? 0 : check;
}

export function swissUid(digit: Digit, suffix: 'MWST' | 'TVA'): string {
  for (;;) {
    const base = digits(8, digit, true);
    const check = swissUidCheckDigit(base);
    if (check === undefined) continue;
    const all = `${base}${check}`;
    return `CHE-${all.slice(0, 3)}.${all.slice(3, 6)}.${all.slice(6)} ${suffix}`;
  }
}

/** Luhn check digit of a digit string. */
export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  [...payload].reverse().forEach((ch, i) => {
    const d = Number(ch);
    if (i % 2 === 0) sum += d * 2 > 9 ? d * 2 - 9 : d * 2;
    else sum += d;
  });
  return (10 - (sum % 10)) % 10;
}

/** French TVA intracommunautaire: FR + key (12 + 3 × (SIREN mod 97)) mod 97 + SIREN (Luhn). */
export function frenchVat(digit: Digit): string {
  const payload = digits(8, digit, true);
  const siren = `${payload}${luhnCheckDigit(payload)}`;
  const key = (12 + 3 * (Number(siren) % 97)) % 97;
  return `FR${String(key).padStart(2, '0')}${siren}`;
}

/** The RIB key of a French BBAN (code banque, code guichet, numéro de compte of digits). */
export function ribKey(bank: string, branch: string, account: string): string {
  const rest = (89n * BigInt(bank) + 15n * BigInt(branch) + 3n * BigInt(account)) % 97n;
  return String(97n - rest).padStart(2, '0');
}

/** An IBAN of the country with a made-up account at `bankCode`; check digits by mod 97. */
export function iban(country: 'DE' | 'CH' | 'AT' | 'FR', bankCode: string, digit: Digit): string {
  let bban: string;
  switch (country) {
    case 'DE':
      bban = `${bankCode}${digits(10, digit, true)}`;
      break;
    case 'AT':
      bban = `${bankCode}${digits(11, digit, true)}`;
      break;
    case 'CH':
      bban = `${bankCode}${digits(12, digit)}`;
      break;
    case 'FR': {
      const branch = digits(5, digit);
      const account = digits(11, digit);
      bban = `${bankCode}${branch}${account}${ribKey(bankCode, branch, account)}`;
      break;
    }
  }
  const composed = composeIBAN({ countryCode: country, bban });
  if (!composed || !isValidIBAN(composed)) throw new Error(`demo: composed an invalid ${country} IBAN`);
  return composed;
}

const CALLING_CODES: Record<string, string> = { DE: '49', CH: '41', AT: '43', FR: '33' };

/** Whether libphonenumber-js (full metadata) takes the number as valid; answers it in E.164. */
export function validPhone(e164: string): string | undefined {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed?.isValid() ? parsed.number : undefined;
}

/**
 * A phone number of the country: the national prefix (area code or mobile prefix) and random
 * digits up to `length` digits of national number, tried until libphonenumber-js accepts one.
 */
export function phoneNumber(
  country: 'DE' | 'CH' | 'AT' | 'FR',
  prefix: string,
  length: number,
  digit: Digit,
): string | undefined {
  const code = CALLING_CODES[country] as string;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const rest = length - prefix.length;
    if (rest < 3) return undefined;
    const valid = validPhone(`+${code}${prefix}${digits(rest, digit, true)}`);
    if (valid) return valid;
  }
  return undefined;
}

/**
 * A mobile number of any country: libphonenumber-js's example number with its last four digits
 * made random, tried until it is valid.
 */
export function mobileLike(country: string, digit: Digit): string | undefined {
  const example = getExampleNumber(country as CountryCode, examples);
  if (!example) return undefined;
  const national = String(example.nationalNumber);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const valid = validPhone(`+${example.countryCallingCode}${national.slice(0, -4)}${digits(4, digit)}`);
    if (valid) return valid;
  }
  return undefined;
}
