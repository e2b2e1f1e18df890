// The issuer as altSecurityIdentities' X509:<I> part writes it (windows/windows-name.ts windowsIssuerName):
// encoding order, Windows' CertNameToStr keywords (CERT_X500_NAME_STR), `OID.` for other types, " + " inside a
// multi-valued RDN, CertNameToStr quoting, and a value that cannot be written safely refused naming its attribute.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as asn1js from 'asn1js';
import { parseDn, toX509Name } from '../../electron/core/pki/names.js';
import { windowsIssuerName } from '../../electron/core/windows/ad-mapping.js';
import { certErr } from '../helpers/engine-vault.js';

const der = (dn: string) => new Uint8Array(toX509Name(parseDn(dn)).toArrayBuffer());
type Value = string | asn1js.BaseBlock;
const atv = ([oid, value]: [string, Value]) =>
  new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid }), typeof value === 'string' ? new asn1js.Utf8String({ value }) : value] });
/** A DER Name built by hand: each inner array one RDN (several entries: a multi-valued RDN), in encoding order. */
const name = (...rdns: [string, Value][][]) => new Uint8Array(new asn1js.Sequence({ value: rdns.map((r) => new asn1js.Set({ value: r.map(atv) })) }).toBER());
/** One RDN holding one attribute. */
const one = (oid: string, value: Value) => name([[oid, value]]);

test('RDNs in encoding order, most significant first, joined by "," without spaces', () => {
  assert.equal(windowsIssuerName(der('CN=CertDesk Test CA,O=CertDesk')), 'O=CertDesk,CN=CertDesk Test CA');
  assert.equal(windowsIssuerName(der('CN=Example CA,OU=PKI,L=Berlin,ST=Berlin,C=DE')), 'C=DE,S=Berlin,L=Berlin,OU=PKI,CN=Example CA');
  assert.equal(windowsIssuerName(der('E=pki@example.com,CN=Mail CA,DC=example,DC=com')), 'DC=com,DC=example,CN=Mail CA,E=pki@example.com');
});

test("Windows' keywords for every attribute CertNameToStr names; any other type as OID.dotted", () => {
  const cases: [string, string][] = [
    ['2.5.4.3', 'CN'],
    ['2.5.4.7', 'L'],
    ['2.5.4.10', 'O'],
    ['2.5.4.11', 'OU'],
    ['1.2.840.113549.1.9.1', 'E'],
    ['2.5.4.6', 'C'],
    ['2.5.4.8', 'S'],
    ['2.5.4.9', 'STREET'],
    ['2.5.4.12', 'T'],
    ['2.5.4.42', 'G'],
    ['2.5.4.43', 'I'],
    ['2.5.4.4', 'SN'],
    ['2.5.4.5', 'SERIALNUMBER'],
    ['0.9.2342.19200300.100.1.25', 'DC'],
    ['2.5.4.13', 'Description'],
    ['2.5.4.17', 'PostalCode'],
    ['2.5.4.18', 'POBox'],
    ['2.5.4.20', 'Phone'],
    // Not in Windows' table: RFC 4514's UID, organizationIdentifier, a private OID.
    ['0.9.2342.19200300.100.1.1', 'OID.0.9.2342.19200300.100.1.1'],
    ['2.5.4.97', 'OID.2.5.4.97'],
    ['1.3.6.1.4.1.311.1.1', 'OID.1.3.6.1.4.1.311.1.1'],
  ];
  for (const [oid, key] of cases) assert.equal(windowsIssuerName(one(oid, 'v1')), `${key}=v1`, oid);
});

test('a multi-valued RDN: its values joined by " + ", in encoding order', () => {
  const n = name([['2.5.4.6', new asn1js.PrintableString({ value: 'DE' })]], [['2.5.4.10', 'Acme'], ['2.5.4.11', 'PKI']], [['2.5.4.3', 'Issuing CA']]);
  assert.equal(windowsIssuerName(n), 'C=DE,O=Acme + OU=PKI,CN=Issuing CA');
});

test('values quoted as CertNameToStr quotes them: , + = " < > # ; a leading or trailing space, an empty value', () => {
  const cases: [string, string][] = [
    ['Acme, Inc.', '"Acme, Inc."'],
    ['a+b', '"a+b"'],
    ['a=b', '"a=b"'],
    ['Say "Hi" CA', '"Say ""Hi"" CA"'],
    ['a<b', '"a<b"'],
    ['a>b', '"a>b"'],
    ['#1 CA', '"#1 CA"'],
    ['a;b', '"a;b"'],
    [' lead', '" lead"'],
    ['trail ', '"trail "'],
    ['', '""'],
    // Not quoted: consecutive spaces inside, a single quote, a backslash, a dollar sign, non-ASCII.
    ['two  spaces', 'two  spaces'],
    ["O'Brien CA", "O'Brien CA"],
    ['a\\b$c', 'a\\b$c'],
    ['Zürich Straße', 'Zürich Straße'],
  ];
  for (const [value, written] of cases) assert.equal(windowsIssuerName(one('2.5.4.10', value)), `O=${written}`, JSON.stringify(value));
  // Through the DN parser too (RFC 4514 escapes in, Windows quoting out).
  assert.equal(windowsIssuerName(der('CN=Example CA,O=Acme\\, Inc.')), 'O="Acme, Inc.",CN=Example CA');
});

test('a value that is not a character string is # and the hex of its DER', () => {
  assert.equal(windowsIssuerName(name([['1.2.3.4', 'x']], [['2.5.4.3', new asn1js.Integer({ value: 5 })]])), 'OID.1.2.3.4=x,CN=#020105');
  assert.throws(() => windowsIssuerName(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05])), certErr('INVALID_NAME', 'issuer: not a DER-encoded X.501 Name'));
});

test('a value with a line break, another control character, a line separator or a lone surrogate is refused, naming the attribute', () => {
  const cases: [string, string, Value, string][] = [
    ['2.5.4.11', 'OU (2.5.4.11)', 'Line\nBreak', 'U+000A'],
    ['2.5.4.3', 'CN (2.5.4.3)', 'CR\rhere', 'U+000D'],
    ['2.5.4.10', 'O (2.5.4.10)', 'nul\u0000', 'U+0000'],
    ['2.5.4.10', 'O (2.5.4.10)', 'tab\there', 'U+0009'],
    ['2.5.4.10', 'O (2.5.4.10)', 'next\u0085line', 'U+0085'],
    ['2.5.4.7', 'L (2.5.4.7)', 'a\u2028b', 'U+2028'],
    ['1.2.3.4', 'OID.1.2.3.4', 'esc\u001b[31m', 'U+001B'],
    ['2.5.4.3', 'CN (2.5.4.3)', new asn1js.BmpString({ value: 'x\ud800y' }), 'U+D800'],
  ];
  for (const [oid, what, value, cp] of cases) {
    assert.throws(
      () => windowsIssuerName(name([['2.5.4.6', 'DE']], [[oid, value]])),
      (e: unknown) => {
        certErr('INVALID_NAME', `issuer: the ${what} value holds ${cp} (a control character or line break), which cannot be written safely in an altSecurityIdentities string`)(e);
        assert.deepEqual((e as { details: unknown }).details, { field: 'issuer', attribute: oid, unsafe: true });
        return true;
      },
      `${oid} ${cp}`,
    );
  }
});
