// Text from certificates and files reaches a terminal only with its control characters made visible:
// a CN holding "ESC ] 0 ; ... BEL" would otherwise retitle the window, "ESC [ 2 J" clear the screen, and a
// right-to-left override (U+202E) make "cod.exe" read as "exe.doc". ECMA-48 defines C0 (U+0000-001F),
// DEL (U+007F) and C1 (U+0080-009F); Unicode UAX #9 the bidirectional embeddings, overrides (U+202A-202E)
// and isolates (U+2066-2069), and the invisible characters of core/pki/deceptive-characters.ts.
import { BIDI_CHARACTERS, INVISIBLE_CHARACTERS } from '../core/pki/deceptive-characters.js';

/** The bidi marks, embeddings, overrides and isolates, and the invisible characters (deceptive-characters.ts). */
const DECEPTIVE = `${BIDI_CHARACTERS}${INVISIBLE_CHARACTERS}`;
/** Everything escaped in one value: C0, DEL, C1, and the deceptive characters. */
const UNSAFE = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${DECEPTIVE}]`, 'gu');
/** The same, except the tab and the line feed that lay out lines of CLI output. */
const UNSAFE_BUT_NEWLINE = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f${DECEPTIVE}]`, 'gu');
/** In JSON text: what JSON.stringify leaves raw (it escapes C0 itself). */
const UNSAFE_IN_JSON = new RegExp(`[\\u007f-\\u009f${DECEPTIVE}]`, 'gu');

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * One data value (a name, a subject, a path) for a terminal: every control and bidi control character,
 * line breaks included, becomes a visible escape: ESC "\x1b", BEL "\x07", LF "\x0a", U+202E "\u202e".
 * Other text, backslashes included, is unchanged.
 */
export function escapeTerminal(value: string): string {
  return value.replace(UNSAFE, visible);
}

/**
 * A whole block of CLI output (lines ending "\n"): the same escapes as escapeTerminal except the line
 * feeds and tabs that lay it out. The last guard before stdout and stderr, for text that already has its values
 * escaped by format.ts and for messages that name a record (errors, summaries).
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_BUT_NEWLINE, visible);
}

/**
 * JSON text for stdout: JSON.stringify already writes C0 as "\u001b"; DEL, C1 and the bidi controls get
 * the same "\uXXXX" escape, so the JSON means the same values and carries no raw control character.
 */
export function jsonSafe(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
