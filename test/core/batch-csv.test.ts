import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Profile, ProfileId } from '../../shared/domain.js';
import { BUILTIN_PROFILES } from '../../electron/core/issuance/builtin-profiles.js';
import { BATCH_COLUMNS, parseBatchCsv, type RawRow, type RowProblem } from '../../electron/core/batch/csv.js';
import { validateBatch, type BatchContext } from '../../electron/core/batch/validate.js';

const profile = (id: ProfileId): Profile => {
  const p = BUILTIN_PROFILES.find((x) => x.id === id);
  assert.ok(p, `built-in profile ${id}`);
  return p;
};

const NOW = new Date('2025-03-01T12:00:00.000Z');
const CA_END = new Date('2030-03-01T12:00:00.000Z');
const ctx = (id: ProfileId, caNotAfter = CA_END): BatchContext => ({ profile: profile(id), caName: 'Example Users', caNotAfter, now: NOW });

const utf8 = (text: string) => new TextEncoder().encode(text);
const withBom = (text: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]);

/** Parses and validates; both sets of problems, sorted as the modules sort them. */
function load(data: Uint8Array, id: ProfileId, caNotAfter = CA_END) {
  const parsed = parseBatchCsv(data);
  const checked = validateBatch(parsed.rows, ctx(id, caNotAfter));
  return { parsed, checked, problems: [...parsed.problems, ...checked.problems] };
}

const brief = (ps: RowProblem[]) => ps.map((p) => ({ line: p.line, column: p.column }));

// An Excel export in a German locale: BOM, semicolons, CRLF; row 2 has two e-mail addresses in one
// quoted cell; row 3's description has a ";", a doubled quote and a line break (CRLF), so it takes
// physical lines 3 and 4; line 5 is empty; Zoë's row is on line 6.
const sheet = (zoeEmail: string) =>
  [
    'Name;Email;UPN;Alias;Days;Description',
    'Дмитрий Иванов;"dmitry@example.com;d.ivanov@Example.COM";d.ivanov@corp.example;dmitry-laptop;;',
    '山田 太郎;taro@example.com;;taro;730;"Tokyo office; ""HQ""\r\nsecond floor"',
    '',
    `Zoë Ørsted;${zoeEmail};;zoe;;`,
    'Ana Lima; ana@example.com ;;;;',
    '',
  ].join('\r\n');

test('semicolon CSV with BOM and CRLF: one bad e-mail gives one problem on its physical line', () => {
  const { parsed, checked, problems } = load(withBom(sheet('zoe@@example.com')), 'user');
  assert.equal(parsed.delimiter, ';');
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(
    parsed.rows.map((r) => r.line),
    [2, 3, 6, 7],
  );
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.equal(problems[0]!.line, 6);
  assert.equal(problems[0]!.column, 'email');
  assert.match(problems[0]!.reason, /bad e-mail address/);
  assert.ok(problems[0]!.reason.includes('zoe@@example.com'), problems[0]!.reason);
  assert.deepEqual(
    checked.rows.map((r) => r.line),
    [2, 3, 7],
  );
});

test('the corrected sheet has no problems and every row has its SANs', () => {
  const { parsed, checked, problems } = load(withBom(sheet('zoe@example.com')), 'user');
  assert.deepEqual(problems, []);
  assert.equal(parsed.rows[1]!.cells.description, 'Tokyo office; "HQ"\nsecond floor');
  const rows = checked.rows;
  assert.deepEqual(
    rows.map((r) => [r.line, r.name, r.sans, r.alias, r.days, r.email]),
    [
      [
        2,
        'Дмитрий Иванов',
        [
          { type: 'email', value: 'dmitry@example.com' },
          { type: 'email', value: 'd.ivanov@example.com' },
          { type: 'upn', value: 'd.ivanov@corp.example' },
        ],
        'dmitry-laptop',
        365,
        'dmitry@example.com',
      ],
      [3, '山田 太郎', [{ type: 'email', value: 'taro@example.com' }], 'taro', 730, 'taro@example.com'],
      [6, 'Zoë Ørsted', [{ type: 'email', value: 'zoe@example.com' }], 'zoe', 365, 'zoe@example.com'],
      [7, 'Ana Lima', [{ type: 'email', value: 'ana@example.com' }], null, 365, 'ana@example.com'],
    ],
  );
  assert.equal(rows[1]!.description, 'Tokyo office; "HQ"\nsecond floor');
  assert.equal(rows[0]!.description, null);
});

