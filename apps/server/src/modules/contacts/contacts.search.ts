/** What a search box query becomes: words (each must match) or, for a phone number, its digits. */
export type SearchTerms = { kind: 'words'; words: string[] } | { kind: 'digits'; digits: string };

/**
 * A search box query: a phone number (only digits and + ( ) . / - and spaces, ≥ 3 digits)
 * searches the digits without leading zeros (so 044 668 18 00 finds +41 44 668 18 00);
 * anything else is words, each of which must match. Undefined when nothing is searchable.
 * The database folds and splits the words as it does the stored text (`kontor_search_ids()`,
 * migration 20261130120000_contacts_search_rls.sql): `Müller-Lüdenscheidt` is two words there.
 */
export function searchTerms(q: string): SearchTerms | undefined {
  if (/^[+(]?[\d\s()./-]+$/.test(q)) {
    const digits = q.replace(/\D/g, '').replace(/^0+/, '');
    if (digits.length >= 3) return { kind: 'digits', digits };
  }
  const words = q
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w))
    .slice(0, 8);
  return words.length > 0 ? { kind: 'words', words } : undefined;
}
