// Export bundles, proven with the real tools: OpenSSL, Java keytool, GnuTLS certtool, NSS pk12util, and
// a real nginx that accepts a client certificate from a bundle (curl with the PFX) and refuses none.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { KeyType, PfxEncryption } from '../../shared/domain.js';
import { exportBundle } from '../../electron/core/export/export-bundle.js';
import { caChain, createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { toPem } from '../../electron/core/pki/pem.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { startNginx } from '../helpers/nginx.js';
import { pfxAlgorithms } from '../helpers/pfx-inspect.js';
import { needTools, run, runOk } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

const FAST_KDF = { alg: 'scrypt', N: 2 ** 12, r: 8, p: 1 } as const;
const PBE_3DES = '1.2.840.113549.1.12.1.3';
const SHA1 = '1.3.14.3.2.26';
const AES256_CBC = '2.16.840.1.101.3.4.1.42';

async function setup(t: TestContext) {
  const dir = tempDir(t);
  const vault = await createVault(join(dir, 'v.certdesk'), 'bundle test passphrase', { kdf: FAST_KDF });
  t.after(() => vault.close());
  await createCa(vault, { name: 'Root', subject: 'CN=Bundle Root CA,O=Example,C=DE', keyType: 'ec-p384', days: 3650, pathLength: 1 });
  const issuing = await createCa(vault, { name: 'Issuing', issuer: 'Root', subject: 'CN=Bundle Issuing CA,O=Example,C=DE', keyType: 'rsa-3072', days: 1825 });
  const chain = caChain(vault, issuing).map((c) => toPem(new Uint8Array(c.rawData)));
  const rootPem = join(dir, 'root.pem');
  const chainPem = join(dir, 'ca-chain.pem');
  writeFileSync(rootPem, chain[1]!);
  writeFileSync(chainPem, chain.join(''));
  const out = join(dir, 'stick');
  runOk('mkdir', [out]);
  return { dir, vault, rootPem, chainPem, chain, out };
}

async function userBundle(vault: Vault, out: string, keyType: KeyType, encryption: PfxEncryption, name = `Zoë Müller ${keyType} ${encryption}`) {
  const { record } = await issueCertificate(vault, { ca: 'Issuing', profile: 'user', name, sans: [{ type: 'email', value: 'zoe@example.com' }], keyType, alias: `zoe-${keyType}-${encryption}` });
  return exportBundle(vault, { cert: String(record.id), outDir: out, encryption });
}

function pfxOf(folder: string): string {
  const name = readdirSync(folder).find((f) => f.endsWith('.pfx'));
  assert.ok(name, 'the bundle has a .pfx');
  return join(folder, name);
}

test('bundles for EC and RSA keys in both PFX profiles open in openssl, keytool, certtool and NSS', async (t) => {
  if (!needTools(t, 'openssl', 'keytool', 'certtool', 'pk12util', 'certutil')) return;
  const { dir, vault, out } = await setup(t);
  for (const keyType of ['ec-p256', 'rsa-2048'] as const) {
    for (const encryption of ['modern', 'legacy'] as const) {
      const label = `${keyType}/${encryption}`;
      const { summary, password, certificate } = await userBundle(vault, out, keyType, encryption);
      assert.equal(summary.encryption, encryption);
      assert.equal(summary.passwordGenerated, true);
      assert.equal(password.length, 16);

      // The manifest lists every other file with a matching checksum; the password is in none of them.
      const manifest = JSON.parse(readFileSync(join(summary.folder, 'manifest.json'), 'utf8')) as { files: { name: string; sha256: string; bytes: number }[] };
      const onDisk = readdirSync(summary.folder).filter((f) => f !== 'manifest.json').sort();
      assert.deepEqual(manifest.files.map((f) => f.name).sort(), onDisk, `${label}: manifest lists every file`);
      for (const f of manifest.files) {
        const bytes = readFileSync(join(summary.folder, f.name));
        assert.equal(createHash('sha256').update(bytes).digest('hex'), f.sha256, `${label}: checksum of ${f.name}`);
        assert.equal(bytes.length, f.bytes);
      }
      for (const f of readdirSync(summary.folder)) {
        const bytes = readFileSync(join(summary.folder, f));
        for (const enc of ['utf8', 'utf16le'] as const) assert.equal(bytes.indexOf(Buffer.from(password, enc)), -1, `${label}: password inside ${f}`);
      }
      for (const f of ['install.html', 'chain.pem', 'ca-thumbprints.txt', 'iis-mapping.xml']) assert.ok(onDisk.includes(f), `${label}: ${f}`);

      const pfx = pfxOf(summary.folder);
      const env = { ...process.env, PFXPASS: password };
      const info = run('openssl', ['pkcs12', '-info', '-noout', '-passin', 'env:PFXPASS', '-in', pfx], { env });
      assert.equal(info.status, 0, `${label}: openssl (no -legacy): ${info.stderr}`);
      const dump = runOk('openssl', ['pkcs12', '-in', pfx, '-nodes', '-passin', 'env:PFXPASS'], { env }).stdout;
      assert.match(dump, /BEGIN PRIVATE KEY/);
      assert.equal((dump.match(/BEGIN CERTIFICATE/g) ?? []).length, 3, `${label}: leaf and two CA certificates`);
      assert.match(dump, /friendlyName: zoe-/);

      const kt = run('keytool', ['-list', '-storetype', 'PKCS12', '-keystore', pfx, '-storepass', password]);
      assert.equal(kt.status, 0, `${label}: keytool: ${kt.stdout}${kt.stderr}`);
      assert.match(kt.stdout, /PrivateKeyEntry/);

      const ct = run('certtool', ['--p12-info', '--inder', '--password', password, '--infile', pfx]);
      assert.equal(ct.status, 0, `${label}: certtool: ${ct.stdout}${ct.stderr}`);

      const nss = join(dir, `nss-${keyType}-${encryption}`);
      runOk('mkdir', [nss]);
      runOk('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
      const pk = run('pk12util', ['-i', pfx, '-d', `sql:${nss}`, '-W', password]);
      assert.equal(pk.status, 0, `${label}: pk12util: ${pk.stdout}${pk.stderr}`);
      assert.match(runOk('certutil', ['-L', '-d', `sql:${nss}`]).stdout, /zoe-/);

      const algorithms = pfxAlgorithms(new Uint8Array(readFileSync(pfx)));
      if (encryption === 'legacy') assert.deepEqual([...new Set(algorithms)].sort(), [PBE_3DES, SHA1].sort(), `${label}: only 3DES and SHA-1`);
      else assert.ok(algorithms.includes(AES256_CBC) && !algorithms.includes(PBE_3DES), `${label}: AES-256, no 3DES`);

      // IIS: the single-line Base64 in the snippet is the certificate's DER.
      const iis = readFileSync(join(summary.folder, 'iis-mapping.xml'), 'utf8');
      const b64 = /certificate="([^"]+)"/.exec(iis)?.[1];
      assert.ok(b64 && !/\s/.test(b64));
      assert.equal(createHash('sha256').update(Buffer.from(b64, 'base64')).digest('hex'), certificate.sha256);
      assert.doesNotMatch(iis, /<add[^>]*\spassword=/, 'no password attribute on any mapping');

      const p7 = runOk('openssl', ['pkcs7', '-inform', 'DER', '-print_certs', '-noout', '-in', pfx.replace(/\.pfx$/, '.p7b')]).stdout;
      assert.equal((p7.match(/subject=/g) ?? []).length, 3);
      assert.match(readFileSync(join(summary.folder, 'install.html'), 'utf8'), new RegExp(certificate.sha256.slice(0, 2).toUpperCase()));
    }
  }
});

