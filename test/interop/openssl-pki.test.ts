// Interoperability: certificates, CSR signing and CRLs checked by the real openssl, never by our own parser.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { KEY_TYPES, PROFILE_IDS, type ProfileId, type San } from '../../shared/domain.js';
import { caChain, createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate, signCsr } from '../../electron/core/issuance/issue.js';
import { generateCrl, revokeCertificate } from '../../electron/core/issuance/revocation.js';
import { toPem } from '../../electron/core/pki/pem.js';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { needTools, run, runOk } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

const FAST_KDF = { alg: 'scrypt', N: 2 ** 12, r: 8, p: 1 } as const;

/** What each profile is for, as openssl's -purpose names it. */
const PURPOSES: Record<ProfileId, string[]> = {
  user: ['sslclient', 'smimesign'],
  device: ['sslclient'],
  server: ['sslserver'],
  mail: ['smimesign'],
  vpn: ['sslclient'],
  kdc: ['sslserver'],
};

/** Purposes each profile must NOT pass: the profile decides the usages. */
const NOT_PURPOSES: Record<ProfileId, string[]> = {
  user: ['sslserver'],
  device: ['sslserver', 'smimesign'],
  server: ['sslclient', 'smimesign'],
  mail: ['sslclient', 'sslserver'],
  vpn: ['sslserver'],
  kdc: ['sslclient', 'smimesign'],
};

const SANS: Record<ProfileId, San[]> = {
  user: [
    { type: 'email', value: 'zoe.mueller@example.com' },
    { type: 'upn', value: 'zoe@corp.example' },
  ],
  device: [
    { type: 'dns', value: 'tablet-17.devices.example.com' },
    { type: 'device', value: '6f1c2a3e-4b5d-4e6f-8a9b-0c1d2e3f4a5b' },
  ],
  server: [
    { type: 'dns', value: 'mail.example.com' },
    { type: 'ip', value: '192.0.2.10' },
  ],
  mail: [{ type: 'email', value: 'zoe.mueller@example.com' }],
  vpn: [{ type: 'upn', value: 'zoe@corp.example' }],
  kdc: [{ type: 'dns', value: 'dc1.example.test' }],
};

/** Encrypts a message to the certificate with openssl cms and decrypts it with the key: the mail profile really encrypts. */
function cmsRoundTrip(dir: string, certFile: string, pkcs8: Uint8Array): void {
  const keyFile = join(dir, 'mail.key');
  const msg = join(dir, 'msg.txt');
  const enc = join(dir, 'msg.p7m');
  writeFileSync(keyFile, toPem(pkcs8, 'PRIVATE KEY'), { mode: 0o600 });
  writeFileSync(msg, 'Secret: the quarterly numbers.\n');
  runOk('openssl', ['cms', '-encrypt', '-aes256', '-in', msg, '-out', enc, '-recip', certFile]);
  const plain = runOk('openssl', ['cms', '-decrypt', '-in', enc, '-recip', certFile, '-inkey', keyFile]).stdout;
  assert.equal(plain.replace(/\r\n/g, '\n'), 'Secret: the quarterly numbers.\n');
}

async function hierarchy(t: import('node:test').TestContext) {
  const dir = tempDir(t);
  const vault = await createVault(join(dir, 'v.certdesk'), 'interop passphrase', { kdf: FAST_KDF });
  t.after(() => vault.close());
  await createCa(vault, { name: 'Root', subject: 'CN=Interop Root CA,O=Example,C=DE', keyType: 'ec-p384', days: 3650, pathLength: 1 });
  const issuing = await createCa(vault, { name: 'Issuing', issuer: 'Root', subject: 'CN=Interop Issuing CA,O=Example,C=DE', keyType: 'rsa-3072', days: 1825 });
  const chain = caChain(vault, issuing);
  const rootPem = join(dir, 'root.pem');
  const untrusted = join(dir, 'intermediate.pem');
  writeFileSync(rootPem, toPem(new Uint8Array(chain[1]!.rawData)));
  writeFileSync(untrusted, toPem(new Uint8Array(chain[0]!.rawData)));
  return { dir, vault, rootPem, untrusted };
}

