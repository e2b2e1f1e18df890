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
 * Combining marks that are accents, and only those: the marks after a letter of a script whose marks people
 * leave out when they type (Latin, Greek, Cyrillic, Armenian, Georgian; Hebrew and Arabic vowel points).
 * In Devanagari, Bengali, Tamil, Thai and the other abugidas a mark is a vowel or a virama (कि is not क), and
 * a Japanese voiced mark makes another syllable (が is not か): those marks stay.
 */
const ACCENTS = /(?<=[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Armenian}\p{Script=Georgian}\p{Script=Hebrew}\p{Script=Arabic}]\p{M}*)\p{M}+/gu;

/**
 * Which folding the search index holds (search-index.ts re-indexes a vault indexed with another one):
 * 1 removed every combining mark; 2 removes accents only (ACCENTS).
 */
export const FOLD_VERSION = '2';

/**
 * Search form of a text: compatibility decomposition (NFKD, so full-width and ligature forms become plain
 * letters), accents removed (ACCENTS: Latin, Greek tonos, Cyrillic й -> и, Hebrew points...; the vowel signs
 * of Indic scripts and the Japanese voiced marks stay), lower case (Unicode default case mapping), then EXTRA
 * for letters with no decomposition. Input and output are JavaScript strings; null becomes ''. Used for both
 * indexing and querying (search-index.ts).
 */
export function foldText(text: string | null | undefined): string {
  if (!text) return '';
  return text
    .normalize('NFKD')
    .replace(ACCENTS, '')
    .toLowerCase()
    .replace(EXTRA_RE, (c) => EXTRA[c]!)
    .normalize('NFC');
}
