// The CLI's escaping of terminal output (electron/cli/terminal-text.ts) and its table formatting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeTerminal, jsonSafe, terminalSafe } from '../../electron/cli/terminal-text.js';
import { table } from '../../electron/cli/format.js';

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
