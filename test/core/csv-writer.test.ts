// CSV files others open in a spreadsheet (issue 11): every text cell CertDesk writes is neutralised against
// formula injection (OWASP "CSV injection") by one writer, a password cell is never altered, and the files
// parse back (csv-parse) to exactly the cells written.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { PasswordList } from '../../electron/core/batch/password-list.js';
import { csvText, neutraliseFormula, startsLikeFormula } from '../../electron/core/csv-writer.js';
import { dropPasswordLines } from '../../electron/core/delivery/leftovers.js';
import { checkPassword, generatePassword } from '../../electron/core/export/passwords.js';
import { CertDeskError } from '../../shared/errors.js';
import { certErr } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';

const HYPERLINK = '=HYPERLINK("http://x","y")';

const rowsOf = (csv: string): string[][] => parse(csv, { bom: true, relax_column_count: true }) as string[][];

test('neutraliseFormula: = + - @ TAB CR NUL, their full-width forms and any of them after leading space get an apostrophe', () => {
  const risky = ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '\0x', HYPERLINK, ' =1+1', '  @x', '\n=1', '\u00a0+1', '\u3000-1', '\uff1d1+1', '\uff0b1', '\uff0d1', '\uff20SUM(A1)', ' \uff1dx'];
  for (const v of risky) {
    assert.equal(startsLikeFormula(v), true, JSON.stringify(v));
    assert.equal(neutraliseFormula(v), `'${v}`, JSON.stringify(v));
  }
  for (const v of ['a=1', '', "'=x", 'Zoë', '  x', 'x-', '#1', '2026-01-01', ' ', '\nx']) {
    assert.equal(startsLikeFormula(v), false, JSON.stringify(v));
    assert.equal(neutraliseFormula(v), v, JSON.stringify(v));
  }
  // Idempotent: a neutralised cell is not neutralised again.
  assert.equal(neutraliseFormula(neutraliseFormula(HYPERLINK)), `'${HYPERLINK}`);
});

test('csvText: neutralised cells are quoted, numbers stay numbers, CRLF rows, RFC 4180 quoting, header and BOM', () => {
  const csv = csvText(
    [
      [HYPERLINK, -6, null, '@evil', 'plain', 'a,b "c"\nd'],
      ['\uff1dcmd', 0, undefined, '', '-', 3.5],
    ],
    { header: ['holder', 'days', 'empty', 'email', 'text', 'note'], bom: true },
  );
  assert.equal(
    csv,
    '\uFEFFholder,days,empty,email,text,note\r\n' +
      `"'=HYPERLINK(""http://x"",""y"")",-6,,"'@evil",plain,"a,b ""c""\nd"\r\n` +
      `"'\uff1dcmd",0,,,"'-",3.5\r\n`,
  );
  assert.deepEqual(rowsOf(csv), [
    ['holder', 'days', 'empty', 'email', 'text', 'note'],
    [`'${HYPERLINK}`, '-6', '', "'@evil", 'plain', 'a,b "c"\nd'],
    ["'\uff1dcmd", '0', '', '', "'-", '3.5'],
  ]);
  // Every parsed text cell that could start a formula now starts with the apostrophe.
  for (const row of rowsOf(csv)) for (const c of row) assert.ok(!startsLikeFormula(c) || /^-?\d/.test(c), `unneutralised cell ${JSON.stringify(c)}`);
  assert.equal(csvText([]), '');
  assert.equal(csvText([['x']]), 'x\r\n');
});

test('csvText refuses a cell that is neither text, a finite number nor empty, naming row and column', () => {
  assert.throws(() => csvText([['a', 'b'], ['c', Number.NaN]]), certErr('INTERNAL', 'CSV row 2, column 2: NaN is not text or a finite number'));
  assert.throws(() => csvText([[Infinity]], { header: ['n'] }), certErr('INTERNAL', 'CSV row 1, column 1: Infinity is not text or a finite number'));
  assert.throws(() => csvText([[{} as unknown as string]]), certErr('INTERNAL', 'CSV row 1, column 1: [object Object] is not text or a finite number'));
});

