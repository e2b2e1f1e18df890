// Preflight in the engine: issue, sign-csr, renew and batch validation stop on errors unless overridden with a
// reason, the audit entry records the reason and the findings, the wizard's check lists them, and the targets
// are editable profile rules (MACed with the definition).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkBatchCsv } from '../../electron/core/batch/validate.js';
import { exportBundle } from '../../electron/core/export/export-bundle.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { checkIssueRequest } from '../../electron/core/issuance/issue-check.js';
import { issueCertificate, signCsr } from '../../electron/core/issuance/issue.js';
import { updateProfile } from '../../electron/core/issuance/profiles.js';
import { getProfile } from '../../electron/core/issuance/records.js';
import { renewCertificate } from '../../electron/core/lifecycle/renew.js';
import { batchPreflight } from '../../electron/core/preflight/batch-context.js';
import { SOURCES } from '../../electron/core/preflight/sources.js';
import { x509 } from '../../electron/core/pki/provider.js';
import { listAudit } from '../../electron/core/vault/audit.js';
import { verifyVault } from '../../electron/core/vault/vault-verify.js';
import { libraryCsr } from '../helpers/csr.js';
import { certErr, newVault } from '../helpers/engine-vault.js';
import { APPLE_1095 } from '../helpers/preflight.js';
import { tempDir } from '../helpers/tmp.js';


async function setup(t: import('node:test').TestContext) {
  const tv = await newVault(t);
  await createCa(tv.vault, { name: 'CA', subject: 'CN=Preflight CA,O=Example,C=DE', keyType: 'ec-p256', days: 3650 });
  const count = () => (tv.vault.db.prepare("SELECT count(*) AS n FROM certificates WHERE kind = 'end-entity'").get() as { n: number }).n;
  return { ...tv, count };
}

test('issue: a 1,095-day server certificate stops on apple-tls; with an override reason it is issued and audited with the finding', async (t) => {
  const { vault, count } = await setup(t);
  const req = { ca: 'CA', profile: 'server', name: 'www.example.com', sans: [{ type: 'dns' as const, value: 'www.example.com' }], days: 1095 };
  await assert.rejects(issueCertificate(vault, req), certErr('PROFILE_VIOLATION', `preflight: an error stops this certificate: apple-tls days: ${APPLE_1095.message}.`));
  assert.equal(count(), 0, 'nothing was issued');
  // The wizard's check lists the same finding beside the days field, without refusing the draft.
  const check = checkIssueRequest(vault, req);
  assert.deepEqual(check.problems, []);
  assert.deepEqual(check.findings, [APPLE_1095]);

  const issued = await issueCertificate(vault, { ...req, override: 'lab only' });
  assert.deepEqual(issued.findings, [APPLE_1095]);
  const cert = new x509.X509Certificate(issued.record.pem);
  assert.equal(cert.notAfter.getTime() - cert.notBefore.getTime(), (1095 * 1440 + 5) * 60_000);
  const entry = listAudit(vault.db, { action: 'cert.issue' })[0]!;
  assert.equal(entry.target, `cert:${issued.record.id}`);
  assert.deepEqual(entry.details.override, { reason: 'lab only', findings: [APPLE_1095] });
  assert.deepEqual(entry.details.findings, [APPLE_1095]);
  assert.equal(verifyVault(vault).ok, true);
});

test('issue: within the limits nothing is found and the audit entry is as before', async (t) => {
  const { vault } = await setup(t);
  const issued = await issueCertificate(vault, { ca: 'CA', profile: 'server', name: 'www.example.com', sans: [{ type: 'dns', value: 'www.example.com' }] });
  assert.deepEqual(issued.findings, []);
  const details = listAudit(vault.db, { action: 'cert.issue' })[0]!.details;
  assert.equal('findings' in details || 'override' in details, false);
});

test('sign-csr: the preflight of the certificate to be signed, overridable with a reason', async (t) => {
  const { vault, count } = await setup(t);
  const csr = await libraryCsr([{ CN: ['vpn.example.com'] }], [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'vpn.example.com' }])]);
  await assert.rejects(signCsr(vault, { ca: 'CA', profile: 'server', csr, days: 1095 }), certErr('PROFILE_VIOLATION', `apple-tls days: ${APPLE_1095.message}`));
  assert.equal(count(), 0);
  const signed = await signCsr(vault, { ca: 'CA', profile: 'server', csr, days: 1095, override: 'appliance cannot renew often' });
  assert.deepEqual(signed.findings, [APPLE_1095]);
  assert.deepEqual(listAudit(vault.db, { action: 'cert.sign-csr' })[0]!.details.override, { reason: 'appliance cannot renew often', findings: [APPLE_1095] });
});

