// PFX passwords: generated ones follow the rule and avoid misread characters; set ones are checked
// with messages that name the requirement and never contain the password.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_PASSWORD_RULE,
  checkPassword,
  checkRule,
  generatePassword,
  passwordEntropyBits,
  type PasswordGroup,
  type PasswordRule,
} from '../../electron/core/export/passwords.js';
import { CertDeskError } from '../../shared/errors.js';

const GROUP_RE: Record<PasswordGroup, RegExp> = { upper: /[A-Z]/, lower: /[a-z]/, digits: /[0-9]/, symbols: /[^A-Za-z0-9]/ };
const EXCLUDED = ['0', 'O', 'o', '1', 'l', 'I', '|', '`', "'", '"', '\\', ' '];
// Characters that are special in XML or in a shell even inside double quotes, or not ASCII.
const UNSAFE = /[<>&"'$`\\!%*?[\]{}^~|;\s]|[^\x21-\x7e]/;

function invalid(fn: () => unknown, pattern: RegExp, secret?: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof CertDeskError, `expected CertDeskError, got ${String(e)}`);
    assert.equal(e.code, 'INVALID_INPUT');
    assert.match(e.message, pattern);
    if (secret !== undefined) assert.ok(!e.message.includes(secret), `message "${e.message}" contains the password`);
    if (secret !== undefined) assert.ok(!JSON.stringify(e.details ?? {}).includes(secret), 'details contain the password');
    return true;
  });
}

test('generated passwords have the rule length, every group, no excluded or unsafe character', () => {
  const rules: PasswordRule[] = [
    DEFAULT_PASSWORD_RULE,
    { length: 8, minLength: 8, maxLength: 16, minGroups: 3, groups: ['upper', 'lower', 'digits', 'symbols'] },
    { length: 64, minLength: 12, maxLength: 64, minGroups: 2, groups: ['lower', 'digits'] },
    { length: 10, minLength: 8, maxLength: 20, minGroups: 1, groups: ['digits'] },
  ];
  for (const rule of rules) {
    for (let i = 0; i < 300; i++) {
      const pw = generatePassword(rule);
      assert.equal(pw.length, rule.length);
      for (const g of rule.groups) assert.match(pw, GROUP_RE[g], `group ${g} missing in a generated password`);
      for (const g of ['upper', 'lower', 'digits', 'symbols'] as const) {
        if (!rule.groups.includes(g)) assert.doesNotMatch(pw, GROUP_RE[g], `group ${g} not in the rule but used`);
      }
      for (const c of EXCLUDED) assert.ok(!pw.includes(c), `excluded character ${JSON.stringify(c)} generated`);
      assert.doesNotMatch(pw, UNSAFE);
      checkPassword(pw, rule); // a generated password passes the rule for set passwords
    }
  }
});

test('the default rule generates 16 characters and 1,000 distinct passwords', () => {
  assert.equal(generatePassword().length, 16);
  const seen = new Set(Array.from({ length: 1000 }, () => generatePassword()));
  assert.equal(seen.size, 1000);
});

test('every allowed character turns up: the draw covers the whole alphabet', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 400; i++) for (const c of generatePassword()) seen.add(c);
  // 24 upper + 24 lower + 8 digits + 7 symbols.
  assert.equal(seen.size, 63, [...seen].sort().join(''));
});

test('checkPassword accepts a password meeting the default rule', () => {
  checkPassword('Abcdefgh12!x');
  checkPassword('abcdefgh12!x'); // three groups are enough
  checkPassword('Correct Horse 9'); // an inner space counts as a symbol
  checkPassword('Abcdefgh', { length: 8, minLength: 8, maxLength: 16, minGroups: 2, groups: ['upper', 'lower'] });
});