test('line numbers: an Excel line break (LF) inside a CRLF file, a lone CR, blank and spaces-only lines', () => {
  const text = 'name;email\r\n"Bob\nBuilder";bob@example.com\r\n   \r\n\r\n"Eve\r\n\r\nAdams";eve@example.com\r\nMia;"mia@example.com"\rLeo;leo@example.com';
  const { rows, problems } = parseBatchCsv(utf8(text));
  assert.deepEqual(problems, []);
  assert.deepEqual(
    rows.map((r) => [r.line, r.cells.name]),
    [
      [2, 'Bob\nBuilder'],
      [6, 'Eve\n\nAdams'],
      [9, 'Mia'],
      [10, 'Leo'],
    ],
  );
});

test('comma CSV with LF, quoted commas, case-insensitive trimmed header', () => {
  const text = ' NAME , DNS,ip\n"Mail gateway, DMZ","mx1.example.com;MX2.example.com",192.0.2.10\nRADIUS,,2001:DB8::1\n';
  const { parsed, checked, problems } = load(utf8(text), 'server');
  assert.equal(parsed.delimiter, ',');
  assert.deepEqual(problems, []);
  assert.deepEqual(
    checked.rows.map((r) => [r.line, r.name, r.sans]),
    [
      [
        2,
        'Mail gateway, DMZ',
        [
          { type: 'dns', value: 'mx1.example.com' },
          { type: 'dns', value: 'mx2.example.com' },
          { type: 'ip', value: '192.0.2.10' },
        ],
      ],
      [3, 'RADIUS', [{ type: 'ip', value: '2001:db8::1' }]],
    ],
  );
});

test('device ids go in sans as type device', () => {
  const { checked, problems } = load(utf8('name;device;dns\nPhone 17;IMEI 356938035643809;\nTablet;;tab-7.example.com\n'), 'device');
  assert.deepEqual(problems, []);
  assert.deepEqual(checked.rows[0]!.sans, [{ type: 'device', value: 'IMEI 356938035643809' }]);
  assert.deepEqual(checked.rows[1]!.sans, [{ type: 'dns', value: 'tab-7.example.com' }]);
});

test('an unknown column is a problem on line 1 that lists the known columns', () => {
  const { rows, problems } = parseBatchCsv(utf8('name;email;mail\nAna;ana@example.com;x\n'));
  assert.equal(problems.length, 1);
  assert.deepEqual(brief(problems), [{ line: 1, column: null }]);
  assert.match(problems[0]!.reason, /"mail"/);
  for (const c of BATCH_COLUMNS) assert.ok(problems[0]!.reason.includes(c), `${problems[0]!.reason} should list ${c}`);
  assert.deepEqual(rows, [{ line: 2, cells: { name: 'Ana', email: 'ana@example.com' } }]);
});

test('a header without name, or with a column twice, is a problem', () => {
  const missing = parseBatchCsv(utf8('email;upn\nana@example.com;ana@corp.example\n'));
  assert.deepEqual(brief(missing.problems), [{ line: 1, column: 'name' }]);
  assert.match(missing.problems[0]!.reason, /"name"/);
  assert.deepEqual(missing.rows, []);

  const twice = parseBatchCsv(utf8('name;Email;email\nAna;a@example.com;b@example.com\n'));
  assert.deepEqual(brief(twice.problems), [{ line: 1, column: 'email' }]);
  assert.match(twice.problems[0]!.reason, /more than once/);
});

test('rows with more or fewer fields than the header are problems, not exceptions', () => {
  const text = 'name;email\nAna;ana@example.com;extra\nBob;bob@example.com\nCyd\n;\n';
  const { rows, problems } = parseBatchCsv(utf8(text));
  assert.deepEqual(brief(problems), [
    { line: 2, column: null },
    { line: 4, column: null },
  ]);
  assert.match(problems[0]!.reason, /3 fields but the header has 2/);
  assert.match(problems[1]!.reason, /1 fields but the header has 2/);
  assert.deepEqual(
    rows.map((r) => r.cells.name),
    ['Bob'],
  );
});

