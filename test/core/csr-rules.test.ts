// Issue 11: what goes into a certificate signed from a CSR is what the name rules and the profile allow.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import { x509 } from '../../electron/core/pki/provider.js';
import { readCsr } from '../../electron/core/pki/csr.js';
import { dnFromName } from '../../electron/core/pki/names.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate, signCsr } from '../../electron/core/issuance/issue.js';
import { checkIssueRequest } from '../../electron/core/issuance/issue-check.js';
import { certErr, counts, newVault } from '../helpers/engine-vault.js';
import { ecKeys, handCsr, libraryCsr, opensslCsr, rawSanExtension } from '../helpers/csr.js';
import { tempDir } from '../helpers/tmp.js';
import { needTools, runOk } from '../helpers/tools.js';

async function pki(t: TestContext) {
  const { vault } = await newVault(t);
  await createCa(vault, { name: 'Root', subject: 'CN=Test Root,O=Example,C=DE', keyType: 'ec-p256', days: 3650 });
  await createCa(vault, { name: 'Intermediate', subject: 'CN=Test Issuing CA,O=Example,C=DE', keyType: 'ec-p256', days: 1000, issuer: 'Root' });
  return vault;
}

const sign = (vault: Awaited<ReturnType<typeof pki>>, csr: Uint8Array, profile = 'device') => signCsr(vault, { ca: 'Intermediate', profile, csr });

test('sign-csr takes the subject through the name rules of issue and ca create', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const vault = await pki(t);
  const dir = tempDir(t);
  const dns = 'subjectAltName=DNS:dev1.example.com';
  const before = counts(vault.db);

  // openssl refuses to write these two (its string table knows the bounds), so @peculiar/x509 makes them.
  const cn65 = await libraryCsr(new x509.Name(`CN=${'a'.repeat(65)}`));
  await assert.rejects(sign(vault, cn65), certErr('INVALID_NAME', 'csr subject: CN is 65 characters long; the maximum is 64 (RFC 5280)'));
  await assert.rejects(
    issueCertificate(vault, { ca: 'Intermediate', profile: 'device', name: 'a'.repeat(65), sans: [{ type: 'dns', value: 'dev1.example.com' }], keyType: 'ec-p256' }),
    certErr('INVALID_NAME', 'name: at most 64 characters (RFC 5280 common name), got 65'),
  );
  const usa = await libraryCsr(new x509.Name('C=USA,CN=device-1'));
  await assert.rejects(sign(vault, usa), certErr('INVALID_NAME', 'csr subject: C must be a two-letter country code (ISO 3166), got "USA"'));
  await assert.rejects(createCa(vault, { name: 'Usa', subject: 'CN=Usa,C=USA', keyType: 'ec-p256' }), certErr('INVALID_NAME', 'subject: C must be a two-letter country code (ISO 3166), got "USA"'));

  const rlo = opensslCsr(dir, 'rlo.csr', '/CN=\u202Egro.elpmaxe', [dns]);
  await assert.rejects(sign(vault, rlo), certErr('INVALID_NAME', 'csr subject: bidirectional control character U+202E in the value of CN'));
  const bel = opensslCsr(dir, 'bel.csr', '/CN=dev\u0007one', [dns]);
  await assert.rejects(sign(vault, bel), certErr('INVALID_NAME', 'csr subject: control character U+0007 in the value of CN'));
  const twoCn = opensslCsr(dir, 'two.csr', '/CN=dev1.example.com/CN=www.bank.example', [dns]);
  await assert.rejects(sign(vault, twoCn), certErr('INVALID_NAME', 'csr subject: 2 CN (common name) attributes; at most one is allowed'));
  await assert.rejects(createCa(vault, { name: 'TwoCn', subject: 'CN=a,CN=b', keyType: 'ec-p256' }), certErr('INVALID_NAME', 'subject: 2 CN (common name) attributes; at most one is allowed'));

  // A CA's name, exactly and with other case: a relying party could take the certificate for the CA.
  const caName = opensslCsr(dir, 'ca.csr', '/C=DE/O=Example/CN=Test Issuing CA', [dns]);
  await assert.rejects(sign(vault, caName), certErr('INVALID_NAME', 'csr subject: "CN=Test Issuing CA,O=Example,C=DE" is the subject of CA "Intermediate"'));
  const caNameLower = opensslCsr(dir, 'ca2.csr', '/C=DE/O=example/CN=test  root', [dns]);
  await assert.rejects(sign(vault, caNameLower), certErr('INVALID_NAME', 'csr subject: "CN=test  root,O=example,C=DE" is the subject of CA "Root"'));
  // The same attributes in the other order: a different X.509 name, but shown as the CA by Windows and viewers.
  const caNameReversed = opensslCsr(dir, 'ca3.csr', '/CN=Test Root/O=Example/C=DE', [dns]);
  await assert.rejects(sign(vault, caNameReversed), certErr('INVALID_NAME', 'csr subject: "C=DE,O=Example,CN=Test Root" is the subject of CA "Root"'));
  await assert.rejects(
    issueCertificate(vault, { ca: 'Intermediate', profile: 'device', name: 'Test Issuing CA', sans: [{ type: 'dns', value: 'dev1.example.com' }], keyType: 'ec-p256' }),
    certErr('INVALID_NAME', 'name: "CN=Test Issuing CA,O=Example,C=DE" is the subject of CA "Intermediate"'),
  );
  const check = checkIssueRequest(vault, { ca: 'Intermediate', profile: 'device', name: 'Test Issuing CA', sans: [{ type: 'dns', value: 'dev1.example.com' }] });
  assert.deepEqual(check.problems, [
    { field: 'name', message: `name: "CN=Test Issuing CA,O=Example,C=DE" is the subject of CA "Intermediate"; a certificate may not carry a CA's name` },
  ]);
  await assert.rejects(
    issueCertificate(vault, { ca: 'Intermediate', profile: 'device', name: '\u202Egro.elpmaxe', sans: [{ type: 'dns', value: 'dev1.example.com' }], keyType: 'ec-p256' }),
    certErr('INVALID_NAME', 'name: must not hold a bidirectional control character U+202E'),
  );
  // Invisible characters make look-alike holders ("Alice\u200b" is not "Alice"): refused in a CSR and in a name.
  for (const [ch, code] of [['\u200b', 'U+200B'], ['\ufeff', 'U+FEFF'], ['\u2028', 'U+2028'], ['\u00ad', 'U+00AD']] as const) {
    const csr = await libraryCsr(new x509.Name([{ '2.5.4.3': [`dev${ch}one`] }]));
    await assert.rejects(sign(vault, csr), certErr('INVALID_NAME', `csr subject: invisible character ${code} in the value of CN`));
    await assert.rejects(
      issueCertificate(vault, { ca: 'Intermediate', profile: 'device', name: `dev${ch}one`, sans: [{ type: 'dns', value: 'dev1.example.com' }], keyType: 'ec-p256' }),
      certErr('INVALID_NAME', `name: must not hold an invisible character ${code}`),
    );
  }
  // The person profiles build the subject from the CA's C and O: a CN equal to the CA's is refused there too.
  const caCn = opensslCsr(dir, 'cacn.csr', '/CN=Test Issuing CA', ['subjectAltName=email:ca@example.com']);
  await assert.rejects(sign(vault, caCn, 'user'), certErr('INVALID_NAME', 'csr subject: "CN=Test Issuing CA,O=Example,C=DE" is the subject of CA "Intermediate"'));
  assert.deepEqual(counts(vault.db), before, 'refused requests write nothing');

  // The same request with a good subject is signed as it is.
  const good = await sign(vault, opensslCsr(dir, 'good.csr', '/C=de/O=Lab/CN=dev1.example.com', [dns]));
  assert.equal(good.record.subject, 'CN=dev1.example.com,O=Lab,C=de');
  assert.deepEqual(good.droppedSubject, []);
});