test('password list: a formula holder and alias are neutralised, 500 generated passwords are written exactly', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'passwords.csv');
  const list = new PasswordList(path);
  const written: string[] = [];
  for (let i = 0; i < 500; i++) {
    const pw = generatePassword();
    written.push(pw);
    list.append(i % 2 ? HYPERLINK : `+${i}`, i % 3 ? '@alias' : null, `bundle-${i}/x.pfx`, pw);
  }
  list.close();
  const [header, ...rows] = rowsOf(readFileSync(path, 'utf8'));
  assert.deepEqual(header, ['holder', 'alias', 'file', 'password']);
  assert.equal(rows.length, 500);
  rows.forEach((r, i) => {
    assert.deepEqual(r, [i % 2 ? `'${HYPERLINK}` : `'+${i}`, i % 3 ? "'@alias" : '', `bundle-${i}/x.pfx`, written[i]]);
  });
});

test('password list: a password a spreadsheet would read as a formula is refused, never written altered', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'passwords.csv');
  const list = new PasswordList(path);
  t.after(() => list.close());
  for (const pw of ['=Abcdefgh12x', '+Abcdefgh12x', '-Abcdefgh12x', '@Abcdefgh12x']) {
    assert.throws(
      () => list.append('Zoe', null, 'zoe/zoe.pfx', pw),
      (e: unknown) =>
        e instanceof CertDeskError &&
        e.code === 'INVALID_INPUT' &&
        e.message === 'password for zoe/zoe.pfx: a spreadsheet would read it as a formula (=, +, - or @ at its start or after a ";")' &&
        !JSON.stringify(e.details).includes('Abcdefgh12x'),
    );
  }
  assert.equal(readFileSync(path, 'utf8'), 'holder,alias,file,password\r\n', 'only the header was written');
});

test('dropping an earlier attempt\'s lines keeps the other cells neutralised exactly once', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'passwords.csv');
  const list = new PasswordList(path);
  list.append(HYPERLINK, '-a', 'zoe/zoe.pfx', 'Kp7#vR=q2@xN_m4s');
  list.append(HYPERLINK, '-b', 'bob/bob.pfx', 'Zp7#vR=q2@xN_m4s');
  list.close();
  assert.equal(dropPasswordLines(path, 'bob'), 1);
  assert.deepEqual(rowsOf(readFileSync(path, 'utf8')), [
    ['holder', 'alias', 'file', 'password'],
    [`'${HYPERLINK}`, "'-a", 'zoe/zoe.pfx', 'Kp7#vR=q2@xN_m4s'],
  ]);
  // A list written by an older CertDesk (a raw formula cell) is neutralised when it is rewritten.
  writeFileSync(path, `holder,alias,file,password\r\n=1+1,,a/a.pfx,Kp7#vR=q2@xN_m4s\r\n@x,,b/b.pfx,Zp7#vR=q2@xN_m4s\r\n`);
  assert.equal(dropPasswordLines(path, 'b'), 1);
  assert.equal(readFileSync(path, 'utf8'), `holder,alias,file,password\r\n"'=1+1",,a/a.pfx,Kp7#vR=q2@xN_m4s\r\n`);
});

test('a cell with ";" stays one cell where ";" is the separator: quoted, and neutralised when formula text follows a ";"', () => {
  // Excel in a ";" locale splits an unquoted line on ";": "Dave;=cmd|' /C calc'!A0;x" would give the cell "=cmd|...".
  const attack = "Dave;=cmd|' /C calc'!A0;x";
  assert.equal(startsLikeFormula(attack), true);
  assert.equal(startsLikeFormula('Dave; +1'), true);
  assert.equal(startsLikeFormula('Müller; Anna'), false);
  const csv = csvText([[attack, 'Müller; Anna', 'plain']]);
  assert.equal(csv, `"'${attack}","Müller; Anna",plain\r\n`);
  // Split as such a spreadsheet would, outside quotes: no part starts like a formula.
  const parts: string[] = [];
  let quoted = false;
  let part = '';
  for (const ch of csv.trimEnd()) {
    if (ch === '"') quoted = !quoted;
    if ((ch === ';' || ch === ',') && !quoted) {
      parts.push(part);
      part = '';
    } else part += ch;
  }
  parts.push(part);
  assert.deepEqual(parts.map((p) => p.replace(/^"|"$/g, '')), [`'${attack}`, 'Müller; Anna', 'plain']);
  assert.deepEqual(rowsOf(csv), [[`'${attack}`, 'Müller; Anna', 'plain']]);
  // A set password that would need altering is refused before anything is issued.
  assert.throws(() => checkPassword('Abcdefgh;=123xyz'), certErr('INVALID_INPUT', 'right after a ";"'));
});