test('an unclosed quote is a problem on the line where its row starts', () => {
  const text = 'name;email\r\n"Ana\r\nMaria";ana@example.com\r\n\r\n"Bob;bob@example.com\r\nCyd;cyd@example.com\r\n';
  const { rows, problems } = parseBatchCsv(utf8(text));
  assert.deepEqual(brief(problems), [{ line: 5, column: null }]);
  assert.match(problems[0]!.reason, /closing double quote/);
  assert.deepEqual(
    rows.map((r) => [r.line, r.cells.name]),
    [[2, 'Ana\nMaria']],
  );
});

test('bytes that are not UTF-8 are one problem on line 1 and no rows', () => {
  const latin1 = new Uint8Array([...utf8('name;email\nZo'), 0xeb, ...utf8(' Orsted;zoe@example.com\n')]);
  const { rows, problems } = parseBatchCsv(latin1);
  assert.deepEqual(rows, []);
  assert.deepEqual(brief(problems), [{ line: 1, column: null }]);
  assert.match(problems[0]!.reason, /not UTF-8/);
});

test('an empty file is a problem', () => {
  const { rows, problems } = parseBatchCsv(withBom('\r\n'));
  assert.deepEqual(rows, []);
  assert.equal(problems.length, 1);
});

test('days: whole numbers 1 to 36500, and not past the CA end (the profile default too)', () => {
  const caEnd = new Date(NOW.getTime() + 100 * 86_400_000);
  const text = ['name,email,days', 'A,a@example.com,100', 'B,b@example.com,101', 'C,c@example.com,', 'D,d@example.com,1.5', 'E,e@example.com,0', 'F,f@example.com,36501', 'G,g@example.com,abc'].join('\n');
  const { checked, problems } = load(utf8(text), 'user', caEnd);
  assert.deepEqual(brief(problems), [3, 4, 5, 6, 7, 8].map((line) => ({ line, column: 'days' })));
  const past = problems[0]!.reason;
  for (const piece of ['Example Users', caEnd.toISOString(), 'at most 100 days']) assert.ok(past.includes(piece), `${past} should mention ${piece}`);
  assert.match(problems[1]!.reason, /365 days.*at most 100 days/);
  for (const p of problems.slice(2)) assert.match(p.reason, /whole number of days from 1 to 36500/);
  assert.deepEqual(
    checked.rows.map((r) => [r.name, r.days]),
    [['A', 100]],
  );
});

test('duplicate holders and aliases are reported on the later line', () => {
  const text = [
    'name;email;alias',
    'Alice Example;alice@example.com;alice-1',
    'Bob;bob@example.com;Alice-1',
    'ALICE EXAMPLE;Alice@EXAMPLE.com;alice-2',
    'Alice Example;alice.other@example.com;alice-3',
  ].join('\n');
  const { checked, problems } = load(utf8(text), 'user');
  assert.deepEqual(brief(problems), [
    { line: 3, column: 'alias' },
    { line: 4, column: 'name' },
  ]);
  assert.equal(problems[0]!.reason, 'duplicate alias "Alice-1": also on line 2');
  assert.equal(problems[1]!.reason, 'duplicate holder: also on line 2');
  assert.deepEqual(
    checked.rows.map((r) => r.line),
    [2, 5],
  );
});

test('profile rules: a SAN type the profile refuses, a required SAN missing', () => {
  const user = load(utf8('name;email;dns;ip\nAna;ana@example.com;ana.example.com;192.0.2.1\n'), 'user');
  assert.deepEqual(brief(user.problems), [
    { line: 2, column: 'dns' },
    { line: 2, column: 'ip' },
  ]);
  assert.match(user.problems[0]!.reason, /^the User profile does not allow DNS names \(it allows e-mail addresses and user principal names \(UPN\)\)$/);
  assert.match(user.problems[1]!.reason, /^the User profile does not allow IP addresses /);

  const server = load(utf8('name,dns,ip,email\nWeb,,,web@example.com\nMail,mail.example.com,,\n'), 'server');
  assert.deepEqual(brief(server.problems), [
    { line: 2, column: 'email' },
    { line: 2, column: 'dns' },
  ]);
  assert.match(server.problems[0]!.reason, /^the Server profile does not allow e-mail addresses \(it allows DNS names and IP addresses\)$/);
  assert.match(server.problems[1]!.reason, /^the Server profile needs at least one DNS name or IP address$/);
  assert.deepEqual(
    server.checked.rows.map((r) => r.name),
    ['Mail'],
  );
});

