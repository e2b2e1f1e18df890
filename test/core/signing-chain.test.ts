// A revoked or expired CA issues nothing (issue 10): before every signature the whole chain up to the root
// is checked, and the error names the CA and why. A revoked CA still signs its own CRL while certificates
// it issued run.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { webcrypto } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { runBatch } from '../../electron/core/batch/run-batch.js';
import { createCa, importCa, loadSigner } from '../../electron/core/issuance/cas.js';
import { issueCertificate, signCsr } from '../../electron/core/issuance/issue.js';
import { resolveCa } from '../../electron/core/issuance/records.js';
import { generateCrl, revokeCertificates } from '../../electron/core/issuance/revocation.js';
import { publishCrls } from '../../electron/core/lifecycle/crl-publish.js';
import { renewCertificate } from '../../electron/core/lifecycle/renew.js';
import { buildCertificate, randomSerial } from '../../electron/core/pki/certificates.js';
import { exportPkcs8, generateKey } from '../../electron/core/pki/keys.js';
import { toPem } from '../../electron/core/pki/pem.js';
import { x509 } from '../../electron/core/pki/provider.js';
import { verifyVault } from '../../electron/core/vault/vault-verify.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { certErr, count, DAY, newVault, PASSPHRASE, TestClock, vaultOptions } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';

/** Root > Policy > Users, and Alice issued by Users for a year. */
async function threeTiers(t: TestContext) {
  const tv = await newVault(t);
  const { vault } = tv;
  await createCa(vault, { name: 'Root', subject: 'CN=Chain Root,O=Example', keyType: 'ec-p256', days: 3650, pathLength: 2 });
  const policy = await createCa(vault, { name: 'Policy', issuer: 'Root', subject: 'CN=Chain Policy CA,O=Example', keyType: 'ec-p256', days: 2000, pathLength: 1 });
  const users = await createCa(vault, { name: 'Users', issuer: 'Policy', subject: 'CN=Chain Users CA,O=Example', keyType: 'ec-p256', days: 1000 });
  const alice = (await issueCertificate(vault, { ca: 'Users', profile: 'user', name: 'Alice Example', sans: [{ type: 'email', value: 'alice@example.com' }], keyType: 'ec-p256' })).record;
  return { ...tv, policy, users, alice };
}

const issueUnder = (vault: Vault, ca: string) =>
  issueCertificate(vault, { ca, profile: 'user', name: 'Bob Example', sans: [{ type: 'email', value: 'bob@example.com' }], keyType: 'ec-p256' });

async function csr(): Promise<Uint8Array> {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const req = await x509.Pkcs10CertificateRequestGenerator.create({
    name: 'CN=device-9',
    keys: keys as never,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as never,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'device-9.example.com' }])],
  });
  return new Uint8Array(req.rawData);
}

test('under a revoked CA nothing is signed, by any path; the CRLs of every CA in the chain still are', async (t) => {
  const { vault, dir, policy, alice } = await threeTiers(t);
  revokeCertificates(vault, [String(policy.certificateId)], 'caCompromise', { caCertificates: true });
  const before = count(vault.db, 'certificates');
  const why = ['CA "Users" cannot sign a certificate: CA "Policy" above it is revoked (caCompromise, on '];
  await assert.rejects(issueUnder(vault, 'Users'), certErr('ISSUER_NOT_VALID', ...why));
  await assert.rejects(signCsr(vault, { ca: 'Users', profile: 'device', csr: await csr() }), certErr('ISSUER_NOT_VALID', ...why));
  await assert.rejects(renewCertificate(vault, String(alice.id)), certErr('ISSUER_NOT_VALID', ...why));
  await assert.rejects(createCa(vault, { name: 'Sub', issuer: 'Policy', subject: 'CN=Sub', keyType: 'ec-p256' }), certErr('ISSUER_NOT_VALID', 'CA "Policy" is revoked (caCompromise'));
  const out = join(dir, 'batch');
  mkdirSync(out);
  await assert.rejects(
    runBatch(vault, { ca: 'Users', profile: 'user', csv: Buffer.from('name,email\nCarl Example,carl@example.com\n'), sourceName: 'b.csv', outDir: out, passwordsFile: join(dir, 'pw.csv'), workers: 1 }),
    certErr('ISSUER_NOT_VALID', ...why),
  );
  assert.equal(count(vault.db, 'certificates'), before, 'no certificate was made');
  assert.deepEqual(readdirSync(out), []);

  // CRLs: Users (under the revoked CA) and Policy (revoked itself) still list their revocations; Root lists Policy.
  assert.equal((await generateCrl(vault, 'Users')).entries, 0);
  assert.equal((await generateCrl(vault, 'Policy')).entries, 0);
  const rootCrl = new x509.X509Crl((await generateCrl(vault, 'Root')).der);
  assert.deepEqual(rootCrl.entries.map((e) => e.serialNumber.toLowerCase()), [policy.serial.toLowerCase()]);
  const crls = join(dir, 'crls');
  mkdirSync(crls);
  assert.deepEqual((await publishCrls(vault, crls)).crls.map((c) => c.ca).sort(), ['Policy', 'Root', 'Users']);
  assert.equal(verifyVault(vault).ok, true);
});