test('a profile that decides the subject says what it left out of the request', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const vault = await pki(t);
  const dir = tempDir(t);
  const csr = opensslCsr(dir, 'zoe.csr', '/C=US/O=Evil Corp/OU=Payments/CN=Zoe Mueller', ['subjectAltName=email:zoe@example.com,DNS:zoe.example.com']);
  const res = await sign(vault, csr, 'user');
  assert.deepEqual(res.droppedSubject, ['C=US', 'O=Evil Corp', 'OU=Payments']);
  assert.deepEqual(res.droppedSans, [{ type: 'dns', value: 'zoe.example.com' }]);
  assert.equal(res.record.subject, 'CN=Zoe Mueller,O=Example,C=DE');
  assert.equal(res.record.holder, 'Zoe Mueller');
  const audit = vault.db.prepare("SELECT details FROM audit WHERE action = 'cert.sign-csr'").get() as { details: string } | undefined;
  assert.ok(audit, 'the signature is audited');
  assert.deepEqual(JSON.parse(audit.details).droppedSubject, ['C=US', 'O=Evil Corp', 'OU=Payments']);

  // The device profile keeps the request's subject: nothing is left out of it.
  const kept = await sign(vault, opensslCsr(dir, 'dev.csr', '/O=Lab/CN=printer-3', ['subjectAltName=DNS:printer-3.example.com']));
  assert.deepEqual(kept.droppedSubject, []);
  assert.equal(kept.record.subject, 'CN=printer-3,O=Lab');
});

