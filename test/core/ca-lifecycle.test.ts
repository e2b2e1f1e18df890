// The CA's own lifecycle in the engine (issue 14): details and extensions, renewal with the same key (a root
// renews itself, an intermediate is re-signed by its parent) and with a new key (the old CA retired but still
// signing CRLs), revoking an intermediate (on its parent's CRL; it issues nothing more), CRL settings, exports,
// and the one default key type.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { DEFAULT_CA_KEY } from '../../shared/domain.js';
import { showCa } from '../../electron/core/ca/ca-details.js';
import { exportCaFile } from '../../electron/core/ca/ca-export.js';
import { renewCa } from '../../electron/core/ca/ca-renew.js';
import { parseCaReason, revokeCa } from '../../electron/core/ca/ca-revoke.js';
import { setCaCrl } from '../../electron/core/ca/ca-settings.js';
import { renewCertificate } from '../../electron/core/lifecycle/renew.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { getCertRow, resolveCa, toCertificateRecord } from '../../electron/core/issuance/records.js';
import { generateCrl, revokeCertificate, revokeCertificates } from '../../electron/core/issuance/revocation.js';
import { certificateActions } from '../../shared/cert-actions.js';
import { parsePfx } from '../../electron/core/pki/pkcs12.js';
import { keyMatchesSpki } from '../../electron/core/pki/keys.js';
import { x509 } from '../../electron/core/pki/provider.js';
import { listAudit } from '../../electron/core/vault/audit.js';
import { verifyVault } from '../../electron/core/vault/vault-verify.js';
import { readFileSync, statSync } from 'node:fs';
import { certErr, DAY, newVault } from '../helpers/engine-vault.js';

async function setup(t: TestContext) {
  const tv = await newVault(t);
  const { vault } = tv;
  await createCa(vault, { name: 'Root', subject: 'CN=Lifecycle Root,O=Example', keyType: 'ec-p256', days: 3650, crlUrl: 'http://pki.example.com/root.crl' });
  await createCa(vault, { name: 'Issuing', subject: 'CN=Lifecycle Issuing,O=Example', keyType: 'ec-p256', days: 1825, issuer: 'Root', crlUrl: 'http://pki.example.com/issuing.crl' });
  const issue = async (name: string, ca = 'Issuing') =>
    (await issueCertificate(vault, { ca, profile: 'user', name, sans: [{ type: 'email', value: `${name.toLowerCase()}@example.com` }], keyType: 'ec-p256', days: 365 })).record;
  return { ...tv, issue };
}

const certOf = (pem: string) => new x509.X509Certificate(pem);
const crlSerials = (der: Uint8Array) => new x509.X509Crl(der).entries.map((e) => e.serialNumber.toLowerCase());

test('a new CA gets DEFAULT_CA_KEY (rsa-3072) when no key type is asked for', async (t) => {
  const { vault } = await newVault(t);
  assert.equal(DEFAULT_CA_KEY, 'rsa-3072');
  const ca = await createCa(vault, { name: 'Default', subject: 'CN=Default Key Root' });
  assert.equal(ca.keyType, 'rsa-3072');
  assert.equal(showCa(vault, 'Default').ca.keyType, DEFAULT_CA_KEY);
});

test('ca show: subject, issuer, SKI/AKI, basicConstraints with pathLen, keyUsage, CRL distribution point, thumbprints', async (t) => {
  const { vault } = await setup(t);
  const root = showCa(vault, 'Root');
  const issuing = showCa(vault, 'Issuing');
  assert.equal(root.state, 'active');
  assert.equal(root.issuer, 'CN=Lifecycle Root,O=Example');
  assert.equal(root.issuerCaName, null);
  assert.deepEqual(root.basicConstraints, { ca: true, pathLength: null, critical: true });
  assert.deepEqual(issuing.basicConstraints, { ca: true, pathLength: 0, critical: true });
  assert.deepEqual(issuing.keyUsage, ['digitalSignature', 'keyCertSign', 'cRLSign']);
  assert.equal(issuing.issuer, 'CN=Lifecycle Root,O=Example');
  assert.equal(issuing.issuerCaName, 'Root');
  assert.match(root.subjectKeyId!, /^[0-9a-f]{40}$/);
  assert.equal(issuing.authorityKeyId, root.subjectKeyId, "the intermediate's AKI is the root's SKI");
  assert.deepEqual(issuing.crlDistributionPoints, ['http://pki.example.com/root.crl'], "an intermediate carries its parent's CRL URL");
  assert.deepEqual(root.crlDistributionPoints, []);
  assert.equal(issuing.ca.sha256, getCertRow(vault, issuing.ca.certificateId)!.sha256);
  assert.deepEqual(issuing.extensions.map((e) => [e.name, e.critical]).filter(([n]) => n === 'Basic Constraints'), [['Basic Constraints', true]]);
  assert.equal(certOf(issuing.pem).serialNumber.toLowerCase(), issuing.ca.serial);
  assert.throws(() => showCa(vault, 'Nope'), certErr('CA_NOT_FOUND', 'no CA "Nope"', 'Root, Issuing'));
});

