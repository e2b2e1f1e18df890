import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { x509 } from '../../electron/core/pki/provider.js';
import { commonName, dnFromName, formatDn, parseDn, toX509Name, type Rdn } from '../../electron/core/pki/names.js';
import { sansFromCertificate, toGeneralNames } from '../../electron/core/pki/sans.js';
import { CertDeskError } from '../../shared/errors.js';
import { needTools, runOk } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

const flat = (rdns: Rdn[]) => rdns.map((rdn) => rdn.map((a) => `${a.type}=${a.value}`).join('+'));

/** Asserts parseDn throws INVALID_NAME and the message contains every given piece. */
function rejects(text: string, ...pieces: string[]): void {
  assert.throws(
    () => parseDn(text),
    (e: unknown) => {
      assert.ok(e instanceof CertDeskError, `expected CertDeskError, got ${String(e)}`);
      assert.equal(e.code, 'INVALID_NAME');
      assert.equal(e.details?.field, 'subject');
      for (const p of pieces) assert.ok(e.message.includes(p), `"${e.message}" should mention ${JSON.stringify(p)}`);
      return true;
    },
    `parseDn(${JSON.stringify(text)}) should throw`,
  );
}

/** [tag number, decoded value] of every attribute value in a DER Name, in encoding order. */
function tags(name: x509.Name): [string, number, string][] {
  const seq = asn1js.fromBER(name.toArrayBuffer()).result as asn1js.Sequence;
  return seq.valueBlock.value.flatMap((set) =>
    (set as asn1js.Set).valueBlock.value.map((atv) => {
      const [oid, value] = (atv as asn1js.Sequence).valueBlock.value;
      return [(oid as asn1js.ObjectIdentifier).getValue(), value!.idBlock.tagNumber, (value as asn1js.Utf8String).getValue()] as [string, number, string];
    }),
  );
}

const UTF8 = 12;
const PRINTABLE = 19;
const IA5 = 22;

test('parseDn returns RDNs in encoding order and formatDn reverses them', () => {
  const rdns = parseDn('CN=Alice,O=Example,C=DE');
  assert.deepEqual(rdns, [
    [{ type: 'C', oid: '2.5.4.6', value: 'DE' }],
    [{ type: 'O', oid: '2.5.4.10', value: 'Example' }],
    [{ type: 'CN', oid: '2.5.4.3', value: 'Alice' }],
  ]);
  assert.equal(formatDn(rdns), 'CN=Alice,O=Example,C=DE');
  assert.equal(commonName(rdns), 'Alice');
});

test('spaces around separators are trimmed and the output is canonical', () => {
  assert.equal(formatDn(parseDn('  cn = Alice Smith ,  o=Example Org , c = de ')), 'CN=Alice Smith,O=Example Org,C=DE');
  // Multi-valued RDN members are kept in DER order and printed reversed, as OpenSSL prints them.
  assert.equal(formatDn(parseDn('CN=a + UID=b , O=x')), 'UID=b+CN=a,O=x');
});

test('type names are case-insensitive, aliases map to one canonical name, dotted OIDs work', () => {
  const rdns = parseDn(
    'emailAddress=a@example.com,e=b@example.com,GIVENNAME=Zoe,surname=Muller,sn=Other,SerialNumber=42,title=Dr,street=Main 1,postalcode=12345,initials=ZM,pseudonym=Z,uid=zm,dc=example,l=Berlin,st=Berlin,ou=R,2.5.4.3=Alice,1.3.6.1.4.1.99999.1=custom',
  );
  assert.deepEqual(
    rdns.map((r) => [r[0]!.type, r[0]!.oid]),
    [
      ['1.3.6.1.4.1.99999.1', '1.3.6.1.4.1.99999.1'],
      ['CN', '2.5.4.3'],
      ['OU', '2.5.4.11'],
      ['ST', '2.5.4.8'],
      ['L', '2.5.4.7'],
      ['DC', '0.9.2342.19200300.100.1.25'],
      ['UID', '0.9.2342.19200300.100.1.1'],
      ['pseudonym', '2.5.4.65'],
      ['initials', '2.5.4.43'],
      ['postalCode', '2.5.4.17'],
      ['STREET', '2.5.4.9'],
      ['title', '2.5.4.12'],
      ['serialNumber', '2.5.4.5'],
      ['SN', '2.5.4.4'], // SN is surname, not serialNumber
      ['SN', '2.5.4.4'],
      ['GN', '2.5.4.42'],
      ['E', '1.2.840.113549.1.9.1'],
      ['E', '1.2.840.113549.1.9.1'],
    ],
  );
  assert.equal(formatDn(parseDn('2.5.4.3=Alice,1.3.6.1.4.1.99999.1=x')), 'CN=Alice,1.3.6.1.4.1.99999.1=x');
});

