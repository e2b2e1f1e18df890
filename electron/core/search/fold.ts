// Folding text for search: the same function makes what the full-text index holds and what a search asks
// for, so "öztürk" finds "Öztürk" and "ΣΟΦΙΑ" finds "σοφία" whatever the script.

/** Letters Unicode does not decompose into a base letter and a mark, folded the way people type them without the key. */
const EXTRA: Record<string, string> = {
  ß: 'ss',
  ẞ: 'ss',
  ı: 'i',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  ø: 'o',
  ħ: 'h',
  ŧ: 't',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
  ς: 'σ', // Greek final sigma: "ΝΙΚΟΣ" finds "Νίκος"
};
const EXTRA_RE = new RegExp(`[${Object.keys(EXTRA).join('')}]`, 'gu');

/**
 * Search form of a text: compatibility decomposition (NFKD, so full-width and ligature forms become plain
 * letters), combining marks removed (accents of every script: Latin, Greek tonos, Cyrillic й -> и, Hebrew
 * points...), lower case (Unicode default case mapping), then EXTRA for letters with no decomposition. Input
 * and output are JavaScript strings; null becomes ''. Used for both indexing and querying (search-index.ts).
 */
export function foldText(text: string | null | undefined): string {
  if (!text) return '';
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(EXTRA_RE, (c) => EXTRA[c]!)
    .normalize('NFC');
}