test('same-key renewal of a root: the CA points to a new self-signed certificate; what it signed before still verifies', async (t) => {
  const { vault, clock, issue } = await setup(t);
  const before = showCa(vault, 'Root');
  const issuingBefore = certOf(showCa(vault, 'Issuing').pem);
  clock.advance(10 * DAY);
  const r = await renewCa(vault, 'Root', { days: 7300 });
  assert.equal(r.newKey, false);
  assert.equal(r.ca.id, before.ca.id);
  assert.notEqual(r.ca.certificateId, before.ca.certificateId);
  const after = showCa(vault, 'Root');
  const newCert = certOf(after.pem);
  assert.equal(after.subjectKeyId, before.subjectKeyId, 'same key, same key identifier');
  assert.equal(newCert.subject, certOf(before.pem).subject);
  assert.equal(newCert.notAfter.getTime() - clock.now().getTime(), 7300 * DAY);
  assert.ok(await newCert.verify({ signatureOnly: true }), 'self-signed by the same key');
  assert.ok(await issuingBefore.verify({ publicKey: newCert.publicKey, signatureOnly: true }), 'the intermediate signed before verifies against the renewed root');
  // The old certificate is kept as a CA certificate, linked to the new one.
  const old = getCertRow(vault, before.ca.certificateId)!;
  assert.deepEqual([old.kind, old.superseded_by, old.status], ['ca', r.ca.certificateId, 'valid']);
  assert.equal(getCertRow(vault, r.ca.certificateId)!.renewed_from, old.id);
  assert.deepEqual(after.earlierCertificates.map((e) => e.id), [old.id]);
  assert.equal(after.state, 'active');
  // The chain still issues; the audit names both serials.
  await issue('Ada');
  const entry = listAudit(vault.db, { action: 'ca.renew' })[0]!;
  assert.deepEqual([entry.details.newKey, entry.details.serial, entry.details.previousSerial], [false, newCert.serialNumber, before.ca.serial]);
  assert.equal(verifyVault(vault).ok, true);
});

test('same-key renewal of an intermediate is signed by its parent and not past its end date', async (t) => {
  const { vault, issue } = await setup(t);
  const ada = await issue('Ada');
  const root = certOf(showCa(vault, 'Root').pem);
  await assert.rejects(renewCa(vault, 'Issuing', { days: 4000 }), certErr('VALIDITY_EXCEEDS_ISSUER', "past the issuing CA's end date"));
  const r = await renewCa(vault, 'Issuing');
  const renewed = certOf(showCa(vault, 'Issuing').pem);
  assert.equal(renewed.issuer, root.subject);
  assert.ok(await renewed.verify({ publicKey: root.publicKey, signatureOnly: true }), "signed by the root's key");
  assert.equal(renewed.notAfter.getTime() - vault.now().getTime(), 1825 * DAY);
  assert.ok(await certOf(ada.pem).verify({ publicKey: renewed.publicKey, signatureOnly: true }), 'a certificate issued before verifies against the renewed intermediate');
  assert.equal(r.ca.pathLength, 0);
});