test('escapes are decoded and re-escaped canonically', () => {
  const cases: [string, string, string][] = [
    ['CN=Example\\, Inc.', 'Example, Inc.', 'CN=Example\\, Inc.'],
    ['CN=R\\+D', 'R+D', 'CN=R\\+D'],
    ['CN=say \\"hi\\"', 'say "hi"', 'CN=say \\"hi\\"'],
    ['CN=back\\\\slash', 'back\\slash', 'CN=back\\\\slash'],
    ['CN=\\<tag\\>', '<tag>', 'CN=\\<tag\\>'],
    ['CN=a\\;b', 'a;b', 'CN=a\\;b'],
    ['CN=a\\=b', 'a=b', 'CN=a=b'],
    ['CN=a=b', 'a=b', 'CN=a=b'],
    ['CN=\\#1', '#1', 'CN=\\#1'],
    ['CN=a\\#1', 'a#1', 'CN=a#1'],
    ['CN=\\ padded\\ ', ' padded ', 'CN=\\ padded\\ '],
    ['CN=\\ ', ' ', 'CN=\\ '],
    ['CN=Ren\\c3\\a9', 'René', 'CN=René'],
    ['CN=\\E5\\B1\\B1\\E7\\94\\B0', '山田', 'CN=山田'],
    ['CN=\\2c\\2B', ',+', 'CN=\\,\\+'],
  ];
  for (const [input, value, canonical] of cases) {
    const rdns = parseDn(input);
    assert.equal(rdns[0]![0]!.value, value, input);
    assert.equal(formatDn(rdns), canonical, input);
    assert.deepEqual(parseDn(canonical), rdns, `round trip of ${canonical}`);
    assert.equal(dnFromName(toX509Name(rdns)), canonical, `DER round trip of ${input}`);
  }
});

test('multi-valued RDNs are kept together, in DER order', () => {
  const rdns = parseDn('UID=alice+CN=Alice,O=Example\\+Co,C=DE');
  assert.deepEqual(flat(rdns), ['C=DE', 'O=Example+Co', 'CN=Alice+UID=alice']);
  assert.equal(formatDn(rdns), 'UID=alice+CN=Alice,O=Example\\+Co,C=DE');
  const name = toX509Name(rdns);
  const seq = asn1js.fromBER(name.toArrayBuffer()).result as asn1js.Sequence;
  assert.equal(seq.valueBlock.value.length, 3);
  assert.equal((seq.valueBlock.value[2] as asn1js.Set).valueBlock.value.length, 2);
  assert.equal(dnFromName(name), formatDn(rdns));
  // Sorting is by encoding, so the written order does not matter.
  assert.equal(formatDn(parseDn('CN=Alice+UID=alice,O=Example\\+Co,C=DE')), formatDn(rdns));
  assert.deepEqual(parseDn(formatDn(rdns)), rdns);
  assert.equal(commonName(rdns), 'Alice');
});

test('non-ASCII values are UTF8String; C and serialNumber PrintableString; E and DC IA5String', () => {
  const rdns = parseDn('CN=Zoë Müller-Łukasz 山田,OU=Plain,O=Example,serialNumber=SN-42,E=zoe@example.com,DC=example,C=DE');
  assert.equal(commonName(rdns), 'Zoë Müller-Łukasz 山田');
  const name = toX509Name(rdns);
  assert.deepEqual(tags(name), [
    ['2.5.4.6', PRINTABLE, 'DE'],
    ['0.9.2342.19200300.100.1.25', IA5, 'example'],
    ['1.2.840.113549.1.9.1', IA5, 'zoe@example.com'],
    ['2.5.4.5', PRINTABLE, 'SN-42'],
    ['2.5.4.10', UTF8, 'Example'], // x509's own parser would pick PrintableString here
    ['2.5.4.11', UTF8, 'Plain'],
    ['2.5.4.3', UTF8, 'Zoë Müller-Łukasz 山田'],
  ]);
  const der = Buffer.from(name.toArrayBuffer());
  assert.ok(der.includes(Buffer.from('0c' + Buffer.from('Zoë Müller-Łukasz 山田').length.toString(16), 'hex')));
  assert.equal(dnFromName(name), 'CN=Zoë Müller-Łukasz 山田,OU=Plain,O=Example,serialNumber=SN-42,E=zoe@example.com,DC=example,C=DE');
  assert.equal(dnFromName(name.toArrayBuffer()), dnFromName(name));
  assert.equal(dnFromName(new Uint8Array(name.toArrayBuffer())), dnFromName(name));
});

