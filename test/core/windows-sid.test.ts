// Windows SIDs and account names (windows/sid.ts), the SID extension's exact bytes ([MS-WCCE] 2.2.2.7.7.4,
// windows/sid-extension.ts), the SID URI ([MS-PKCA] 3.1.5.2.1.6), Kerberos principals (windows/kerberos.ts)
// and PowerShell quoting (windows/ad-mapping-format.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as asn1js from 'asn1js';
import { checkAccountName, checkSid } from '../../electron/core/windows/sid.js';
import { generateKey } from '../../electron/core/pki/keys.js';
import { x509 } from '../../electron/core/pki/provider.js';
import { readSidExtension, SID_EXTENSION_OID, sidExtension, sidExtensionValue, sidUri } from '../../electron/core/windows/sid-extension.js';
import { kdcPrincipal, krb5PrincipalGeneralName, parsePrincipal, realmFromDnsName } from '../../electron/core/windows/kerberos.js';
import { psSingleQuoted } from '../../electron/core/windows/ad-mapping-format.js';
import { certErr } from '../helpers/engine-vault.js';
import { BUILTIN_PROFILES } from '../../electron/core/issuance/builtin-profiles.js';
import { windowsSans } from '../../electron/core/issuance/windows-rules.js';

const SID = 'S-1-5-21-1004336348-1177238915-682003330-10001';

test('a SID in the [MS-DTYP] 2.4.2.1 string form is accepted in canonical form', () => {
  assert.equal(checkSid(SID), SID);
  assert.equal(checkSid(`  s-1-5-21-1-2-3-500 `), 'S-1-5-21-1-2-3-500');
  assert.equal(checkSid('S-1-5-18'), 'S-1-5-18');
  // An authority in hex is written as ConvertSidToStringSid writes it: decimal below 2^32 (one string per SID).
  assert.equal(checkSid('S-1-0x000000000005-32-544'), 'S-1-5-32-544');
  assert.equal(checkSid('S-1-0x0000FFFFFFFF-1'), 'S-1-4294967295-1');
  assert.equal(checkSid('S-1-0x0001000000AB-7'), 'S-1-0x0001000000ab-7');
  // 15 sub-authorities, each up to 2^32 - 1.
  const fifteen = `S-1-5-${Array.from({ length: 15 }, () => '4294967295').join('-')}`;
  assert.equal(checkSid(fifteen), fifteen);
});

test('a malformed SID is refused naming the part that is wrong', () => {
  assert.throws(() => checkSid('X-1-5-21-1'), certErr('INVALID_INPUT', 'sid: "X-1-5-21-1" is not a Windows SID: a SID starts with S-1-'));
  assert.throws(() => checkSid('S-2-5-21-1'), certErr('INVALID_INPUT', 'revision 2; only revision 1 exists'));
  assert.throws(() => checkSid('S-1-5'), certErr('INVALID_INPUT', 'sid: "S-1-5" is not a Windows SID: it has no sub-authority'));
  assert.throws(() => checkSid('S-1-5-'), certErr('INVALID_INPUT', 'sub-authority 1 "" is not a decimal 32-bit unsigned number'));
  assert.throws(() => checkSid('S-1-5-21-4294967296'), certErr('INVALID_INPUT', 'sub-authority 2 "4294967296" is not a decimal 32-bit unsigned number (0 to 4294967295'));
  assert.throws(() => checkSid('S-1-5-21-01'), certErr('INVALID_INPUT', 'sub-authority 2 "01"', 'no leading zeros'));
  assert.throws(() => checkSid('S-1-5-21--7'), certErr('INVALID_INPUT', 'sub-authority 2 ""'));
  assert.throws(() => checkSid('S-1-5-21-1 2'), certErr('INVALID_INPUT', 'sub-authority 2 "1 2"'));
  assert.throws(() => checkSid('S-1-5x-21'), certErr('INVALID_INPUT', 'identifier authority "5x"'));
  assert.throws(() => checkSid(`S-1-5-${Array.from({ length: 16 }, () => '1').join('-')}`), certErr('INVALID_INPUT', '16 sub-authorities; at most 15'));
  assert.throws(() => checkSid('S-1-5-21-x', 'line 3 sid'), certErr('INVALID_INPUT', /^line 3 sid: "S-1-5-21-x" is not a Windows SID: sub-authority 2 "x"/));
});