test('a revoked issuing CA refuses to issue but signs its own CRL until every certificate it issued has expired', async (t) => {
  const { vault, dir, clock, users, alice } = await threeTiers(t);
  revokeCertificates(vault, [String(users.certificateId)], 'keyCompromise', { caCertificates: true });
  await assert.rejects(issueUnder(vault, 'Users'), certErr('ISSUER_NOT_VALID', 'CA "Users" is revoked (keyCompromise, on', 'cannot sign a certificate'));
  assert.equal((await generateCrl(vault, 'Users')).crlNumber, 1);

  // Alice's certificate has expired; Users itself has not.
  clock.advance(new Date(alice.notAfter).getTime() - clock.now().getTime() + DAY);
  await assert.rejects(generateCrl(vault, 'Users'), certErr('ISSUER_NOT_VALID', 'every certificate "Users" issued has expired', 'no CRL is needed'));
  const crls = join(dir, 'crls');
  mkdirSync(crls);
  assert.deepEqual((await publishCrls(vault, crls)).crls.map((c) => c.ca).sort(), ['Policy', 'Root'], 'publishing leaves it out');
});

test('an expired CA signs nothing, not even a CRL', async (t) => {
  const { vault, clock, users } = await threeTiers(t);
  clock.advance(new Date(users.notAfter).getTime() - clock.now().getTime() + DAY);
  await assert.rejects(issueUnder(vault, 'Users'), certErr('ISSUER_NOT_VALID', 'CA "Users" expired on', 'cannot sign a certificate'));
  await assert.rejects(generateCrl(vault, 'Users'), certErr('ISSUER_NOT_VALID', 'CA "Users" expired on', 'cannot sign a CRL'));
});

test('a CA under an expired CA signs nothing (an imported intermediate that outlives its root)', async (t) => {
  const { vault, clock } = await newVault(t);
  const root = await createCa(vault, { name: 'Short Root', subject: 'CN=Short Root,O=Example', keyType: 'ec-p256', days: 30 });
  // Made outside CertDesk with the root's key, valid for a year: longer than its issuer.
  const signer = await loadSigner(vault, root);
  const key = await generateKey('ec-p256');
  const cert = await buildCertificate({
    subject: new x509.Name('CN=Imported Issuing CA'),
    publicKey: key.publicKey,
    serial: randomSerial(),
    notBefore: clock.now(),
    notAfter: new Date(clock.now().getTime() + 365 * DAY),
    signer,
    ca: { pathLength: 0 },
    keyUsage: ['digitalSignature', 'keyCertSign', 'cRLSign'],
    extendedKeyUsage: [],
    sans: [],
  });
  const imported = await importCa(vault, { name: 'Imported', pem: { cert: Buffer.from(toPem(new Uint8Array(cert.rawData))), key: Buffer.from(toPem(await exportPkcs8(key.privateKey), 'PRIVATE KEY')) } });
  assert.equal(imported.issuerCaId, root.id);
  assert.equal((await issueUnder(vault, 'Imported')).record.status, 'valid');
  clock.advance(31 * DAY);
  await assert.rejects(issueUnder(vault, 'Imported'), certErr('ISSUER_NOT_VALID', 'CA "Imported" cannot sign a certificate: CA "Short Root" above it expired on'));
});

test("a CA certificate's revocation undone from an older backup is caught by its issuer's revoked set", async (t) => {
  const { vault, path, policy } = await threeTiers(t);
  vault.close();
  const dir = tempDir(t);
  const backup = join(dir, 'backup.certdesk');
  copyFileSync(path, backup);
  const live = Vault.open(path, vaultOptions(new TestClock()));
  await live.unlock(PASSPHRASE);
  revokeCertificates(live, [String(policy.certificateId)], 'caCompromise', { caCertificates: true });
  live.close();

  // Policy's certificate row as it was before (its MAC once valid) written back.
  const db = new Database(path);
  db.pragma('foreign_keys = OFF');
  db.prepare('ATTACH DATABASE ? AS old').run(backup);
  db.prepare('DELETE FROM main.certificates WHERE id = ?').run(policy.certificateId);
  db.prepare('INSERT INTO main.certificates SELECT * FROM old.certificates WHERE id = ?').run(policy.certificateId);
  db.close();

  const v = Vault.open(path, vaultOptions(new TestClock()));
  t.after(() => v.close());
  await v.unlock(PASSPHRASE);
  assert.equal(resolveCa(v, 'Policy').status, 'valid', 'precondition: Policy looks valid again');
  await assert.rejects(issueUnder(v, 'Users'), certErr('VAULT_TAMPERED', 'CA 1 "Root"', 'changed outside CertDesk'));
  assert.equal(verifyVault(v).ok, false);
});