test("an intermediate whose root was renewed with a new key is re-signed by the root's successor", async (t) => {
  const { vault, issue } = await setup(t);
  const ada = await issue('Ada');
  const next = await renewCa(vault, 'Root', { newKey: true, name: 'Root 2', crlUrl: 'http://pki.example.com/root-2.crl' });
  assert.equal(showCa(vault, 'Root').state, 'retired');
  // The intermediate signed by the old root keeps issuing: the old root certificate is still valid.
  await issue('Ben');
  const r = await renewCa(vault, 'Issuing');
  assert.equal(r.ca.issuerCaId, next.ca.id);
  const renewed = showCa(vault, 'Issuing');
  assert.equal(renewed.issuerCaName, 'Root 2');
  assert.equal(renewed.authorityKeyId, showCa(vault, 'Root 2').subjectKeyId);
  assert.deepEqual(renewed.crlDistributionPoints, ['http://pki.example.com/root-2.crl']);
  const newRoot = certOf(showCa(vault, 'Root 2').pem);
  assert.ok(await certOf(renewed.pem).verify({ publicKey: newRoot.publicKey, signatureOnly: true }), "signed by the new root's key");
  assert.ok(await certOf(ada.pem).verify({ publicKey: certOf(renewed.pem).publicKey, signatureOnly: true }), 'what it issued before verifies against it');
  assert.equal(listAudit(vault.db, { action: 'ca.renew' })[0]!.details.signedBy, 'Root 2');
  assert.equal(verifyVault(vault).ok, true);
});

test('new-key renewal: a new CA under the same subject; the old one is retired, issues nothing, still signs CRLs', async (t) => {
  const { vault, issue } = await setup(t);
  const bob = await issue('Bob');
  await assert.rejects(renewCa(vault, 'Issuing', { newKey: true }), certErr('INVALID_INPUT', 'crl-url:', 'keeps publishing its CRL at http://pki.example.com/issuing.crl'));
  await assert.rejects(renewCa(vault, 'Issuing', { name: 'X' }), certErr('INVALID_INPUT', '--new-key'));
  const r = await renewCa(vault, 'Issuing', { newKey: true, crlUrl: 'http://pki.example.com/issuing-2.crl' });
  assert.equal(r.newKey, true);
  assert.equal(r.ca.name, `Issuing ${vault.now().getUTCFullYear()}`);
  assert.equal(r.ca.subject, 'CN=Lifecycle Issuing,O=Example');
  assert.equal(r.ca.crlUrl, 'http://pki.example.com/issuing-2.crl');
  assert.equal(r.previous.name, 'Issuing');
  const oldD = showCa(vault, 'Issuing');
  const newD = showCa(vault, r.ca.name);
  assert.notEqual(newD.subjectKeyId, oldD.subjectKeyId);
  assert.equal(oldD.state, 'retired');
  assert.deepEqual([oldD.ca.retired, newD.ca.retired, oldD.ca.status], [true, false, 'valid'], 'the list marks the old CA retired (its certificate is still valid)');
  assert.deepEqual(oldD.successor, { id: r.ca.id, name: r.ca.name });
  assert.deepEqual(newD.predecessor, { id: oldD.ca.id, name: 'Issuing' });
  assert.equal(oldD.ca.crlUrl, 'http://pki.example.com/issuing.crl', 'the old CA keeps its CRL URL');
  await assert.rejects(issue('Carol', 'Issuing'), certErr('ISSUER_NOT_VALID', 'CA "Issuing" is retired', `CA "${r.ca.name}" took over with a new key`));
  const carol = await issue('Carol', r.ca.name);
  assert.ok(await certOf(carol.pem).verify({ publicKey: certOf(newD.pem).publicKey, signatureOnly: true }));
  // The retired CA still revokes what it issued and signs that CRL with the old key.
  revokeCertificate(vault, String(bob.id), 'keyCompromise');
  const crl = await generateCrl(vault, 'Issuing');
  assert.deepEqual(crlSerials(crl.der), [bob.serial]);
  assert.ok(await new x509.X509Crl(crl.der).verify({ publicKey: certOf(oldD.pem).publicKey }));
  await assert.rejects(renewCa(vault, 'Issuing'), certErr('INVALID_INPUT', 'CA "Issuing" is retired', `renew that one`));
  await assert.rejects(renewCa(vault, r.ca.name, { newKey: true, name: 'Root', crlUrl: 'http://x.example/a.crl' }), certErr('CA_EXISTS', 'a CA named "Root" already exists'));
  assert.equal(verifyVault(vault).ok, true);
});