test('account names follow the sAMAccountName rules', () => {
  assert.equal(checkAccountName(' alice.o '), 'alice.o');
  assert.equal(checkAccountName("o'brien"), "o'brien");
  assert.equal(checkAccountName('DC1$'), 'DC1$');
  assert.throws(() => checkAccountName(''), certErr('INVALID_INPUT', 'account: account name "" is empty'));
  assert.throws(() => checkAccountName('a'.repeat(21)), certErr('INVALID_INPUT', 'is 21 characters long; a user account name is at most 20'));
  assert.throws(() => checkAccountName(`${'c'.repeat(16)}$`), certErr('INVALID_INPUT', 'is 17 characters long; a computer account name is at most 16'));
  assert.throws(() => checkAccountName('alice@corp'), certErr('INVALID_INPUT', 'contains "@", which an account name cannot hold'));
  assert.throws(() => checkAccountName('a\nb'), certErr('INVALID_INPUT', 'contains "\\u000a"'));
  assert.throws(() => checkAccountName('. .'), certErr('INVALID_INPUT', 'is only dots and spaces'));
});

test('the SID extension value is exactly the bytes Windows, Heimdal and Samba read', () => {
  // SEQUENCE { [0] otherName { OID 1.3.6.1.4.1.311.25.2.1, [0] EXPLICIT OCTET STRING "S-1-5-..." } }
  const expected = '3040a03e060a2b060104018237190201a030042e' + Buffer.from(SID, 'ascii').toString('hex');
  assert.equal(SID.length, 0x2e);
  assert.equal(Buffer.from(sidExtensionValue(SID)).toString('hex'), expected);
  // Canonicalised before encoding.
  assert.equal(Buffer.from(sidExtensionValue(` s${SID.slice(1)}`)).toString('hex'), expected);
  assert.throws(() => sidExtensionValue('S-1-5-21-x'), certErr('INVALID_INPUT', 'sub-authority 2 "x"'));
});

test('the SID URI is tag:microsoft.com,2022-09-14:sid:<SID>', () => {
  assert.equal(sidUri(SID), `tag:microsoft.com,2022-09-14:sid:${SID}`);
});

test('Kerberos principals: parsing, the KDC principal, realms from DNS names and the KRB5PrincipalName DER', () => {
  assert.deepEqual(parsePrincipal('krbtgt/EXAMPLE.TEST@EXAMPLE.TEST'), { nameType: 2, components: ['krbtgt', 'EXAMPLE.TEST'], realm: 'EXAMPLE.TEST' });
  assert.deepEqual(parsePrincipal('alice@EXAMPLE.TEST'), { nameType: 1, components: ['alice'], realm: 'EXAMPLE.TEST' });
  assert.equal(kdcPrincipal('EXAMPLE.TEST'), 'krbtgt/EXAMPLE.TEST@EXAMPLE.TEST');
  // An AD realm is the upper-case DNS domain, and realms compare exactly: a lower-case --realm is upper-cased.
  assert.equal(kdcPrincipal(' corp.example.com '), 'krbtgt/CORP.EXAMPLE.COM@CORP.EXAMPLE.COM');
  assert.equal(realmFromDnsName('dc1.example.test'), 'EXAMPLE.TEST');
  assert.throws(() => realmFromDnsName('dc1'), certErr('INVALID_INPUT', 'realm: cannot derive a Kerberos realm from "dc1" (a single label)'));
  assert.throws(() => parsePrincipal('krbtgt//X@X'), certErr('INVALID_NAME', 'krb5 SAN "krbtgt//X@X": name component 2 is empty'));
  assert.throws(() => parsePrincipal('krbtgt/X'), certErr('INVALID_NAME', 'not a principal of the form name/instance@REALM'));
  assert.throws(() => parsePrincipal('a b@X'), certErr('INVALID_NAME', 'name component 1 "a b" must be printable ASCII'));
  assert.throws(() => kdcPrincipal('EX AMPLE'), certErr('INVALID_NAME', 'realm "EX AMPLE" is not letters'));
  // A realm with "@" or "/" is named as given (it was reported as a part of krbtgt/R@R, like realm "MPLE/X").
  for (const given of ['EX@MPLE/x', 'a/b', 'EX@MPLE']) {
    assert.throws(() => kdcPrincipal(given), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'INVALID_NAME');
      assert.equal(e.message, `realm "${given.toUpperCase()}" is not letters, digits, ".", "_" and "-" (at most 255), starting with a letter or digit`);
      return true;
    });
  }

  // [0] { OID 1.3.6.1.5.2.2, [0] { SEQUENCE { [0] GeneralString realm, [1] SEQUENCE { [0] INTEGER 2, [1] SEQUENCE { GeneralString... } } } } }
  const gs = (s: string) => `1b${s.length.toString(16).padStart(2, '0')}${Buffer.from(s).toString('hex')}`;
  const realm = 'EX.TEST';
  const names = gs('krbtgt') + gs(realm);
  const nameSeq = `30${(names.length / 2).toString(16).padStart(2, '0')}${names}`;
  const principalName = `a003020102a1${(nameSeq.length / 2).toString(16).padStart(2, '0')}${nameSeq}`;
  const pnSeq = `30${(principalName.length / 2).toString(16).padStart(2, '0')}${principalName}`;
  const realmField = `a0${(gs(realm).length / 2).toString(16).padStart(2, '0')}${gs(realm)}`;
  const body = `${realmField}a1${(pnSeq.length / 2).toString(16).padStart(2, '0')}${pnSeq}`;
  const krb = `30${(body.length / 2).toString(16).padStart(2, '0')}${body}`;
  const value = `a0${(krb.length / 2).toString(16).padStart(2, '0')}${krb}`;
  const oid = '06062b0601050202';
  const expected = `a0${((oid.length + value.length) / 2).toString(16).padStart(2, '0')}${oid}${value}`;
  assert.equal(Buffer.from(krb5PrincipalGeneralName(`krbtgt/${realm}@${realm}`)).toString('hex'), expected);
  assert.equal(asn1js.fromBER(krb5PrincipalGeneralName(`krbtgt/${realm}@${realm}`)).offset, expected.length / 2);
});