test('IA5String names are never reinterpreted: UTF-8 domains become their A-label, the rest is refused', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const vault = await pki(t);
  const dir = tempDir(t);
  const idn = opensslCsr(dir, 'idn.csr', '/CN=shop', ['subjectAltName=DNS:räksmörgås.se']);
  assert.deepEqual((await readCsr(idn)).sans, [{ type: 'dns', value: 'räksmörgås.se' }], 'read as the UTF-8 it is');
  const res = await sign(vault, idn);
  assert.deepEqual(res.record.sans, [{ type: 'dns', value: 'xn--rksmrgs-5wao1o.se' }]);
  writeFileSync(join(dir, 'idn.pem'), res.record.pem);
  const ext = runOk('openssl', ['x509', '-in', 'idn.pem', '-noout', '-ext', 'subjectAltName'], { cwd: dir }).stdout;
  assert.equal(ext.trim().split('\n').at(-1)!.trim(), 'DNS:xn--rksmrgs-5wao1o.se');

  const mail = opensslCsr(dir, 'mail.csr', '/CN=Joerg', ['subjectAltName=email:joerg@räksmörgås.se']);
  assert.deepEqual((await sign(vault, mail, 'mail')).record.sans, [{ type: 'email', value: 'joerg@xn--rksmrgs-5wao1o.se' }]);

  const before = counts(vault.db);
  const local = opensslCsr(dir, 'local.csr', '/CN=Jörg', ['subjectAltName=email:jörg@example.com']);
  await assert.rejects(
    sign(vault, local, 'mail'),
    certErr('INVALID_NAME', 'csr subjectAltName: rfc822Name #1 "jörg@example.com" has a non-ASCII local part (an internationalised mailbox is an SmtpUTF8Mailbox'),
  );
  const uri = opensslCsr(dir, 'uri.csr', '/CN=dev2', ['subjectAltName=DNS:dev2.example.com,URI:https://räksmörgås.se/']);
  await assert.rejects(
    sign(vault, uri),
    certErr('INVALID_NAME', 'csr subjectAltName: uniformResourceIdentifier #2 "https://räksmörgås.se/" has non-ASCII characters; a URI must be ASCII'),
  );
  // Latin-1 "räk.se": not UTF-8 (openssl writes whatever bytes it is given only from a file, so built by hand).
  const latin1 = await libraryCsr(new x509.Name('CN=dev3'), [rawSanExtension([{ tag: 2, bytes: Uint8Array.from([0x72, 0xe4, 0x6b, 0x2e, 0x73, 0x65]) }])]);
  await assert.rejects(sign(vault, latin1), certErr('INVALID_NAME', 'csr subjectAltName: dNSName #1 is neither ASCII nor valid UTF-8 (bytes 72 e4 6b 2e 73 65)'));
  const badIp = await libraryCsr(new x509.Name('CN=dev4'), [rawSanExtension([{ tag: 7, bytes: Uint8Array.from([10, 0, 0, 1, 255]) }])]);
  await assert.rejects(sign(vault, badIp), certErr('INVALID_NAME', 'csr subjectAltName: iPAddress #1 is 5 bytes long (4 for IPv4 or 16 for IPv6)'));
  assert.deepEqual(counts(vault.db), before);
});

test('IA5String subject attributes with non-ASCII bytes are refused, and shown as their encoding', async () => {
  // emailAddress (an IA5String) holding the UTF-8 bytes of "jörg@example.com": a Latin-1 reading would show "jÃ¶rg".
  const bytes = Buffer.from('jörg@example.com', 'utf8');
  const keys = await ecKeys();
  const spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', keys.publicKey));
  const csr = await handCsr(
    [
      ['2.5.4.3', new asn1js.Utf8String({ value: 'Joerg' })],
      ['1.2.840.113549.1.9.1', new asn1js.IA5String({ valueHex: bytes })],
    ],
    spki,
    keys.privateKey,
  );
  await assert.rejects(readCsr(csr), certErr('INVALID_NAME', `csr subject: the value of E is not a character string its type can hold (bytes 16${bytes.length.toString(16)}${bytes.toString('hex')})`));
  const atv = (oid: string, value: asn1js.BaseBlock) => new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid }), value] })] });
  const subject = new asn1js.Sequence({ value: [atv('2.5.4.3', new asn1js.Utf8String({ value: 'Joerg' })), atv('1.2.840.113549.1.9.1', new asn1js.IA5String({ valueHex: bytes }))] });
  assert.equal(dnFromName(new Uint8Array(subject.toBER())), `E=#16${bytes.length.toString(16)}${bytes.toString('hex')},CN=Joerg`);
});