test("a CA's certificate is not revoked on its own (certdesk revoke, cert.revoke): the CA is, with ca revoke", async (t) => {
  const { vault } = await setup(t);
  const issuing = resolveCa(vault, 'Issuing');
  const audits = listAudit(vault.db).length;
  // Before: "Revoked certificate 2" and the CA went on issuing under it.
  assert.throws(
    () => revokeCertificates(vault, [String(issuing.certificateId)], 'caCompromise'),
    certErr('INVALID_INPUT', `certificate ${issuing.certificateId} (Lifecycle Issuing) is CA "Issuing"'s certificate: revoke the CA itself (certdesk ca revoke "Issuing"`),
  );
  assert.equal(showCa(vault, 'Issuing').state, 'active');
  assert.equal(listAudit(vault.db).length, audits);
  assert.equal(certificateActions(toCertificateRecord(vault, getCertRow(vault, issuing.certificateId)!)).revoke, false, 'the certificate panel offers no Revoke for it');
});

test("a certificate of a CA retired by a new-key renewal renews under the CA that took over", async (t) => {
  const { vault, issue } = await setup(t);
  const bob = await issue('Bob');
  const r = await renewCa(vault, 'Issuing', { newKey: true, crlUrl: 'http://pki.example.com/issuing-2.crl' });
  // Before: "CA Issuing is retired" stopped every renewal of what it had issued.
  const renewed = await renewCertificate(vault, String(bob.id));
  assert.equal(renewed.record.issuerCaId, r.ca.id);
  assert.ok(await certOf(renewed.record.pem).verify({ publicKey: certOf(showCa(vault, r.ca.name).pem).publicKey, signatureOnly: true }));
  assert.equal(getCertRow(vault, bob.id)!.superseded_by, renewed.record.id);
  assert.equal(verifyVault(vault).ok, true);
});

test("revoking an intermediate: its parent's CRL lists it (and its earlier same-key certificate); it issues nothing more", async (t) => {
  const { vault, issue } = await setup(t);
  await issue('Dora');
  const first = showCa(vault, 'Issuing').ca.serial;
  await renewCa(vault, 'Issuing');
  const second = showCa(vault, 'Issuing').ca.serial;
  assert.throws(() => revokeCa(vault, 'Root', 'caCompromise'), certErr('INVALID_INPUT', 'CA "Root" is a root (self-signed)', 'remove it from the trust stores'));
  assert.throws(() => parseCaReason('keyCompromise'), certErr('INVALID_INPUT', 'reason: "keyCompromise" does not fit a CA certificate', 'caCompromise'));
  const revoked = revokeCa(vault, 'Issuing', 'caCompromise');
  assert.equal(revoked.status, 'revoked');
  const crl = await generateCrl(vault, 'Root');
  assert.deepEqual(crlSerials(crl.der).sort(), [first, second].sort());
  await assert.rejects(issue('Eve'), certErr('ISSUER_NOT_VALID', 'CA "Issuing" is revoked (caCompromise'));
  assert.throws(() => revokeCa(vault, 'Issuing', 'caCompromise'), certErr('ALREADY_REVOKED', 'CA "Issuing" was already revoked'));
  await assert.rejects(renewCa(vault, 'Issuing'), certErr('INVALID_INPUT', 'CA "Issuing" is revoked'));
  assert.equal(showCa(vault, 'Issuing').state, 'revoked');
  // It still signs its own CRL while what it issued runs.
  assert.equal((await generateCrl(vault, 'Issuing')).entries, 0);
  const entry = listAudit(vault.db, { action: 'ca.revoke' })[0]!;
  assert.deepEqual([entry.details.ca, entry.details.reason, entry.details.parent], ['Issuing', 'caCompromise', 'Root']);
});