test('every profile x every key type from a two-level hierarchy verifies with openssl for its purpose', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const { dir, vault, rootPem, untrusted } = await hierarchy(t);
  for (const profile of PROFILE_IDS) {
    for (const keyType of KEY_TYPES) {
      const { record, privateKeyPkcs8 } = await issueCertificate(vault, { ca: 'Issuing', profile, name: `Zoë Müller ${profile} ${keyType}`, sans: SANS[profile], keyType });
      const file = join(dir, `${profile}-${keyType}.pem`);
      writeFileSync(file, record.pem);
      // openssl's smimeencrypt purpose demands keyEncipherment, an RSA operation; EC keys carry keyAgreement
      // (ECDH, as the S/MIME baseline requires), so encryption is proven below with a real CMS round trip.
      const purposes = profile === 'mail' && keyType.startsWith('rsa') ? [...PURPOSES[profile], 'smimeencrypt'] : PURPOSES[profile];
      for (const purpose of purposes) {
        const r = run('openssl', ['verify', '-x509_strict', '-CAfile', rootPem, '-untrusted', untrusted, '-purpose', purpose, file]);
        assert.equal(r.status, 0, `${profile}/${keyType} should verify for ${purpose}: ${r.stdout}${r.stderr}`);
      }
      for (const purpose of NOT_PURPOSES[profile]) {
        const r = run('openssl', ['verify', '-CAfile', rootPem, '-untrusted', untrusted, '-purpose', purpose, file]);
        assert.notEqual(r.status, 0, `${profile}/${keyType} must not verify for ${purpose}`);
      }
      if (profile === 'mail') cmsRoundTrip(dir, file, privateKeyPkcs8);
      const text = runOk('openssl', ['x509', '-in', file, '-noout', '-text', '-nameopt', 'RFC2253,-esc_msb']).stdout;
      assert.match(text, /Version: 3/);
      assert.match(text, /Subject: CN=Zoë Müller/);
      assert.match(text, /X509v3 Key Usage: critical/);
      assert.match(text, /X509v3 Basic Constraints: critical/);
      assert.match(text, /X509v3 Subject Key Identifier/);
      assert.match(text, /X509v3 Authority Key Identifier/);
      if (profile === 'user') assert.match(text, /email:zoe\.mueller@example\.com, othername: UPN::zoe@corp\.example/);
      if (profile === 'server') assert.match(text, /DNS:mail\.example\.com, IP Address:192\.0\.2\.10/);
      if (profile === 'device') assert.match(text, /URI:urn:uuid:6f1c2a3e-4b5d-4e6f-8a9b-0c1d2e3f4a5b/);
      assert.match(text, keyType.startsWith('rsa') ? new RegExp(`Public-Key: \\(${keyType.slice(4)} bit\\)`) : keyType === 'ec-p256' ? /NIST CURVE: P-256/ : /NIST CURVE: P-384/);
    }
  }
});

test('a CSR made by openssl is signed under the profile and verifies', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const { dir, vault, rootPem, untrusted } = await hierarchy(t);
  const key = join(dir, 'csr.key');
  const csr = join(dir, 'req.csr');
  runOk('openssl', [
    'req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr,
    '-subj', '/C=DE/O=Example/CN=www.example.com',
    '-addext', 'subjectAltName=DNS:www.example.com,DNS:example.com,email:webmaster@example.com',
    '-addext', 'extendedKeyUsage=codeSigning',
  ]);
  const { record, droppedSans } = await signCsr(vault, { ca: 'Issuing', profile: 'server', csr: new Uint8Array(await import('node:fs').then((f) => f.readFileSync(csr))) });
  assert.deepEqual(droppedSans, [{ type: 'email', value: 'webmaster@example.com' }]);
  const out = join(dir, 'signed.pem');
  writeFileSync(out, record.pem);
  assert.equal(run('openssl', ['verify', '-CAfile', rootPem, '-untrusted', untrusted, '-purpose', 'sslserver', out]).status, 0);
  const text = runOk('openssl', ['x509', '-in', out, '-noout', '-text']).stdout;
  assert.match(text, /Subject: C = DE, O = Example, CN = www\.example\.com/);
  assert.match(text, /DNS:www\.example\.com, DNS:example\.com\n/);
  assert.doesNotMatch(text, /Code Signing/, 'the profile, not the CSR, decides the usages');
  // The certificate carries the CSR's own public key.
  const certKey = runOk('openssl', ['x509', '-in', out, '-noout', '-pubkey']).stdout;
  const csrKey = runOk('openssl', ['pkey', '-in', key, '-pubout']).stdout;
  assert.equal(certKey, csrKey);
});

test('a revoked certificate fails openssl verify -crl_check, a valid one passes', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const { dir, vault, rootPem, untrusted } = await hierarchy(t);
  const good = await issueCertificate(vault, { ca: 'Issuing', profile: 'vpn', name: 'Valid Holder', sans: [], keyType: 'ec-p256' });
  const bad = await issueCertificate(vault, { ca: 'Issuing', profile: 'vpn', name: 'Revoked Holder', sans: [], keyType: 'ec-p256' });
  revokeCertificate(vault, String(bad.record.id), 'keyCompromise');
  const first = await generateCrl(vault, 'Issuing');
  const crl = await generateCrl(vault, 'Issuing', 7);
  assert.equal(crl.crlNumber, first.crlNumber + 1);
  const crlFile = join(dir, 'issuing.crl.pem');
  writeFileSync(crlFile, crl.pem);
  assert.match(crl.pem, /^-----BEGIN X509 CRL-----\n/);
  const crlText = runOk('openssl', ['crl', '-in', crlFile, '-noout', '-text', '-CAfile', untrusted]).stderr + runOk('openssl', ['crl', '-in', crlFile, '-noout', '-text']).stdout;
  assert.match(crlText, /X509v3 CRL Number: \n\s+2\n/);
  assert.match(crlText, /Key Compromise/);
  assert.match(crlText, new RegExp(`Serial Number: ${bad.record.serial.toUpperCase()}`));
  assert.match(runOk('openssl', ['crl', '-in', crlFile, '-noout', '-verify', '-CAfile', untrusted]).stderr, /verify OK/);

  const goodFile = join(dir, 'good.pem');
  const badFile = join(dir, 'bad.pem');
  writeFileSync(goodFile, good.record.pem);
  writeFileSync(badFile, bad.record.pem);
  const verify = (file: string) => run('openssl', ['verify', '-crl_check', '-CRLfile', crlFile, '-CAfile', rootPem, '-untrusted', untrusted, file]);
  const okRun = verify(goodFile);
  assert.equal(okRun.status, 0, okRun.stdout + okRun.stderr);
  const revokedRun = verify(badFile);
  assert.notEqual(revokedRun.status, 0);
  assert.match(revokedRun.stdout + revokedRun.stderr, /certificate revoked/);
});
