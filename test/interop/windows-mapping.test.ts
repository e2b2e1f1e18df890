// Strong certificate mapping (KB5014754) and the KDC profile, checked with openssl rather than our own parser
// where it can read the structure: the SID extension's bytes, the SID SAN URI, the altSecurityIdentities
// strings (serial reversed, SKI, SHA1-PUKEY as the certificate's SHA-1 fingerprint, each from openssl's output), the
// smart-card logon EKU, the kdc profile's EKUs and KRB5PrincipalName, and renewal keeping the SID.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { updateProfile } from '../../electron/core/issuance/profiles.js';
import { getCertRow } from '../../electron/core/issuance/records.js';
import { renewCertificate } from '../../electron/core/lifecycle/renew.js';
import { toPem } from '../../electron/core/pki/pem.js';
import { x509 } from '../../electron/core/pki/provider.js';
import { adMappingOf } from '../../electron/core/windows/ad-mapping.js';
import { readKrb5Principals } from '../../electron/core/windows/kerberos.js';
import { readSidExtension } from '../../electron/core/windows/sid-extension.js';
import { certErr, newVault } from '../helpers/engine-vault.js';
import { needTools, runOk } from '../helpers/tools.js';

const SID = 'S-1-5-21-1004336348-1177238915-682003330-10001';

async function setup(t: TestContext) {
  const tv = await newVault(t);
  await createCa(tv.vault, { name: 'Test CA', subject: 'CN=CertDesk Test CA,O=CertDesk', keyType: 'ec-p256', days: 3650 });
  let n = 0;
  /** Writes the certificate's PEM and returns its path and DER. */
  const save = (id: number) => {
    const der = new Uint8Array(getCertRow(tv.vault, id)!.der);
    const file = join(tv.dir, `cert-${++n}.pem`);
    writeFileSync(file, toPem(der));
    return { file, der };
  };
  return { ...tv, save };
}

/** The DER of the extension value (extnValue contents) that follows OID `oid` in `file`, as openssl asn1parse -strparse writes it. */
function extensionDer(dir: string, file: string, oid: string): { der: Buffer; parsed: string; out: string } {
  const lines = runOk('openssl', ['asn1parse', '-in', file]).stdout.split('\n');
  const at = lines.findIndex((l) => l.includes(`OBJECT            :${oid}`) || new RegExp(`OBJECT\\s+:${oid.replace(/\./g, '\\.')}$`).test(l.trimEnd()));
  assert.ok(at >= 0, `openssl asn1parse lists ${oid}`);
  const octet = lines.slice(at + 1).find((l) => l.includes('OCTET STRING'))!;
  const offset = /^\s*(\d+):/.exec(octet)![1]!;
  const out = join(dir, `ext-${oid}.der`);
  const parsed = runOk('openssl', ['asn1parse', '-in', file, '-strparse', offset, '-out', out]).stdout;
  return { der: readFileSync(out), parsed, out };
}

test('a user certificate with a SID carries the SID extension openssl reads as [MS-WCCE] 2.2.2.7.7.4 specifies', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const { vault, dir, save } = await setup(t);
  const { record } = await issueCertificate(vault, { ca: 'Test CA', profile: 'user', name: 'Alice Admin', sans: [{ type: 'upn', value: 'alice@example.test' }], sid: SID });
  const { file, der } = save(record.id);

  const text = runOk('openssl', ['x509', '-in', file, '-noout', '-text']).stdout;
  assert.match(text, /\n\s+1\.3\.6\.1\.4\.1\.311\.25\.2: \n/, 'openssl lists the extension, not critical');
  const ext = extensionDer(dir, file, '1.3.6.1.4.1.311.25.2');
  assert.equal(ext.der.toString('hex'), '3040a03e060a2b060104018237190201a030042e' + Buffer.from(SID).toString('hex'));
  const structure = ext.parsed.split('\n').map((l) => l.replace(/^\s*\d+:d=(\d).*?(cons|prim): /, '$1 ').replace(/\s+/g, ' ').trim()).filter(Boolean);
  assert.deepEqual(structure, ['0 SEQUENCE', '1 cont [ 0 ]', '2 OBJECT :1.3.6.1.4.1.311.25.2.1', '2 cont [ 0 ]', `3 OCTET STRING :${SID}`]);
  assert.equal(readSidExtension(der), SID);
  // The audit entry records the SID (it is not secret).
  const audit = vault.db.prepare("SELECT details FROM audit WHERE action = 'cert.issue'").get() as { details: string };
  assert.equal(JSON.parse(audit.details).sid, SID);
});