test('checkPassword names the failing requirement and never shows the password', () => {
  invalid(() => checkPassword(''), /^password: empty$/);
  invalid(() => checkPassword('Ab1!xyz'), /at least 12 characters/, 'Ab1!xyz');
  invalid(() => checkPassword('abcdefghijkl1'), /at least 3 of/, 'abcdefghijkl1');
  invalid(() => checkPassword('Secret-Pa55word'.repeat(5)), /at most 64 characters/, 'Secret-Pa55word');
  invalid(() => checkPassword('Abcdefgh12!\nx'), /control character/, 'Abcdefgh12!');
  invalid(() => checkPassword('Abcdefgh12!\u00e4'), /ASCII/, 'Abcdefgh12!');
  invalid(() => checkPassword(' Abcdefgh12!x'), /space/, 'Abcdefgh12!x');
  for (const start of ['=', '+', '-', '@']) {
    invalid(() => checkPassword(`${start}Abcdefgh12x`), /^password: starts with =, \+, - or @ \(a spreadsheet opening the password list would read it as a formula\)$/, 'Abcdefgh12x');
  }
  checkPassword('Abcdefgh12=+-@'); // only the first character matters
  invalid(() => checkPassword('Xy7!q', DEFAULT_PASSWORD_RULE, 'newPassword'), /^newPassword: /, 'Xy7!q');
});

test('checkRule refuses rules weaker or larger than allowed, naming the field', () => {
  const base = { ...DEFAULT_PASSWORD_RULE, groups: [...DEFAULT_PASSWORD_RULE.groups] };
  invalid(() => checkRule({ ...base, length: 7 }), /length/);
  invalid(() => checkRule({ ...base, minGroups: 5 }), /minGroups/);
  invalid(() => checkRule({ ...base, minGroups: 0 }), /minGroups/);
  invalid(() => checkRule({ ...base, minLength: 7, length: 8 }), /minLength/);
  invalid(() => checkRule({ ...base, maxLength: 65 }), /maxLength/);
  invalid(() => checkRule({ ...base, length: 10 }), /length/); // below minLength 12
  invalid(() => checkRule({ ...base, length: 12.5 }), /length: must be a whole number/);
  invalid(() => checkRule({ ...base, groups: [] }), /groups/);
  invalid(() => checkRule({ ...base, groups: ['upper', 'emoji' as PasswordGroup] }), /groups: unknown group "emoji"/);
  invalid(() => checkRule({ ...base, groups: ['upper', 'lower'] }), /groups/); // cannot meet minGroups 3
  invalid(() => generatePassword({ ...base, length: 7 }), /length/);
  // The seeds' weakest rule is expressible: 8 to 16 characters from at least three of four groups.
  assert.deepEqual(checkRule({ length: 8, minLength: 8, maxLength: 16, minGroups: 3, groups: ['symbols', 'upper', 'lower', 'digits', 'upper'] }), {
    length: 8,
    minLength: 8,
    maxLength: 16,
    minGroups: 3,
    groups: ['upper', 'lower', 'digits', 'symbols'],
  });
});

test('entropy: the default rule gives over 90 bits, and a one-group rule is exactly length * log2(alphabet)', () => {
  const bits = passwordEntropyBits(DEFAULT_PASSWORD_RULE);
  assert.ok(bits > 90, `default entropy ${bits}`);
  assert.ok(bits < 16 * 6, 'requiring every group removes some passwords');
  const digitsOnly = passwordEntropyBits({ length: 10, minLength: 8, maxLength: 20, minGroups: 1, groups: ['digits'] });
  assert.ok(Math.abs(digitsOnly - 10 * Math.log2(8)) < 1e-9, String(digitsOnly)); // 2-9 only: no 0 or 1
  // Two groups of 24 over 8 characters: 48^8 minus the two single-group sets, counted exactly.
  const twoGroups = passwordEntropyBits({ length: 8, minLength: 8, maxLength: 8, minGroups: 2, groups: ['upper', 'lower'] });
  assert.ok(Math.abs(twoGroups - Math.log2(48 ** 8 - 2 * 24 ** 8)) < 1e-9, String(twoGroups));
});

test('the default rule cannot be changed by a caller by accident', () => {
  assert.throws(() => {
    (DEFAULT_PASSWORD_RULE as { length: number }).length = 4;
  }, TypeError);
  assert.equal(DEFAULT_PASSWORD_RULE.length, 16);
});