test('every problem of every row is collected, sorted by line and column', () => {
  const text = ['name;email;upn;days;alias', `${'x'.repeat(65)};bad;;0;a`, ';ok@example.com;u ser@corp.example;;b', 'Fine;fine@example.com;;;c'].join('\n');
  const { checked, problems } = load(utf8(text), 'user');
  assert.deepEqual(brief(problems), [
    { line: 2, column: 'name' },
    { line: 2, column: 'email' },
    { line: 2, column: 'days' },
    { line: 3, column: 'name' },
    { line: 3, column: 'upn' },
  ]);
  assert.match(problems[0]!.reason, /at most 64 characters \(RFC 5280 common name\), got 65/);
  assert.match(problems[3]!.reason, /empty/);
  assert.deepEqual(
    checked.rows.map((r) => r.name),
    ['Fine'],
  );
});

test('row keys: the same across CRLF and LF, different when the content differs', () => {
  const keys = (text: string) => {
    const { checked, problems } = load(utf8(text), 'user');
    assert.deepEqual(problems, []);
    return checked.rows.map((r) => r.key);
  };
  // The quoted description holds a line break of its own: CRLF files turn it into \r\n as well.
  const lf = 'name;email;alias;days;description\nAna Lima;ana@example.com;a;30;"one\ntwo"\nBob;bob@example.com;;;\n';
  const crlf = lf.replace(/\n/g, '\r\n');
  const base = keys(lf);
  assert.equal(base.length, 2);
  for (const k of base) assert.match(k, /^[0-9a-f]{64}$/);
  assert.notEqual(base[0], base[1]);
  assert.deepEqual(keys(crlf), base);
  assert.deepEqual(keys(lf.replace('description', 'phone')), base, 'phone and description are not part of the key');
  assert.deepEqual(keys(lf.replace('Bob;', ' Bob ;').replace('bob@example.com', 'bob@EXAMPLE.com')), base, 'normalised values');
  const changed = keys(lf.replace(';30;', ';31;'));
  assert.notEqual(changed[0], base[0]);
  assert.equal(changed[1], base[1]);
  assert.notEqual(keys(lf.replace(';a;', ';b;'))[0], base[0]);
  assert.notEqual(keys(lf.replace('Bob;', 'Rob;'))[1], base[1]);
});

test('validateBatch does not stop on rows it is given directly', () => {
  const rows: RawRow[] = [
    { line: 2, cells: { name: 'A', email: 'a@example.com;not-an-address;also bad' } },
    { line: 3, cells: { name: 'B', upn: 'b@corp.example' } },
  ];
  const { rows: ok, problems } = validateBatch(rows, ctx('user'));
  assert.deepEqual(brief(problems), [
    { line: 2, column: 'email' },
    { line: 2, column: 'email' },
  ]);
  assert.deepEqual(
    ok.map((r) => [r.line, r.email, r.sans]),
    [[3, null, [{ type: 'upn', value: 'b@corp.example' }]]],
  );
});

test('holder names follow the rule issuing applies: a bidi override or an invisible character is a problem on its line, so a dry run finds it', () => {
  const { checked, problems } = load(utf8('name,email\nAlice,alice@example.com\n\u202Egro.elpmaxe,bob@example.com\nCarol\u200b,carol@example.com\n'), 'user');
  assert.deepEqual(
    problems.map((p) => [p.line, p.column, p.reason]),
    [
      [3, 'name', 'holder name: must not hold a bidirectional control character U+202E (such characters make a name display as another)'],
      [4, 'name', 'holder name: must not hold an invisible character U+200B (such characters make a name display as another)'],
    ],
  );
  assert.deepEqual(checked.rows.map((r) => r.name), ['Alice']);
});
