// PFX passwords: the rule an organisation sets, generated passwords, and checks on passwords an officer types.
// A PFX password is read aloud, typed on a phone, pasted into a shell or keytool and stored in XML
// by MDM consoles, so generated ones use only characters that survive all of that.
import { randomInt } from 'node:crypto';
import type { PasswordGroup, PasswordRule } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { FORMULA_START_CHARACTERS, startsLikeFormula } from '../csv-writer.js';

// The rule's shape lives with the profiles in shared/domain.ts (a profile stores its rule).
export type { PasswordGroup, PasswordRule };

export const PASSWORD_GROUPS: readonly PasswordGroup[] = ['upper', 'lower', 'digits', 'symbols'];

export const DEFAULT_PASSWORD_RULE: PasswordRule = Object.freeze({
  length: 16,
  minLength: 12,
  maxLength: 64,
  minGroups: 3,
  groups: Object.freeze(['upper', 'lower', 'digits', 'symbols']) as PasswordGroup[],
});

/**
 * Alphabets of generated passwords. Left out: 0 O o 1 l I (misread on paper and screens).
 * Symbols: ASCII only (keytool); none special in XML (& < > " '); no dead keys (^ ~ ` ' "); nothing a
 * shell expands inside double quotes ($ ` \ !, cmd's %) and no glob characters (* ? [ ]), so a quoted
 * password reaches openssl or keytool intact in sh, cmd and PowerShell; no space, | or ; either.
 * The first character is never one of = + - @ (FIRST_EXCLUDED): a password list opened in a spreadsheet
 * would read such a cell as a formula (csv-writer.ts), and neutralising it would change the password.
 */
const ALPHABETS: Record<PasswordGroup, string> = {
  upper: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  lower: 'abcdefghijkmnpqrstuvwxyz',
  digits: '23456789',
  symbols: '#+-=@_:',
};

/** Characters a generated password never starts with, and a set password may not start with. */
const FIRST_EXCLUDED: string = FORMULA_START_CHARACTERS;

/** The characters a password drawing from `alphabet` may start with. */
function firstAlphabet(alphabet: string): string {
  return [...alphabet].filter((c) => !FIRST_EXCLUDED.includes(c)).join('');
}

const HARD_MIN = 8;
const HARD_MAX = 64;

function ruleError(field: string, message: string): CertDeskError {
  return new CertDeskError('INVALID_INPUT', `password rule ${field}: ${message}`, { field: `passwordRule.${field}` });
}

function intIn(rule: PasswordRule, field: 'length' | 'minLength' | 'maxLength' | 'minGroups', lo: number, hi: number): number {
  const v = rule[field];
  if (typeof v !== 'number' || !Number.isInteger(v)) throw ruleError(field, 'must be a whole number');
  if (v < lo || v > hi) throw ruleError(field, `must be between ${lo} and ${hi} (got ${v})`);
  return v;
}

/** Validates a rule and returns a normalised copy (groups deduplicated, in canonical order). */
export function checkRule(rule: PasswordRule): PasswordRule {
  if (typeof rule !== 'object' || rule === null) throw ruleError('rule', 'missing');
  const minLength = intIn(rule, 'minLength', HARD_MIN, HARD_MAX);
  const maxLength = intIn(rule, 'maxLength', minLength, HARD_MAX);
  // A generated password must also pass the rule for set passwords.
  const length = intIn(rule, 'length', Math.max(HARD_MIN, minLength), maxLength);
  const minGroups = intIn(rule, 'minGroups', 1, PASSWORD_GROUPS.length);
  if (!Array.isArray(rule.groups) || rule.groups.length === 0) throw ruleError('groups', 'choose at least one character group');
  for (const g of rule.groups) {
    if (!PASSWORD_GROUPS.includes(g)) throw ruleError('groups', `unknown group "${String(g)}" (known: ${PASSWORD_GROUPS.join(', ')})`);
  }
  const groups = PASSWORD_GROUPS.filter((g) => rule.groups.includes(g));
  if (groups.length < minGroups) {
    throw ruleError('groups', `generated passwords draw from ${groups.length} group(s) but minGroups requires ${minGroups}`);
  }
  return { length, minLength, maxLength, minGroups, groups };
}