test('a client certificate from a bundle authenticates to a real nginx (200); no certificate gets 400', async (t) => {
  if (!needTools(t, 'openssl', 'nginx', 'curl')) return;
  const { dir, vault, rootPem, chainPem, chain, out } = await setup(t);
  const server = await issueCertificate(vault, { ca: 'Issuing', profile: 'server', name: 'localhost', sans: [{ type: 'dns', value: 'localhost' }, { type: 'ip', value: '127.0.0.1' }], keyType: 'ec-p256' });
  const certFile = join(dir, 'server.pem');
  const keyFile = join(dir, 'server.key');
  writeFileSync(certFile, server.record.pem + chain.join(''));
  writeFileSync(keyFile, toPem(server.privateKeyPkcs8, 'PRIVATE KEY'), { mode: 0o600 });
  const nginx = await startNginx(t, dir, { certFile, keyFile, clientCaFile: chainPem });

  for (const encryption of ['modern', 'legacy'] as const) {
    const bundle = await userBundle(vault, out, 'rsa-2048', encryption, `Client ${encryption}`);
    const ok = runOk('curl', ['-sS', '--cacert', rootPem, '--cert-type', 'P12', '--cert', pfxOf(bundle.summary.folder), '--pass', bundle.password, '-w', '\n%{http_code}', nginx.url]);
    assert.match(ok.stdout, new RegExp(`hello .*CN=Client ${encryption}[\\s\\S]*\\n200$`), `${encryption} PFX: ${ok.stdout}${ok.stderr}`);
  }
  const none = runOk('curl', ['-sS', '--cacert', rootPem, '-o', '/dev/null', '-w', '%{http_code}', nginx.url]);
  assert.equal(none.stdout, '400');
});