test('the altSecurityIdentities strings equal what openssl gives: issuer in X.500 order, serial reversed, SKI, SHA1-PUKEY = the SHA-1 fingerprint', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const { vault, dir, save } = await setup(t);
  const { record } = await issueCertificate(vault, { ca: 'Test CA', profile: 'user', name: 'Bob', sans: [{ type: 'email', value: 'bob@example.test' }] });
  const { file, der } = save(record.id);

  const serialHex = /^serial=([0-9A-F]+)$/m.exec(runOk('openssl', ['x509', '-in', file, '-noout', '-serial']).stdout)![1]!;
  const reversed = serialHex.match(/../g)!.reverse().join('');
  const skiText = runOk('openssl', ['x509', '-in', file, '-noout', '-ext', 'subjectKeyIdentifier']).stdout;
  const ski = /\n\s+([0-9A-F:]+)\s*$/.exec(skiText)![1]!.replace(/:/g, '').toLowerCase();
  // X509:<SHA1-PUKEY> is the certificate's SHA-1 thumbprint (what Samba 4.24 matches: SAMBA-NOTES.md), not the key's.
  const fingerprint = /^sha1 Fingerprint=([0-9A-F:]+)$/im.exec(runOk('openssl', ['x509', '-in', file, '-noout', '-fingerprint', '-sha1']).stdout)![1]!;
  const sha1 = fingerprint.replace(/:/g, '').toLowerCase();
  const pubDer = join(dir, 'pub.der');
  writeFileSync(join(dir, 'pub.pem'), runOk('openssl', ['x509', '-in', file, '-noout', '-pubkey']).stdout);
  runOk('openssl', ['pkey', '-pubin', '-in', join(dir, 'pub.pem'), '-outform', 'DER', '-out', pubDer]);
  const spkiSha1 = runOk('openssl', ['dgst', '-sha1', '-r', pubDer]).stdout.split(' ')[0]!;
  const issuer = runOk('openssl', ['x509', '-in', file, '-noout', '-issuer', '-nameopt', 'RFC2253']).stdout.trim();
  assert.equal(issuer, 'issuer=CN=CertDesk Test CA,O=CertDesk');

  assert.equal(serialHex.length, 32, 'a 16-byte serial');
  assert.deepEqual(adMappingOf(der), {
    issuerSerial: `X509:<I>O=CertDesk,CN=CertDesk Test CA<SR>${reversed}`,
    issuerSerialProblem: null,
    ski: `X509:<SKI>${ski}`,
    sha1PublicKey: `X509:<SHA1-PUKEY>${sha1}`,
    sid: null,
  });
  assert.equal(ski.length, 40);
  assert.equal(sha1.length, 40);
  assert.notEqual(sha1, spkiSha1, 'the thumbprint, not the hash of the SubjectPublicKeyInfo');
  assert.notEqual(reversed, serialHex);
});

test('profile options: the SID SAN URI and the smart-card logon EKU; a SID only on user and device certificates', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const { vault, save } = await setup(t);
  updateProfile(vault, 'user', { sidUri: true, smartCardLogon: true });
  const { record } = await issueCertificate(vault, { ca: 'Test CA', profile: 'user', name: 'Carol', sans: [{ type: 'upn', value: 'carol@example.test' }], sid: SID });
  const { file } = save(record.id);
  const san = runOk('openssl', ['x509', '-in', file, '-noout', '-ext', 'subjectAltName']).stdout;
  assert.match(san, new RegExp(`URI:tag:microsoft\\.com,2022-09-14:sid:${SID}(\\n|,|$)`));
  assert.deepEqual(record.sans, [
    { type: 'upn', value: 'carol@example.test' },
    { type: 'uri', value: `tag:microsoft.com,2022-09-14:sid:${SID}` },
  ]);
  const eku = runOk('openssl', ['x509', '-in', file, '-noout', '-ext', 'extendedKeyUsage']).stdout;
  assert.match(eku, /TLS Web Client Authentication, E-mail Protection, Microsoft Smartcard Login/);

  await assert.rejects(
    issueCertificate(vault, { ca: 'Test CA', profile: 'server', name: 'web', sans: [{ type: 'dns', value: 'web.example.test' }], sid: SID }),
    certErr('PROFILE_VIOLATION', 'sid: the server profile does not carry a Windows SID (the user and device profiles do)'),
  );
  await assert.rejects(
    issueCertificate(vault, { ca: 'Test CA', profile: 'user', name: 'Dan', sans: [{ type: 'upn', value: 'dan@example.test' }], sid: 'S-1-5-21-99999999999' }),
    certErr('INVALID_INPUT', 'sid: "S-1-5-21-99999999999" is not a Windows SID: sub-authority 2 "99999999999"'),
  );
  assert.throws(() => updateProfile(vault, 'server', { sidUri: true }), certErr('PROFILE_VIOLATION', 'sidUri: the server profile does not carry a SID'));
});

