// CRL publishing proven with a real nginx: with the published combined CRL file as ssl_crl, a revoked client
// certificate is refused (400) and a valid one accepted (200). The combined file carries every CA's CRL,
// which nginx needs for a two-level chain.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { exportBundle } from '../../electron/core/export/export-bundle.js';
import { caChain, createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { revokeCertificates } from '../../electron/core/issuance/revocation.js';
import { publishCrls } from '../../electron/core/lifecycle/crl-publish.js';
import { toPem } from '../../electron/core/pki/pem.js';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { startNginx } from '../helpers/nginx.js';
import { needTools, runOk } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

test('the published combined CRL makes nginx refuse a revoked client (400) and accept a valid one (200)', async (t) => {
  if (!needTools(t, 'openssl', 'nginx', 'curl')) return;
  const dir = tempDir(t);
  const vault = await createVault(join(dir, 'v.certdesk'), 'crl nginx passphrase', { kdf: { alg: 'scrypt', N: 2 ** 12, r: 8, p: 1 } });
  t.after(() => vault.close());
  await createCa(vault, { name: 'Root', subject: 'CN=CRL Root,O=Example,C=DE', keyType: 'ec-p384', pathLength: 1 });
  const issuing = await createCa(vault, { name: 'Issuing', issuer: 'Root', subject: 'CN=CRL Issuing,O=Example,C=DE', keyType: 'ec-p256' });
  const chain = caChain(vault, issuing).map((c) => toPem(new Uint8Array(c.rawData)));
  writeFileSync(join(dir, 'chain.pem'), chain.join(''));
  writeFileSync(join(dir, 'root.pem'), chain[1]!);

  const server = await issueCertificate(vault, { ca: 'Issuing', profile: 'server', name: 'localhost', sans: [{ type: 'ip', value: '127.0.0.1' }], keyType: 'ec-p256' });
  writeFileSync(join(dir, 'server.pem'), server.record.pem + chain.join(''));
  writeFileSync(join(dir, 'server.key'), toPem(server.privateKeyPkcs8, 'PRIVATE KEY'), { mode: 0o600 });

  const stick = join(dir, 'stick');
  const crlDir = join(dir, 'crl');
  mkdirSync(stick);
  mkdirSync(crlDir);
  const clients: { id: number; pfx: string; password: string }[] = [];
  for (const name of ['Valid Client', 'Revoked Client']) {
    const { record } = await issueCertificate(vault, { ca: 'Issuing', profile: 'vpn', name, sans: [], keyType: 'ec-p256' });
    const bundle = await exportBundle(vault, { cert: String(record.id), outDir: stick });
    clients.push({ id: record.id, pfx: join(bundle.summary.folder, bundle.summary.files.find((f) => f.name.endsWith('.pfx'))!.name), password: bundle.password });
  }
  revokeCertificates(vault, [String(clients[1]!.id)], 'keyCompromise');
  const published = await publishCrls(vault, crlDir);
  assert.deepEqual(published.crls.map((c) => c.ca).sort(), ['Issuing', 'Root']);
  const combined = readFileSync(published.combinedFile, 'utf8');
  assert.equal((combined.match(/-----BEGIN X509 CRL-----/g) ?? []).length, 2, 'one CRL per CA in the combined file');
  const issuingCrl = runOk('openssl', ['crl', '-in', published.crls.find((c) => c.ca === 'Issuing')!.pemFile, '-noout', '-text']).stdout;
  assert.match(issuingCrl, /Key Compromise/);
  const derText = runOk('openssl', ['crl', '-inform', 'DER', '-in', published.crls.find((c) => c.ca === 'Issuing')!.derFile, '-noout', '-crlnumber']).stdout;
  assert.match(derText, /crlNumber=0x0?1\n/);

  const nginx = await startNginx(t, dir, { certFile: join(dir, 'server.pem'), keyFile: join(dir, 'server.key'), clientCaFile: join(dir, 'chain.pem'), crlFile: published.combinedFile });
  const curl = (c: (typeof clients)[number]) =>
    runOk('curl', ['-sS', '--cacert', join(dir, 'root.pem'), '--cert-type', 'P12', '--cert', c.pfx, '--pass', c.password, '-o', '/dev/null', '-w', '%{http_code}', nginx.url]).stdout;
  assert.equal(curl(clients[0]!), '200');
  assert.equal(curl(clients[1]!), '400');
});