// The generator's alphabets, stated here independently of passwords.ts (the tests above check that
// generated passwords use exactly these 63 characters).
const ALPHABETS: Record<PasswordGroup, string> = {
  upper: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  lower: 'abcdefghijkmnpqrstuvwxyz',
  digits: '23456789',
  symbols: '#+-=@_:',
};
const FORMULA_FIRST = ['=', '+', '-', '@'];

test('100,000 generated passwords: none starts with = + - @, and every other character does start one', () => {
  const firsts = new Map<string, number>();
  for (let i = 0; i < 100_000; i++) {
    const c = generatePassword()[0]!;
    firsts.set(c, (firsts.get(c) ?? 0) + 1);
  }
  for (const c of FORMULA_FIRST) assert.equal(firsts.get(c), undefined, `a password started with ${c}`);
  // 63 characters less the four: each of the 59 turns up (expected ~1,700 times each).
  assert.deepEqual([...firsts.keys()].sort(), [...Object.values(ALPHABETS).join('')].filter((c) => !FORMULA_FIRST.includes(c)).sort());
  let total = 0;
  for (const n of firsts.values()) total += n;
  assert.equal(total, 100_000);
  // A rule of symbols only still works: it starts with # _ or :.
  for (let i = 0; i < 200; i++) assert.match(generatePassword({ length: 8, minLength: 8, maxLength: 8, minGroups: 1, groups: ['symbols'] }), /^[#_:]/);
});

/**
 * How many passwords of the rule's length start with a character outside = + - @ and hold every group, counted
 * exactly (BigInt) position by position over the set of groups seen: a method independent of the
 * inclusion-exclusion in passwordEntropyBits.
 */
function countPasswords(rule: PasswordRule): bigint {
  const groups = rule.groups;
  let states = new Map<number, bigint>([[0, 1n]]);
  for (let pos = 0; pos < rule.length; pos++) {
    const next = new Map<number, bigint>();
    for (const [mask, n] of states) {
      groups.forEach((g, i) => {
        const chars = [...ALPHABETS[g]].filter((c) => pos > 0 || !FORMULA_FIRST.includes(c)).length;
        if (chars === 0) return;
        const m = mask | (1 << i);
        next.set(m, (next.get(m) ?? 0n) + n * BigInt(chars));
      });
    }
    states = next;
  }
  return states.get((1 << groups.length) - 1) ?? 0n;
}

function log2Big(n: bigint): number {
  const digits = n.toString(2).length;
  const shift = Math.max(0, digits - 53);
  return Math.log2(Number(n >> BigInt(shift))) + shift;
}

test('entropy matches the exact count of passwords the generator can return (first character without = + - @)', () => {
  const rules: PasswordRule[] = [
    DEFAULT_PASSWORD_RULE,
    { length: 8, minLength: 8, maxLength: 16, minGroups: 3, groups: ['upper', 'lower', 'digits', 'symbols'] },
    { length: 12, minLength: 8, maxLength: 16, minGroups: 2, groups: ['digits', 'symbols'] },
    { length: 64, minLength: 12, maxLength: 64, minGroups: 2, groups: ['lower', 'digits'] },
  ];
  for (const rule of rules) {
    const bits = passwordEntropyBits(rule);
    const exact = log2Big(countPasswords(rule));
    assert.ok(Math.abs(bits - exact) < 1e-9, `${rule.groups.join('+')} length ${rule.length}: ${bits} bits, exact count gives ${exact}`);
  }
  // Symbols only: 3 first characters (# _ :) then 7 each, in closed form.
  const symbols = passwordEntropyBits({ length: 8, minLength: 8, maxLength: 8, minGroups: 1, groups: ['symbols'] });
  assert.ok(Math.abs(symbols - Math.log2(3 * 7 ** 7)) < 1e-9, String(symbols));
  // The default rule: the four left-out first characters cost log2(63/59) bits against the old count.
  const old = 16 * Math.log2(63);
  assert.ok(passwordEntropyBits(DEFAULT_PASSWORD_RULE) < old - Math.log2(63 / 59) + 1e-9);
});
