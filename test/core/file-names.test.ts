// File and folder names made from user data (issue 11): Windows device names, trailing dots and spaces,
// length in UTF-8 bytes, and distinct names for texts that clean to the same one.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { allocateName, isReservedName, MAX_NAME_BYTES, safeName, TakenNames } from '../../electron/core/file-names.js';
import { crlBaseNames } from '../../electron/core/lifecycle/crl-files.js';
import { certErr } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

test('safeName: the cleaning rules, unchanged for ordinary names', () => {
  assert.equal(safeName('Zoë Müller'), 'zoë-müller');
  assert.equal(safeName('  Alice   Example  '), 'alice-example');
  assert.equal(safeName('a<b>c:d"e/f\\g|h?i*j'), 'a-b-c-d-e-f-g-h-i-j');
  assert.equal(safeName('=HYPERLINK("http://x","y")'), 'hyperlink-http-x--y');
  assert.equal(safeName('東京オフィス'), '東京オフィス');
  assert.equal(safeName('.hidden'), 'hidden');
  assert.equal(safeName('e\u0301'), 'é', 'NFC');
  assert.equal(safeName('***'), 'certificate');
  assert.equal(safeName('', 'ca-7'), 'ca-7');
  assert.equal(safeName('', '<>'), 'file', 'a fallback that cleans to nothing');
});

test('safeName: trailing dots and spaces (which Windows drops) are removed', () => {
  for (const [text, name] of [
    ['report.', 'report'],
    ['report. . ', 'report'],
    ['report ...', 'report'],
    ['a.b.', 'a.b'],
    ['  .. ', 'certificate'],
  ] as const) {
    assert.equal(safeName(text), name, JSON.stringify(text));
  }
});

test('safeName: Windows device names, in any case and with any extension, get "_" after the stem', () => {
  for (const [text, name] of [
    ['CON', 'con_'],
    ['nul', 'nul_'],
    ['Aux', 'aux_'],
    ['PRN', 'prn_'],
    ['COM1', 'com1_'],
    ['com9', 'com9_'],
    ['COM0', 'com0_'],
    ['LPT3', 'lpt3_'],
    ['COM¹', 'com¹_'],
    ['LPT³', 'lpt³_'],
    ['con.txt', 'con_.txt'],
    ['NUL.tar.gz', 'nul_.tar.gz'],
    ['CON.', 'con_'],
    ['  con  ', 'con_'],
  ] as const) {
    assert.equal(safeName(text), name, JSON.stringify(text));
    assert.equal(isReservedName(name), false, name);
  }
  for (const name of ['con', 'CON.txt', 'com¹', 'Lpt1.pem', 'nul.crl.pem']) assert.equal(isReservedName(name), true, name);
  // Names that only start like a device name are left alone.
  for (const text of ['console', 'com10', 'lpt', 'nul-1', 'aux_', 'con-.txt']) assert.equal(safeName(text), text.toLowerCase(), text);
  assert.equal(safeName('', 'CON'), 'con_', 'the fallback is made safe too');
});

test('safeName: at most MAX_NAME_BYTES UTF-8 bytes and 60 code points, cut on a whole code point, no trailing dot after the cut', () => {
  assert.equal(safeName('a'.repeat(300)), 'a'.repeat(60));
  // 4-byte characters: 60 of them would be 240 bytes; 30 fit in 120.
  const emoji = safeName('𝒜'.repeat(100)); // U+1D49C, a letter outside the BMP
  assert.equal(emoji, '𝒜'.repeat(30));
  assert.equal(bytes(emoji), MAX_NAME_BYTES);
  // 3-byte characters: 40 of them are 120 bytes; a 41st would not fit.
  assert.equal(safeName('東'.repeat(100)), '東'.repeat(40));
  // 2-byte then an odd cut: 59 a's and a 2-byte letter at the edge stays whole.
  assert.equal(safeName('a'.repeat(59) + 'éé'), 'a'.repeat(59) + 'é');
  assert.equal(safeName('a'.repeat(59) + '.b'), 'a'.repeat(59), 'a dot left at the end by the cut is removed');
  assert.equal(safeName('東'.repeat(40) + '-x'), '東'.repeat(40), 'a hyphen left at the end by the cut is removed');
  // With the longest extension, a collision suffix and the partial-folder wrapping, the component fits in 255 bytes.
  const longest = `.${emoji}-ca99999-9999.mobileconfig.partial-0123abcd`;
  assert.ok(bytes(longest) <= 255, String(bytes(longest)));
});

test('the names made are accepted by the file system', (t) => {
  const dir = tempDir(t);
  const texts = ['CON', 'a'.repeat(300), '𝒜'.repeat(100), '東'.repeat(100), 'x. . ', '=HYPERLINK("http://x","y")', 'a/b\\c'];
  for (const text of texts) {
    const name = safeName(text);
    mkdirSync(join(dir, `${name}-1a2b3c4d`));
    writeFileSync(join(dir, `${name}.mobileconfig`), '');
  }
  assert.equal(readdirSync(dir).length, texts.length * 2);
});

test('allocateName: free names as wanted; a taken one (case-insensitively, any normalisation) gets -2, -3 or the tag', () => {
  const taken = new TakenNames(['users-ca', 'Report', 'e\u0301te']);
  assert.equal(allocateName('zoe', taken), 'zoe');
  assert.equal(allocateName('zoe', taken), 'zoe-2');
  assert.equal(allocateName('ZOE', taken), 'ZOE-3');
  assert.equal(allocateName('report', taken), 'report-2');
  assert.equal(allocateName('\u00e9te', taken), '\u00e9te-2', 'NFC and NFD are the same name on APFS');
  assert.equal(allocateName('users-ca', taken, 'ca3'), 'users-ca-ca3');
  assert.equal(allocateName('users-ca', taken, 'ca3'), 'users-ca-ca3-2');
  assert.equal(taken.has('USERS-CA-CA3'), true);
  // Deterministic: the same wanted names in the same order give the same names.
  const run = () => {
    const t = new TakenNames();
    return ['a', 'A', 'a-2', 'a', 'b'].map((w) => allocateName(w, t));
  };
  assert.deepEqual(run(), ['a', 'A-2', 'a-2-2', 'a-3', 'b']);
  assert.deepEqual(run(), run());
});

test('allocateName: 10,000 names all taken is a clear IO_ERROR', () => {
  const taken = new TakenNames(['x', ...Array.from({ length: 9_998 }, (_, i) => `x-${i + 2}`)]);
  assert.throws(() => allocateName('x', taken), certErr('IO_ERROR', 'cannot make a distinct file name from "x": 10000 names are taken'));
});

test('CRL file names: CAs whose names clean alike get distinct names, the same for every order and kept as CAs are added', () => {
  const cas = [
    { id: 1, name: 'Users CA' },
    { id: 3, name: 'Users-CA' },
    { id: 4, name: 'users ca ca3' },
    { id: 5, name: 'CON' },
    { id: 6, name: '***' },
  ];
  const expected = new Map([
    [1, 'users-ca'],
    [3, 'users-ca-ca3'],
    [4, 'users-ca-ca3-ca4'],
    [5, 'con_'],
    [6, 'ca-6'],
  ]);
  assert.deepEqual(crlBaseNames(cas), expected);
  assert.deepEqual(crlBaseNames([...cas].reverse()), expected);
  // A CA added later never takes another's name.
  const more = crlBaseNames([...cas, { id: 7, name: 'USERS CA' }]);
  for (const [id, base] of expected) assert.equal(more.get(id), base);
  assert.equal(more.get(7), 'users-ca-ca7');
});