test('renew: the successor is checked against the profile rules of today', async (t) => {
  const { vault } = await setup(t);
  const first = await issueCertificate(vault, { ca: 'CA', profile: 'server', name: 'radius.example.com', sans: [{ type: 'dns', value: 'radius.example.com' }] });
  updateProfile(vault, 'server', { validityDays: 1095 });
  await assert.rejects(renewCertificate(vault, String(first.record.id)), certErr('PROFILE_VIOLATION', `apple-tls days: ${APPLE_1095.message}`));
  const renewed = await renewCertificate(vault, String(first.record.id), { override: 'lab only' });
  assert.deepEqual(renewed.findings, [APPLE_1095]);
  assert.deepEqual(listAudit(vault.db, { action: 'cert.renew' })[0]!.details.override, { reason: 'lab only', findings: [APPLE_1095] });
});

test('targets are an editable profile rule: stored in the MACed definition, audited, and applied', async (t) => {
  const { vault } = await setup(t);
  assert.equal(getProfile(vault, 'server').targets, undefined, 'a definition without targets: the built-in default applies');
  const changed = updateProfile(vault, 'server', { targets: ['radius-eap-tls'] });
  assert.deepEqual(changed.targets, ['radius-eap-tls']);
  assert.deepEqual(getProfile(vault, 'server').targets, ['radius-eap-tls']);
  assert.deepEqual(listAudit(vault.db, { action: 'profile.update' })[0]!.details, { targets: ['radius-eap-tls'] });
  assert.equal(verifyVault(vault).ok, true);
  assert.throws(() => updateProfile(vault, 'server', { targets: ['apple'] as never }), certErr('INVALID_INPUT', 'targets[0]: "apple" is not a target'));

  // apple-tls is off now: 1095 days pass; radius-eap-tls checks the CN against the SANs.
  const req = { ca: 'CA', profile: 'server', name: 'Radius.Example.com', sans: [{ type: 'dns' as const, value: 'radius.example.com' }], days: 1095 };
  await assert.rejects(issueCertificate(vault, req), certErr('PROFILE_VIOLATION', 'radius-eap-tls name: the common name "Radius.Example.com" matches the dNSName "radius.example.com" only ignoring case'));
  const ok = await issueCertificate(vault, { ...req, name: 'radius.example.com' });
  assert.deepEqual(ok.findings, []);

  // Its install sheet tells Android users which domain to enter.
  const bundle = await exportBundle(vault, { cert: String(ok.record.id), outDir: tempDir(t) });
  assert.match(bundle.installSheet, /under <b>Domain<\/b> enter <code>radius\.example\.com<\/code> \(Android 11 and later require it\)/);
  updateProfile(vault, 'server', { targets: [] });
  const plain = await exportBundle(vault, { cert: String(ok.record.id), outDir: tempDir(t) });
  assert.doesNotMatch(plain.installSheet, /<b>Domain<\/b>/);
});

test('batch validation: preflight errors are problems on their line and column, warnings listed apart', async (t) => {
  const { vault } = await setup(t);
  const csv = new TextEncoder().encode('name,dns,ip,days\nwww.example.com,www.example.com,,\nold.example.com,old.example.com,,1095\nvpn,,192.0.2.1,\n');
  const ca = (await import('../../electron/core/issuance/records.js')).resolveCa(vault, 'CA');
  updateProfile(vault, 'server', { targets: ['apple-tls', 'ikev2-server'] });
  const profile = getProfile(vault, 'server');
  const checked = checkBatchCsv(csv, { profile, caName: ca.name, caNotAfter: new Date(ca.notAfter), now: vault.now(), preflight: batchPreflight(vault, ca, profile, 'ec-p256') });
  assert.deepEqual(checked.problems, [{ line: 3, column: 'days', reason: `preflight apple-tls: ${APPLE_1095.message}` }]);
  assert.deepEqual(checked.warnings, [
    { line: 4, column: null, reason: 'preflight ikev2-server: no dNSName, only an IP address: Windows IKEv2 clients do not match an iPAddress name (error 13801); give the gateway a DNS name' },
  ]);
  assert.deepEqual(checked.rows.map((r) => r.line), [2, 4]);
});

test("batch validation: a row's sid column counts for windows-nps (no mapping warning); a row without one is warned", async (t) => {
  const { vault } = await setup(t);
  const ca = (await import('../../electron/core/issuance/records.js')).resolveCa(vault, 'CA');
  updateProfile(vault, 'user', { targets: ['windows-nps'] });
  const profile = getProfile(vault, 'user');
  const csv = new TextEncoder().encode('name,upn,sid\nAlice,alice@corp.test,S-1-5-21-1-2-3-1001\nBob,bob@corp.test,\n');
  const checked = checkBatchCsv(csv, { profile, caName: ca.name, caNotAfter: new Date(ca.notAfter), now: vault.now(), preflight: batchPreflight(vault, ca, profile, 'ec-p256') });
  assert.deepEqual(checked.problems, []);
  assert.deepEqual(checked.warnings.map((w) => w.line), [3], 'only Bob, who has no SID, is warned about the mapping');
  assert.match(checked.warnings[0]!.reason, /^preflight windows-nps: /);
});