test('country codes are upper-cased', () => {
  assert.equal(formatDn(parseDn('CN=a,C=de')), 'CN=a,C=DE');
});

test('dnFromName reads @peculiar/x509 string form, other string types and non-string values', () => {
  // x509's own string form lists RDNs in encoding order, joined with ", ".
  const name = new x509.Name('C=DE, O=Example\\, Inc., CN=Alice');
  assert.equal(name.toString(), 'C=DE, O=Example\\, Inc., CN=Alice');
  assert.equal(dnFromName(name.toString()), 'CN=Alice,O=Example\\, Inc.,C=DE');

  const atv = (oid: string, value: asn1js.BaseBlock) => new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid }), value] })] });
  const der = new asn1js.Sequence({
    value: [
      atv('2.5.4.6', new asn1js.PrintableString({ value: 'FR' })),
      atv('2.5.4.10', new asn1js.BmpString({ value: 'Société' })),
      atv('2.5.4.11', new asn1js.TeletexString({ value: 'Ops' })),
      atv('2.5.4.45', new asn1js.BitString({ valueHex: new Uint8Array([0xab]).buffer })), // x500UniqueIdentifier
      atv('1.3.6.1.4.1.99999.7', new asn1js.Utf8String({ value: '#not hex, really' })),
      atv('2.5.4.3', new asn1js.Utf8String({ value: ' spaced ' })),
      atv('2.5.4.9', new asn1js.Utf8String({ value: 'line1\nline2' })),
    ],
  }).toBER();
  assert.equal(dnFromName(der), 'STREET=line1\\0Aline2,CN=\\ spaced\\ ,1.3.6.1.4.1.99999.7=\\#not hex\\, really,2.5.4.45=#030200ab,OU=Ops,O=Société,C=FR');
});

test('dnFromName rejects bytes that are not a Name', () => {
  assert.throws(() => dnFromName(new Uint8Array([1, 2, 3])), (e: unknown) => e instanceof CertDeskError && e.code === 'INVALID_NAME');
  assert.throws(() => dnFromName(new asn1js.Integer({ value: 5 }).toBER()), /not a DER-encoded X\.501 Name/);
});

test('commonName is the most specific CN, or null', () => {
  assert.equal(commonName(parseDn('CN=leaf,CN=middle,O=x')), 'leaf');
  assert.equal(commonName(parseDn('O=Example,C=DE')), null);
  assert.equal(commonName([]), null);
});

test('parseDn rejects malformed names, naming the offending piece', () => {
  rejects('', 'empty distinguished name');
  rejects('   ', 'empty distinguished name');
  rejects('CN=,O=Example', 'empty value for CN');
  rejects('CN=   ,O=Example', 'empty value for CN');
  rejects('CN=Alice,Example', 'missing "="', '"Example"');
  rejects('CNN=Alice', 'unknown attribute type "CNN"', 'dotted OID');
  rejects('CN=Alice,FOO=bar', 'unknown attribute type "FOO"');
  rejects('2.5.04.3=x', 'invalid OID "2.5.04.3"');
  rejects('CN=#0403414243', 'CN', '#', 'not supported');
  rejects('C=DEU', 'two-letter', '"DEU"');
  rejects('C=D1', 'two-letter', '"D1"');
  rejects(`CN=${'a'.repeat(65)}`, 'CN is 65 characters', 'maximum is 64');
  rejects(`O=${'é'.repeat(65)}`, 'O is 65 characters', 'maximum is 64');
  rejects(`OU=${'a'.repeat(65)}`, 'OU is 65 characters');
  rejects(`L=${'a'.repeat(129)}`, 'L is 129 characters', 'maximum is 128');
  rejects(`ST=${'a'.repeat(129)}`, 'ST is 129 characters', 'maximum is 128');
  rejects('serialNumber=AB_12', 'serialNumber "AB_12"', '"_"', 'PrintableString');
  rejects('serialNumber=Zoë', 'serialNumber "Zoë"', '"ë"');
  rejects('E=zoë@example.com', 'E "zoë@example.com"', 'ASCII');
  rejects('CN=a;O=b', 'unescaped ";"', 'CN');
  rejects('CN="Alice"', 'unescaped """');
  rejects('CN=a<b', 'unescaped "<"');
  rejects('CN=abc\\', 'dangling "\\"', 'CN');
  rejects('CN=a\\qb', 'invalid escape "\\q"');
  rejects('CN=\\c3', 'not valid UTF-8', 'CN');
  rejects('CN=a\\0ab', 'control character U+000A', 'CN');
  rejects('CN=a,', 'ends with ","');
  rejects('CN=a+', 'ends with "+"');
  rejects('CN=a,,O=b', 'empty RDN');
  rejects('=x', 'missing attribute type');
  rejects('CN=a+CN=b', 'CN appears more than once');
  // The field name given by the caller leads the message.
  assert.throws(() => parseDn('CNN=x', 'issuer'), (e: unknown) => e instanceof CertDeskError && e.message.startsWith('issuer: ') && e.details?.field === 'issuer');
});

