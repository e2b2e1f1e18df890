// The certificate lifecycle: revoking many at once (all or none), deleting (hidden, never forgotten),
// renewal (new key or same key, old and new linked), what is due, and CRL publishing.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { listCertificates, resolveCertificate } from '../../electron/core/issuance/records.js';
import { generateCrl, revokeCertificates } from '../../electron/core/issuance/revocation.js';
import { publishCrls } from '../../electron/core/lifecycle/crl-publish.js';
import { deleteCertificates } from '../../electron/core/lifecycle/delete.js';
import { dueForRenewal, renewCertificate } from '../../electron/core/lifecycle/renew.js';
import { x509 } from '../../electron/core/pki/provider.js';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { tempDir } from '../helpers/tmp.js';

const DAY = 86_400_000;

async function setup(t: TestContext) {
  const dir = tempDir(t);
  let now = new Date('2026-11-22T12:00:00Z');
  const clock = { set: (d: Date) => (now = d), get: () => now };
  const vault = await createVault(join(dir, 'v.certdesk'), 'lifecycle passphrase', { kdf: { alg: 'scrypt', N: 2 ** 12, r: 8, p: 1 }, clock: () => now });
  t.after(() => vault.close());
  await createCa(vault, { name: 'CA', subject: 'CN=Lifecycle CA,O=Example', keyType: 'ec-p256', days: 3650 });
  const issue = async (name: string, profile = 'user', days?: number) =>
    (await issueCertificate(vault, { ca: 'CA', profile, name, sans: profile === 'device' ? [{ type: 'dns', value: `${name.toLowerCase()}.example.com` }] : [{ type: 'email', value: `${name.toLowerCase()}@example.com` }], keyType: 'ec-p256', days })).record;
  return { dir, vault, clock, issue };
}

const spkiOf = (pem: string) => Buffer.from(new x509.X509Certificate(pem).publicKey.rawData).toString('hex');

test('revoking many is all or nothing; every revocation is audited', async (t) => {
  const { vault, issue } = await setup(t);
  const a = await issue('Anna');
  const b = await issue('Bert');
  await assert.rejects(async () => revokeCertificates(vault, [String(a.id), 'deadbeef'], 'keyCompromise'), { code: 'CERT_NOT_FOUND' });
  assert.equal(resolveCertificate(vault, String(a.id)).status, 'valid', 'nothing revoked when one reference is bad');
  const revoked = revokeCertificates(vault, [String(a.id), String(b.id)], 'cessationOfOperation');
  assert.deepEqual(revoked.map((r) => [r.status, r.revocationReason]), [['revoked', 'cessationOfOperation'], ['revoked', 'cessationOfOperation']]);
  assert.equal((vault.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'cert.revoke'").get() as { n: number }).n, 2);
  assert.throws(() => revokeCertificates(vault, [String(a.id)]), { code: 'ALREADY_REVOKED' });
});

test('a deleted certificate leaves the lists but keeps its record, its serial and its place on the CRL', async (t) => {
  const { vault, issue } = await setup(t);
  const gone = await issue('Carl');
  revokeCertificates(vault, [String(gone.id)], 'affiliationChanged');
  deleteCertificates(vault, [String(gone.id)]);
  assert.deepEqual(listCertificates(vault, { kind: 'end-entity' }).map((c) => c.id), []);
  assert.throws(() => resolveCertificate(vault, String(gone.id)), { code: 'CERT_NOT_FOUND' });
  const row = vault.db.prepare('SELECT serial, deleted_at FROM certificates WHERE id = ?').get(gone.id) as { serial: string; deleted_at: string };
  assert.ok(row.deleted_at);
  const crl = new x509.X509Crl((await generateCrl(vault, 'CA')).der);
  assert.ok(crl.entries.some((e) => e.serialNumber.toLowerCase() === row.serial), 'still on the CRL');
  assert.equal(vault.verifyAudit().ok, true);
  assert.ok((vault.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'cert.delete'").get() as { n: number }).n === 1);
});

test('renewal rekeys by default, keeps the key only where the profile allows it, and links old and new', async (t) => {
  const { vault, issue } = await setup(t);
  const user = await issue('Dora');
  const renewed = await renewCertificate(vault, String(user.id));
  assert.equal(renewed.record.renewedFrom, user.id);
  assert.equal(renewed.previous.supersededBy, renewed.record.id);
  assert.equal(renewed.record.holder, user.holder);
  assert.equal(renewed.record.subject, user.subject);
  assert.deepEqual(renewed.record.sans, user.sans);
  assert.notEqual(renewed.record.serial, user.serial);
  assert.notEqual(spkiOf(renewed.record.pem), spkiOf(user.pem), 'a new key');
  assert.ok(renewed.privateKeyPkcs8 && renewed.record.hasKey);
  await assert.rejects(renewCertificate(vault, String(user.id)), /already renewed by certificate/);
  await assert.rejects(renewCertificate(vault, String(renewed.record.id), { sameKey: true }), { code: 'PROFILE_VIOLATION' });

  const device = await issue('Printer', 'device');
  const same = await renewCertificate(vault, String(device.id), { sameKey: true });
  assert.equal(spkiOf(same.record.pem), spkiOf(device.pem), 'the device keeps its key');
  revokeCertificates(vault, [String(same.previous.id)], 'superseded');
  assert.equal(resolveCertificate(vault, String(device.id)).revocation_reason, 'superseded');
});

test('due for renewal: within the profile renew-before days, not renewed, not revoked', async (t) => {
  const { vault, clock, issue } = await setup(t);
  const soon = await issue('Soon', 'user', 20);
  const later = await issue('Later', 'user', 90);
  const revoked = await issue('Revoked', 'user', 10);
  revokeCertificates(vault, [String(revoked.id)]);
  assert.deepEqual(dueForRenewal(vault).map((r) => r.id), [soon.id]);
  clock.set(new Date(clock.get().getTime() + 65 * DAY));
  assert.deepEqual(dueForRenewal(vault).map((r) => r.id), [soon.id, later.id], 'expired and not renewed still counts');
  await renewCertificate(vault, String(later.id));
  assert.deepEqual(dueForRenewal(vault).map((r) => r.id), [soon.id]);
});

test('crl publish writes every CA, numbers increase, and the folder must exist', async (t) => {
  const { vault, dir } = await setup(t);
  await createCa(vault, { name: 'Sub', issuer: 'CA', subject: 'CN=Sub', keyType: 'ec-p256', days: 365 });
  const out = join(dir, 'crl');
  mkdirSync(out);
  const first = await publishCrls(vault, out);
  const second = await publishCrls(vault, out);
  assert.deepEqual(readdirSync(out).sort(), ['ca.crl', 'ca.crl.pem', 'crl-chain.pem', 'sub.crl', 'sub.crl.pem']);
  assert.deepEqual(second.crls.map((c) => c.crlNumber), first.crls.map((c) => c.crlNumber + 1));
  assert.equal(second.publishBy, second.crls.map((c) => c.nextUpdate).sort()[0]);
  await assert.rejects(publishCrls(vault, join(dir, 'missing')), { code: 'IO_ERROR' });
});