test('ca set changes the CRL URL and interval through the authenticated record, audited with old and new values', async (t) => {
  const { vault, issue } = await setup(t);
  assert.throws(() => setCaCrl(vault, 'Issuing', {}), certErr('INVALID_INPUT', 'nothing to change'));
  assert.throws(() => setCaCrl(vault, 'Issuing', { crlUrl: 'https://pki.example.com/x.crl' }), certErr('INVALID_INPUT', 'crl-url: use an http://'));
  assert.throws(() => setCaCrl(vault, 'Issuing', { crlDays: 0 }), certErr('INVALID_INPUT', 'crl-days: must be a whole number from 1 to 3650, got 0'));
  const ca = setCaCrl(vault, 'Issuing', { crlUrl: 'http://crl.example.net/issuing.crl', crlDays: 7 });
  assert.deepEqual([ca.crlUrl, ca.crlDays], ['http://crl.example.net/issuing.crl', 7]);
  const ada = await issue('Ada');
  assert.deepEqual(
    Array.from(certOf(ada.pem).getExtension(x509.CRLDistributionPointsExtension)!.distributionPoints).map((d) => d.distributionPoint!.fullName![0]!.uniformResourceIdentifier),
    ['http://crl.example.net/issuing.crl'],
  );
  const crl = await generateCrl(vault, 'Issuing');
  assert.equal(new Date(crl.nextUpdate).getTime() - new Date(crl.thisUpdate).getTime(), 7 * DAY);
  assert.deepEqual(listAudit(vault.db, { action: 'ca.update' })[0]!.details, {
    ca: 'Issuing',
    crlUrl: { from: 'http://pki.example.com/issuing.crl', to: 'http://crl.example.net/issuing.crl' },
    crlDays: { from: 30, to: 7 },
  });
  assert.equal(setCaCrl(vault, 'Issuing', { crlUrl: '' }).crlUrl, null);
  assert.equal(verifyVault(vault).ok, true);
});

test('exports: PEM, DER, the chain as p7b, and a PFX with the key under a checked password, audited without it', async (t) => {
  const { vault, dir } = await setup(t);
  const out = (n: string) => join(dir, n);
  const pem = await exportCaFile(vault, 'Issuing', { format: 'pem', out: out('i.pem') });
  assert.deepEqual([pem.certificates, pem.withKey], [1, false]);
  assert.equal(readFileSync(out('i.pem'), 'utf8'), showCa(vault, 'Issuing').pem);
  await exportCaFile(vault, 'Issuing', { format: 'der', out: out('i.cer') });
  assert.equal(new x509.X509Certificate(readFileSync(out('i.cer'))).serialNumber.toLowerCase(), showCa(vault, 'Issuing').ca.serial);
  assert.equal((await exportCaFile(vault, 'Issuing', { format: 'p7b', out: out('i.p7b') })).certificates, 2);
  await assert.rejects(exportCaFile(vault, 'Issuing', { format: 'pfx', out: out('i.pfx'), password: 'short' }), certErr('INVALID_INPUT', 'password: too short'));
  await assert.rejects(exportCaFile(vault, 'Issuing', { format: 'pfx', out: out('i.pfx') }), certErr('INVALID_INPUT', 'password: a PFX with a CA key needs a password'));
  const password = 'Correct-Horse-42-Staple';
  const pfx = await exportCaFile(vault, 'Issuing', { format: 'pfx', out: out('i.pfx'), password });
  assert.deepEqual([pfx.certificates, pfx.withKey], [2, true]);
  assert.equal(statSync(out('i.pfx')).mode & 0o777, 0o600);
  const contents = await parsePfx(new Uint8Array(readFileSync(out('i.pfx'))), password);
  const cert = new x509.X509Certificate(contents.certificate);
  assert.equal(cert.serialNumber.toLowerCase(), showCa(vault, 'Issuing').ca.serial);
  assert.ok(keyMatchesSpki(contents.privateKeyPkcs8, new Uint8Array(cert.publicKey.rawData)), 'the key in the PFX belongs to the CA certificate');
  const audit = listAudit(vault.db, { action: 'ca.export' });
  assert.deepEqual(audit.map((a) => [a.action, a.details.format]), [['ca.export-key', 'pfx'], ['ca.export', 'p7b'], ['ca.export', 'der'], ['ca.export', 'pem']]);
  assert.ok(!JSON.stringify(audit).includes(password), 'the password never reaches the audit log');
  await assert.rejects(exportCaFile(vault, 'Issuing', { format: 'pem', out: out('x.pem'), password }), certErr('INVALID_INPUT', 'only a pfx export takes a password'));
  assert.equal(resolveCa(vault, 'Issuing').hasKey, true);
});