/**
 * A random password following the rule. Rejection sampling: draw the first character uniformly from the
 * union of the rule's alphabets less = + - @ (FIRST_EXCLUDED), every other character uniformly from the
 * union, and start again when a group is missing. The result is uniform over all passwords that contain
 * every group and do not start with = + - @, so passwordEntropyBits is exact (no shuffle bias).
 */
export function generatePassword(rule: PasswordRule = DEFAULT_PASSWORD_RULE): string {
  const r = checkRule(rule);
  const alphabet = r.groups.map((g) => ALPHABETS[g]).join('');
  const first = firstAlphabet(alphabet);
  for (;;) {
    let pw = first[randomInt(first.length)]!;
    for (let i = 1; i < r.length; i++) pw += alphabet[randomInt(alphabet.length)]!;
    if (r.groups.every((g) => [...ALPHABETS[g]].some((c) => pw.includes(c)))) return pw;
  }
}

/**
 * log2 of the number of passwords generatePassword can return, each equally likely: those of the rule's
 * length whose first character is from the union less = + - @ and the rest from the union, holding every
 * group. Counted by inclusion-exclusion over the groups left out.
 */
export function passwordEntropyBits(rule: PasswordRule): number {
  const r = checkRule(rule);
  const alphabets = r.groups.map((g) => ALPHABETS[g]);
  const total = alphabets.join('').length;
  const totalFirst = firstAlphabet(alphabets.join('')).length;
  // Each term as a fraction of totalFirst * total^(length-1), to stay within doubles.
  let fraction = 0;
  for (let mask = 0; mask < 1 << alphabets.length; mask++) {
    const kept = alphabets.filter((_, i) => !(mask & (1 << i))).join('');
    const removed = alphabets.length - alphabets.filter((_, i) => !(mask & (1 << i))).length;
    fraction += (removed % 2 ? -1 : 1) * (firstAlphabet(kept).length / totalFirst) * (kept.length / total) ** (r.length - 1);
  }
  return Math.log2(totalFirst) + (r.length - 1) * Math.log2(total) + Math.log2(fraction);
}

export function groupOf(ch: string): PasswordGroup {
  if (ch >= 'A' && ch <= 'Z') return 'upper';
  if (ch >= 'a' && ch <= 'z') return 'lower';
  if (ch >= '0' && ch <= '9') return 'digits';
  return 'symbols';
}

const GROUP_NAMES: Record<PasswordGroup, string> = {
  upper: 'uppercase letters',
  lower: 'lowercase letters',
  digits: 'digits',
  symbols: 'symbols',
};

/** Checks a password an officer sets. Messages say which requirement fails, never the password. */
export function checkPassword(pw: string, rule: PasswordRule = DEFAULT_PASSWORD_RULE, field = 'password'): void {
  const r = checkRule(rule);
  const fail = (requirement: string, message: string): never => {
    throw new CertDeskError('INVALID_INPUT', `${field}: ${message}`, { field, requirement });
  };
  if (typeof pw !== 'string' || pw === '') fail('empty', 'empty');
  if (/[\u0000-\u001f\u007f-\u009f]/.test(pw)) fail('control', 'contains a control character (tab, line break or similar)');
  // keytool refuses non-ASCII store passwords, and older tools encode them differently in PKCS#12.
  if (/[^\u0020-\u007e]/.test(pw)) fail('ascii', 'use only ASCII letters, digits and symbols (no accented letters or other scripts)');
  if (pw !== pw.trim()) fail('spaces', 'starts or ends with a space');
  if (FIRST_EXCLUDED.includes(pw[0]!)) fail('formulaStart', 'starts with =, +, - or @ (a spreadsheet opening the password list would read it as a formula)');
  if (startsLikeFormula(pw)) fail('formulaStart', 'has =, +, - or @ right after a ";" (a spreadsheet set to ";" as its separator would read it as a formula)');
  if (pw.length < r.minLength) fail('minLength', `too short: at least ${r.minLength} characters required`);
  if (pw.length > r.maxLength) fail('maxLength', `too long: at most ${r.maxLength} characters allowed`);
  const used = new Set([...pw].map(groupOf));
  if (used.size < r.minGroups) {
    const names = PASSWORD_GROUPS.map((g) => GROUP_NAMES[g]).join(', ');
    fail('minGroups', `too few character groups: use at least ${r.minGroups} of ${names}`);
  }
}
