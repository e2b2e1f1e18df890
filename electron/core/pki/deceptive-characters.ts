// Characters that make a name display as another, or hide part of it: the bidirectional formatting
// characters (Unicode UAX #9) and the invisible ones (zero-width space and joiners' look-alikes, word joiner,
// the byte order mark, line and paragraph separators, soft hyphen, Hangul fillers). One list for every name
// CertDesk puts into a certificate (holders, CSR subjects) and for what the CLI escapes on a terminal.
// ZWNJ and ZWJ (U+200C, U+200D) are left out on purpose: Persian and Indic scripts need them in names.
// Source: Unicode UTS #39 (confusables, default-ignorable code points) and UAX #9.

/** ALM, LRM, RLM; LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI. "\u202Egro.elpmaxe" displays as "example.org". */
export const BIDI_CHARACTERS = '\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069';
/** Soft hyphen, CGJ, Mongolian vowel separator, ZWSP, word joiner and invisible operators, LS, PS, BOM, Hangul fillers. */
export const INVISIBLE_CHARACTERS = '\u00ad\u034f\u115f\u1160\u180e\u200b\u2028\u2029\u2060-\u2064\u3164\ufeff\uffa0';

const DECEPTIVE = new RegExp(`[${BIDI_CHARACTERS}${INVISIBLE_CHARACTERS}]`, 'u');
const BIDI = new RegExp(`[${BIDI_CHARACTERS}]`, 'u');

/** "U+202E". */
export function codePointName(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The first bidirectional or invisible character in `text` with what it does, or null. For messages:
 * "bidirectional control character U+202E" / "invisible character U+200B".
 */
export function deceptiveCharacter(text: string): { char: string; what: string } | null {
  const m = DECEPTIVE.exec(text);
  if (!m) return null;
  return { char: m[0], what: `${BIDI.test(m[0]) ? 'bidirectional control' : 'invisible'} character ${codePointName(m[0])}` };
}