test('toX509Name validates hand-built RDNs too', () => {
  assert.throws(() => toX509Name([[{ type: 'C', oid: '2.5.4.6', value: 'Germany' }]]), /two-letter/);
  assert.throws(() => toX509Name([[]]), /empty RDN/);
  assert.equal(toX509Name([]).toArrayBuffer().byteLength, 2); // an empty Name is a valid (empty) SEQUENCE
});

async function selfSigned(name: x509.Name, sans: x509.JsonGeneralName[]): Promise<x509.X509Certificate> {
  const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  return x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name,
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2035-01-01T00:00:00Z'),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    keys,
    extensions: sans.length ? [new x509.SubjectAlternativeNameExtension(sans)] : [],
  });
}

function opensslShow(dir: string, cert: x509.X509Certificate, file: string): string {
  const path = join(dir, file);
  writeFileSync(path, cert.toString('pem'));
  return runOk('openssl', ['x509', '-in', path, '-noout', '-subject', '-nameopt', 'RFC2253,-esc_msb', '-ext', 'subjectAltName']).stdout;
}

test('interop: OpenSSL prints the subject in the same RFC 4514 form and reads the UPN', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const dir = tempDir(t);
  const rdns = parseDn('CN=Zoë,OU=R\\+D,O=Example\\, Inc.,C=DE');
  const cert = await selfSigned(
    toX509Name(rdns),
    toGeneralNames([
      { type: 'email', value: 'zoe@example.com' },
      { type: 'upn', value: 'alice@corp.example' },
      { type: 'dns', value: 'host.example' },
      { type: 'ip', value: '192.0.2.1' },
      { type: 'device', value: '00:1A:2B:3C:4D:5E' },
    ]),
  );
  const stdout = opensslShow(dir, cert, 'cert.pem');
  assert.equal(formatDn(rdns), 'CN=Zoë,OU=R\\+D,O=Example\\, Inc.,C=DE');
  assert.ok(stdout.split('\n').includes(`subject=${formatDn(rdns)}`), stdout);
  assert.ok(stdout.includes('othername: UPN::alice@corp.example'), stdout);
  assert.ok(stdout.includes('email:zoe@example.com'), stdout);
  assert.ok(stdout.includes('DNS:host.example'), stdout);
  assert.ok(stdout.includes('IP Address:192.0.2.1'), stdout);
  assert.ok(stdout.includes('URI:urn:dev:mac:001a2b3c4d5e'), stdout);

  // And back through @peculiar/x509.
  const parsed = new x509.X509Certificate(cert.rawData);
  assert.equal(dnFromName(parsed.subjectName), formatDn(rdns));
  assert.deepEqual(sansFromCertificate(parsed.getExtension(x509.SubjectAlternativeNameExtension) ?? undefined), [
    { type: 'email', value: 'zoe@example.com' },
    { type: 'upn', value: 'alice@corp.example' },
    { type: 'dns', value: 'host.example' },
    { type: 'ip', value: '192.0.2.1' },
    { type: 'uri', value: 'urn:dev:mac:001a2b3c4d5e' },
  ]);

  // Multi-valued RDNs, escapes at the edges and non-ASCII print the same way too.
  const multi = parseDn('CN=Zoë Müller-Łukasz 山田+UID=zoe,OU=\\ lead\\;trail\\ ,O=\\#1 \\<Co\\>,DC=example,C=DE');
  const out2 = opensslShow(dir, await selfSigned(toX509Name(multi), []), 'multi.pem');
  assert.ok(out2.split('\n').includes(`subject=${formatDn(multi)}`), `${out2}\nvs ${formatDn(multi)}`);
});
