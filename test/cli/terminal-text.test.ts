// The CLI's escaping of terminal output (electron/cli/terminal-text.ts) and its table formatting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeTerminal, jsonSafe, terminalSafe } from '../../electron/cli/terminal-text.js';
import stringWidth from 'string-width';
import { columnsOf, table } from '../../electron/cli/format.js';

test('escapeTerminal: C0, DEL, C1 and bidi overrides/isolates become visible escapes; other text is unchanged', () => {
  assert.equal(escapeTerminal('evil\x1b[2J\x1b]0;pwned\x07'), 'evil\\x1b[2J\\x1b]0;pwned\\x07');
  assert.equal(escapeTerminal('a\x00b\tc\nd\re\x7ff\x9bg\x80h\x9fi'), 'a\\x00b\\x09c\\x0ad\\x0de\\x7ff\\x9bg\\x80h\\x9fi');
  assert.equal(escapeTerminal('cod\u202eexe.doc \u202a\u202b\u202c\u202d \u2066\u2067\u2068\u2069'), 'cod\\u202eexe.doc \\u202a\\u202b\\u202c\\u202d \\u2066\\u2067\\u2068\\u2069');
  // Printable text, backslashes, non-Latin scripts and the neighbours of the escaped ranges stay as they are.
  const plain = 'Zoë Ørsted 山田 Дмитрий C:\\Users ~ \u00a0\u202f\u2065\u206a\u2070 é';
  assert.equal(escapeTerminal(plain), plain);
});

test('terminalSafe keeps the line feeds and tabs of a block; jsonSafe escapes what JSON.stringify leaves raw', () => {
  assert.equal(terminalSafe('ID\tHOLDER\nevil\x1b[2J\r\n\u202e\n'), 'ID\tHOLDER\nevil\\x1b[2J\\x0d\n\\u202e\n');
  // Invisible characters and bidi marks: "Alice\u200b" must not look like "Alice".
  assert.equal(escapeTerminal('Alice\u200b \u200f\ufeff\u2028\u00ad'), 'Alice\\u200b \\u200f\\ufeff\\u2028\\xad');
  const json = jsonSafe(JSON.stringify({ holder: 'a\x1b\x7f\x9b\u202e\u2066z' }));
  assert.equal(json, '{"holder":"a\\u001b\\u007f\\u009b\\u202e\\u2066z"}');
  assert.deepEqual(JSON.parse(json), { holder: 'a\x1b\x7f\x9b\u202e\u2066z' }, 'the same value');
});

test('table pads columns by the escaped text', () => {
  assert.equal(table([['ID', 'HOLDER', 'CA'], ['1', 'a\x1bb', 'Root'], ['22', 'zz', 'X']]), 'ID  HOLDER  CA\n1   a\\x1bb  Root\n22  zz      X\n');
});

test('table pads by terminal columns: a CJK character takes two, a combining mark none', () => {
  // "王伟" is 4 columns wide, "Öztürk" 6 (with a combining diaeresis: U+0308 after O), "Ada" 3.
  assert.equal(
    table([['HOLDER', 'CA'], ['王伟', 'Root'], ['O\u0308ztürk', 'Root'], ['Ada', 'X']]),
    'HOLDER  CA\n王伟    Root\nO\u0308ztürk  Root\nAda     X\n',
  );
});

test('columnsOf counts printable ASCII by its length and everything else with string-width, and the two agree on ASCII', () => {
  const ascii = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
  for (let start = 0; start < ascii.length; start += 7) {
    const text = ascii.slice(start, start + 23);
    assert.equal(columnsOf(text), stringWidth(text), JSON.stringify(text));
  }
  for (const text of ['王伟', 'O\u0308ztürk', 'Zoë', 'a\u200bb', '👩‍💻 dev', 'ｶﾞ', '']) assert.equal(columnsOf(text), stringWidth(text), JSON.stringify(text));
});

test('table handles a listing of 200,000 rows (no argument-limit spread) and pads mixed scripts as before', () => {
  const rows = [['ID', 'HOLDER'], ...Array.from({ length: 200_000 }, (_, i) => [String(i), i % 1000 === 0 ? '王伟' : `User ${i}`])];
  const out = table(rows).split('\n');
  assert.equal(out[0], 'ID      HOLDER');
  assert.equal(out[1], '0       王伟');
  assert.equal(out[2], '1       User 1');
  assert.equal(out.length, 200_002);
});