test('PowerShell single-quoted strings double every kind of single quote', () => {
  assert.equal(psSingleQuoted("O'Brien"), "'O''Brien'");
  assert.equal(psSingleQuoted('a\u2019b\u2018c'), "'a\u2019\u2019b\u2018\u2018c'");
  assert.equal(psSingleQuoted('X509:<I>O=A,CN=B<SR>01'), "'X509:<I>O=A,CN=B<SR>01'");
  assert.equal(psSingleQuoted('$(Remove-Item x)'), "'$(Remove-Item x)'");
  assert.throws(() => psSingleQuoted("a'\nb"), certErr('INVALID_INPUT', 'a PowerShell string may not hold a line break or control character'));
});

test('readSidExtension reads our extension back and names what is wrong with a malformed one', async () => {
  const key = await generateKey('ec-p256');
  const certWith = async (ext: x509.Extension | null) =>
    new Uint8Array(
      (
        await x509.X509CertificateGenerator.createSelfSigned({
          serialNumber: '01',
          name: 'CN=t',
          notBefore: new Date('2026-01-01T00:00:00Z'),
          notAfter: new Date('2027-01-01T00:00:00Z'),
          keys: { publicKey: key.publicKey, privateKey: key.privateKey },
          signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
          extensions: ext ? [ext] : [],
        })
      ).rawData,
    );
  const tagged = (n: number, value: asn1js.BaseBlock[]) => new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: n }, value });
  const otherName = (oid: string, inner: asn1js.BaseBlock) => tagged(0, [new asn1js.ObjectIdentifier({ value: oid }), tagged(0, [inner])]);
  const octets = (text: string) => new asn1js.OctetString({ valueHex: new TextEncoder().encode(text) });
  const ext = (...names: asn1js.BaseBlock[]) => new x509.Extension(SID_EXTENSION_OID, false, new asn1js.Sequence({ value: names }).toBER());
  const SID_OID = '1.3.6.1.4.1.311.25.2.1';

  assert.equal(readSidExtension(await certWith(sidExtension(SID))), SID);
  assert.equal(readSidExtension(await certWith(null)), null);
  const cases: [x509.Extension, string][] = [
    [ext(otherName(SID_OID, octets(SID)), otherName(SID_OID, octets(SID))), 'SID extension (1.3.6.1.4.1.311.25.2): holds 2 names; exactly one otherName is expected'],
    [ext(otherName('1.3.6.1.4.1.311.20.2.3', octets(SID))), 'the otherName type is not 1.3.6.1.4.1.311.25.2.1'],
    [ext(otherName(SID_OID, new asn1js.Utf8String({ value: SID }))), 'the otherName value is not an OCTET STRING'],
    [ext(otherName(SID_OID, octets('S-1-5-x'))), 'SID extension: "S-1-5-x" is not a Windows SID: sub-authority 1 "x"'],
    [ext(otherName(SID_OID, octets('S-1-5-21\n1'))), 'the SID text is not printable ASCII'],
    [new x509.Extension(SID_EXTENSION_OID, false, new asn1js.OctetString({ valueHex: new Uint8Array(2) }).toBER()), 'not a DER SEQUENCE'],
  ];
  for (const [e, message] of cases) {
    const der = await certWith(e);
    assert.throws(() => readSidExtension(der), certErr('INVALID_INPUT', message));
  }
});

test('a KDC certificate listing the domain name first: the realm comes from the DC host name (the longest DNS name)', () => {
  const kdc = BUILTIN_PROFILES.find((p) => p.id === 'kdc')!;
  const sans = windowsSans(kdc, [{ type: 'dns', value: 'corp.example.com' }, { type: 'dns', value: 'dc1.corp.example.com' }], null);
  assert.deepEqual(sans.filter((s) => s.type === 'krb5'), [{ type: 'krb5', value: 'krbtgt/CORP.EXAMPLE.COM@CORP.EXAMPLE.COM' }]);
});
