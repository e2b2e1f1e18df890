// The vault passphrase's strength: one estimator (zxcvbn-ts with its common-language dictionaries and
// keyboard graphs) shared by the renderer's meter and the engine's rule, so the meter and the refusal
// always agree. zxcvbn scores 0-4 from the guesses an attacker needs (log10 < 3, < 6, < 8, < 10, >= 10);
// a new or changed vault passphrase needs MIN_PASSPHRASE_SCORE (3: about 10^8 guesses, which the vault's
// scrypt KDF makes years of work offline). The dictionaries (about 400 KiB) are imported on first use, so a
// renderer bundle and a CLI command that never sets a passphrase do not load them.
import type { ZxcvbnFactory, ZxcvbnResult } from '@zxcvbn-ts/core';

/** The lowest zxcvbn score (0-4) a new vault passphrase may have. */
export const MIN_PASSPHRASE_SCORE = 3;

/** Words everyone near this vault knows; a passphrase built from them counts as guessable. */
export const PASSPHRASE_CONTEXT_WORDS = ['certdesk', 'vault', 'certificate', 'passphrase', 'password'];

/** What the estimator says about one passphrase. */
export interface PassphraseEstimate {
  /** zxcvbn's score, 0 (guessed at once) to 4 (very unguessable). */
  score: 0 | 1 | 2 | 3 | 4;
  /** About log2 of the guesses needed (from zxcvbn's guessesLog10), for the meter. */
  bits: number;
  /** zxcvbn's warning in plain words, or null. */
  warning: string | null;
  /** zxcvbn's suggestions in plain words. */
  suggestions: string[];
}

export type PassphraseEstimator = (passphrase: string) => PassphraseEstimate;

// English texts for zxcvbn-ts's feedback keys (@zxcvbn-ts/core translationKeys; @zxcvbn-ts/language-en holds the
// same texts but is not a dependency).
const WARNINGS: Record<string, string> = {
  straightRow: 'Straight rows of keys on your keyboard are easy to guess.',
  keyPattern: 'Short keyboard patterns are easy to guess.',
  simpleRepeat: 'Repeated characters like "aaa" are easy to guess.',
  extendedRepeat: 'Repeated character patterns like "abcabcabc" are easy to guess.',
  sequences: 'Common character sequences like "abc" are easy to guess.',
  recentYears: 'Recent years are easy to guess.',
  dates: 'Dates are easy to guess.',
  topTen: 'This is a heavily used password.',
  topHundred: 'This is a frequently used password.',
  common: 'This is a commonly used password.',
  similarToCommon: 'This is similar to a commonly used password.',
  wordByItself: 'Single words are easy to guess.',
  namesByThemselves: 'Single names or surnames are easy to guess.',
  commonNames: 'Common names and surnames are easy to guess.',
  userInputs: 'There should not be any personal or page-related data.',
  pwned: 'This password was exposed in a data breach on the Internet.',
};
const SUGGESTIONS: Record<string, string> = {
  l33t: "Avoid predictable letter substitutions like '@' for 'a'.",
  reverseWords: 'Avoid reversed spellings of common words.',
  allUppercase: 'Capitalise some, but not all letters.',
  capitalization: 'Capitalise more than the first letter.',
  dates: 'Avoid dates and years that are associated with you.',
  recentYears: 'Avoid recent years.',
  associatedYears: 'Avoid years that are associated with you.',
  sequences: 'Avoid common character sequences.',
  repeated: 'Avoid repeated words and characters.',
  longerKeyboardPattern: 'Use longer keyboard patterns and change typing direction multiple times.',
  anotherWord: 'Add more words that are less common.',
  useWords: 'Use multiple words, but avoid common phrases.',
  noNeed: 'You can create strong passwords without using symbols, numbers, or uppercase letters.',
  pwned: 'If you use this password elsewhere, you should change it.',
};

/** zxcvbn's result as a PassphraseEstimate (feedback keys turned into English). */
export function estimateOf(r: ZxcvbnResult): PassphraseEstimate {
  return {
    score: r.score,
    bits: Math.round(r.guessesLog10 * Math.log2(10)),
    warning: r.feedback.warning ? (WARNINGS[r.feedback.warning] ?? r.feedback.warning) : null,
    suggestions: r.feedback.suggestions.map((s) => SUGGESTIONS[s] ?? s),
  };
}

let loading: Promise<PassphraseEstimator> | null = null;

/**
 * The shared estimator, its dictionaries imported on the first call (later calls share that import).
 * Resolves to a function giving a PassphraseEstimate; the passphrase is compared with PASSPHRASE_CONTEXT_WORDS
 * too. Rejects only when the packages cannot be loaded.
 */
export function loadPassphraseEstimator(): Promise<PassphraseEstimator> {
  loading ??= (async () => {
    const [{ ZxcvbnFactory: Factory }, common] = await Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]);
    const z: ZxcvbnFactory = new Factory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs, useLevenshteinDistance: true });
    return (passphrase: string) => estimateOf(z.check(passphrase, PASSPHRASE_CONTEXT_WORDS));
  })();
  return loading;
}

/**
 * Why `estimate` is too weak for a vault passphrase (score below MIN_PASSPHRASE_SCORE), in plain words with
 * zxcvbn's warning and suggestion, or null when it is strong enough. Never contains the passphrase.
 */
export function passphraseWeakness(estimate: PassphraseEstimate): string | null {
  if (estimate.score >= MIN_PASSPHRASE_SCORE) return null;
  const head = `too easy to guess (strength ${estimate.score} of 4, about ${estimate.bits} bits; at least ${MIN_PASSPHRASE_SCORE} of 4 is needed)`;
  const sentences = [head, ...(estimate.warning ? [estimate.warning] : []), ...estimate.suggestions];
  return sentences.map((x) => x.replace(/\.$/, '')).join('. ') + '.';
}