test('the kdc profile: KDC and server authentication EKUs, the DNS name and krbtgt/REALM@REALM as openssl decodes it', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const { vault, dir, save } = await setup(t);
  const { record } = await issueCertificate(vault, { ca: 'Test CA', profile: 'kdc', name: 'dc1.example.test', sans: [{ type: 'dns', value: 'dc1.example.test' }] });
  const { file, der } = save(record.id);
  const eku = runOk('openssl', ['x509', '-in', file, '-noout', '-ext', 'extendedKeyUsage']).stdout;
  assert.match(eku, /TLS Web Server Authentication, Signing KDC Response\n/);
  const san = extensionDer(dir, file, 'X509v3 Subject Alternative Name');
  // openssl prints a GeneralString's bytes only as a dump ("0000 - 6b 72 ... krbtgt"): joined to the line before.
  const lines: string[] = [];
  for (const l of runOk('openssl', ['asn1parse', '-inform', 'DER', '-in', san.out, '-dump']).stdout.split('\n')) {
    const dump = /^\s+0000 - [0-9a-f -]+?\s{2,}(\S+)$/.exec(l);
    if (dump) lines[lines.length - 1] += ` :${dump[1]}`;
    else if (l.trim()) lines.push(l.replace(/^\s*\d+:d=\d+\s+hl=\d+\s+l=\s*\d+\s+(cons|prim):\s*/, '').replace(/\s+/g, ' ').trim());
  }
  assert.deepEqual(lines, [
    'SEQUENCE',
    'cont [ 2 ]',
    'cont [ 0 ]',
    'OBJECT :1.3.6.1.5.2.2',
    'cont [ 0 ]',
    'SEQUENCE',
    'cont [ 0 ]',
    'GENERALSTRING :EXAMPLE.TEST',
    'cont [ 1 ]',
    'SEQUENCE',
    'cont [ 0 ]',
    'INTEGER :02',
    'cont [ 1 ]',
    'SEQUENCE',
    'GENERALSTRING :krbtgt',
    'GENERALSTRING :EXAMPLE.TEST',
  ]);
  const sanValue = new Uint8Array(san.der);
  assert.deepEqual(readKrb5Principals(sanValue), [{ nameType: 2, components: ['krbtgt', 'EXAMPLE.TEST'], realm: 'EXAMPLE.TEST' }]);
  assert.deepEqual(record.sans, [
    { type: 'dns', value: 'dc1.example.test' },
    { type: 'krb5', value: 'krbtgt/EXAMPLE.TEST@EXAMPLE.TEST' },
  ]);
  assert.equal(readSidExtension(der), null);

  // A realm given explicitly is kept, and not derived again.
  const other = await issueCertificate(vault, { ca: 'Test CA', profile: 'kdc', name: 'dc2', sans: [{ type: 'dns', value: 'dc2.example.test' }, { type: 'krb5', value: 'krbtgt/CORP.TEST@CORP.TEST' }] });
  assert.deepEqual(readKrb5Principals(sanOf(other.record.pem)), [{ nameType: 2, components: ['krbtgt', 'CORP.TEST'], realm: 'CORP.TEST' }]);
});

/** The subjectAltName extnValue of a PEM certificate. */
function sanOf(pem: string): Uint8Array {
  return new Uint8Array(new x509.X509Certificate(pem).getExtension('2.5.29.17')!.value);
}

test('renewal keeps the SID extension and the SID URI', async (t) => {
  const { vault } = await setup(t);
  updateProfile(vault, 'device', { sidUri: true });
  const { record } = await issueCertificate(vault, { ca: 'Test CA', profile: 'device', name: 'laptop-7', sans: [{ type: 'dns', value: 'laptop-7.example.test' }], sid: SID });
  const renewed = await renewCertificate(vault, String(record.id));
  const der = new Uint8Array(getCertRow(vault, renewed.record.id)!.der);
  assert.equal(readSidExtension(der), SID);
  assert.notEqual(renewed.record.serial, record.serial);
  assert.deepEqual(renewed.record.sans, record.sans);
  assert.ok(renewed.record.sans.some((s) => s.value === `tag:microsoft.com,2022-09-14:sid:${SID}`));
  const audit = vault.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'cert.renew'").get() as { n: number };
  assert.equal(audit.n, 1);
});
