import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { ConsentLanguage, QuestionOption, QuestionTexts } from './consent.schema.ts';
import type { ConsentPolarity, ConsentState } from './consent.tables.ts';

/**
 * The pure rules of consent: which DPV state an answer leads to, the hash that names a wording,
 * and which language of a text is shown.
 */

/**
 * The DPV state an answer of `polarity` leads to, after the current state `previous` (undefined:
 * the first answer). A grant is `dpv:ConsentGiven`; a prohibition is `dpv:Prohibition` (it beats
 * everything, also a grant given before); a neutral answer withdraws a grant
 * (`dpv:ConsentWithdrawn`), stays withdrawn after a withdrawal, and is otherwise a refusal
 * (`dpv:ConsentRefused`: a first "no", or leaving a prohibition without granting anything).
 */
export function nextState(previous: ConsentState | undefined, polarity: ConsentPolarity): ConsentState {
  switch (polarity) {
    case 'grant':
      return 'dpv:ConsentGiven';
    case 'prohibition':
      return 'dpv:Prohibition';
    case 'neutral':
      return previous === 'dpv:ConsentGiven' || previous === 'dpv:ConsentWithdrawn'
        ? 'dpv:ConsentWithdrawn'
        : 'dpv:ConsentRefused';
  }
}

/**
 * sha256 (hex) of the canonical JSON (RFC 8785) of `{ texts, options }`: the same wording and
 * options always give the same hash, whatever the key order they were sent in.
 */
export function textHashOf(texts: QuestionTexts, options: readonly QuestionOption[]): string {
  const canonical = canonicalize({ texts, options });
  if (canonical === undefined) throw new Error('consent: the wording does not serialise');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

const FALLBACK: Record<ConsentLanguage, ConsentLanguage[]> = {
  de: ['de', 'en', 'fr'],
  en: ['en', 'de', 'fr'],
  fr: ['fr', 'en', 'de'],
};

/** The value in `language`, else in the nearest language that has one (en before the other). */
export function inLanguage<T>(
  values: Partial<Record<ConsentLanguage, T | undefined>>,
  language: ConsentLanguage,
): T | undefined {
  for (const lang of FALLBACK[language]) {
    const value = values[lang];
    if (value !== undefined) return value;
  }
  return undefined;
}

/** The languages a question's wording has (its option labels must cover each). */
export function languagesOf(texts: QuestionTexts): ConsentLanguage[] {
  return (['de', 'en', 'fr'] as const).filter((l) => texts[l] !== undefined);
}
