// Pending deliveries in the engine: work committed with its delivery but not written is listed, finished with
// a new password from the key sealed for it, cleared of what the interrupted attempt left (a ".partial"
// folder, a complete bundle whose password reached no one and its password-list line, ".tmp" files), and
// abandoned on request. The sealed key exists only sealed, and only while the delivery is pending.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { parse } from 'csv-parse/sync';
import { PasswordList } from '../../electron/core/batch/password-list.js';
import { abandonDelivery } from '../../electron/core/delivery/abandon.js';
import { claimDelivery } from '../../electron/core/delivery/in-flight.js';
import { issueWithBundle } from '../../electron/core/delivery/issue-deliver.js';
import { listPending } from '../../electron/core/delivery/pending.js';
import { resumeDeliveries } from '../../electron/core/delivery/resume.js';
import { getDelivery, recordBundleDelivery, recordCrlSigned } from '../../electron/core/delivery/store.js';
import { makeBundle } from '../../electron/core/export/bundle-make.js';
import { bundleFolderName } from '../../electron/core/export/bundle-names.js';
import { exportBundle } from '../../electron/core/export/export-bundle.js';
import { nodeFileSink, type FileSink } from '../../electron/core/files.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { updateProfile } from '../../electron/core/issuance/profiles.js';
import { getCertRow } from '../../electron/core/issuance/records.js';
import { generateCrl, revokeCertificates } from '../../electron/core/issuance/revocation.js';
import { deleteCertificates } from '../../electron/core/lifecycle/delete.js';
import { publishCrls } from '../../electron/core/lifecycle/crl-publish.js';
import { parsePfx } from '../../electron/core/pki/pkcs12-parse.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { certErr, newVault } from '../helpers/engine-vault.js';

async function setup(t: TestContext, opts: { keepKey?: boolean } = {}) {
  const { vault, dir } = await newVault(t);
  await createCa(vault, { name: 'CA', subject: 'CN=Delivery CA,O=Example,C=GB', keyType: 'ec-p256', days: 3650 });
  if (opts.keepKey === false) updateProfile(vault, 'user', { keepKey: false });
  const stick = join(dir, 'stick');
  mkdirSync(stick);
  return { vault, dir, stick, list: join(dir, 'passwords.csv') };
}

/** Issues and records the bundle delivery in the same transaction, then stops: what a run killed right after its commit leaves. */
async function issueThenDie(vault: Vault, stick: string, name: string, passwordsFile?: string) {
  let delivery = 0;
  const { record, privateKeyPkcs8 } = await issueCertificate(
    vault,
    { ca: 'CA', profile: 'user', name, sans: [{ type: 'email', value: `${name.split(' ')[0]!.toLowerCase()}@example.com` }], keyType: 'ec-p256' },
    {
      inTransaction: (certificateId, pkcs8) => {
        delivery = recordBundleDelivery(vault, { operation: 'issue', certificateId, outDir: stick, passwordSet: false, sinks: { passwordsFile }, privateKeyPkcs8: pkcs8 });
      },
    },
  );
  return { record, delivery, pkcs8: privateKeyPkcs8 };
}

const pfxOf = (folder: string) => new Uint8Array(readFileSync(join(folder, readdirSync(folder).find((f) => f.endsWith('.pfx'))!)));
const dataLines = (file: string) => parse(readFileSync(file), { columns: true }) as { holder: string; file: string; password: string }[];
const count = (vault: Vault, sql: string, ...args: unknown[]) => (vault.db.prepare(sql).get(...args) as { n: number }).n;

test('a committed certificate whose bundle was never written is listed, and resumed from its sealed key with a new password', async (t) => {
  const { vault, stick, list } = await setup(t, { keepKey: false });
  const { record, delivery, pkcs8 } = await issueThenDie(vault, stick, 'Dana Example', list);
  assert.equal(record.hasKey, false, 'the profile keeps no key: only the delivery holds it');

  // The key waits sealed in the delivery: its bytes appear nowhere in the vault file's rows in plaintext.
  const row = getDelivery(vault, delivery)!;
  assert.ok(row.key_ciphertext && row.key_nonce, 'sealed key stored');
  assert.equal(Buffer.from(row.key_ciphertext).includes(Buffer.from(pkcs8.subarray(-32))), false);
  pkcs8.fill(0);

  const pending = listPending(vault);
  assert.equal(pending.length, 1);
  assert.deepEqual(
    { id: pending[0]!.id, kind: pending[0]!.kind, operation: pending[0]!.operation, certificateId: pending[0]!.certificateId, holder: pending[0]!.holder, target: pending[0]!.target, newPassword: pending[0]!.newPassword, passwordTo: pending[0]!.passwordTo },
    { id: delivery, kind: 'bundle', operation: 'issue', certificateId: record.id, holder: 'Dana Example', target: stick, newPassword: true, passwordTo: [list] },
  );
  assert.match(pending[0]!.summary, /bundle of certificate \d+ \(Dana Example\), issued, into .*stick; its new password goes to .*passwords\.csv/);

  const report = await resumeDeliveries(vault);
  assert.deepEqual(report.failed, []);
  assert.equal(report.finished.length, 1);
  const { files, password } = report.finished[0]!;
  assert.ok(password, 'a new password');
  await parsePfx(pfxOf(files[0]!), password);
  assert.deepEqual(dataLines(list).map((l) => l.password), [password]);
  assert.deepEqual(listPending(vault), []);
  const done = getDelivery(vault, delivery)!;
  assert.equal(done.state, 'delivered');
  assert.equal(done.key_ciphertext, null, 'the sealed key is wiped once delivered');
  assert.equal(done.key_nonce, null);
  assert.equal(count(vault, `SELECT count(*) AS n FROM audit WHERE action = 'cert.export' AND details LIKE '%"resumed":true%'`), 1);
  assert.equal(vault.verifyAudit().ok, true);
});

test('resuming clears what the interrupted attempt left: its .partial folder, its unopenable bundle, that bundle\'s password line, .tmp files', async (t) => {
  const { vault, stick, list, dir } = await setup(t);
  const { record, delivery, pkcs8 } = await issueThenDie(vault, stick, 'Emil Example', list);
  const row = getCertRow(vault, record.id)!;
  const name = bundleFolderName(row);
  // The interrupted attempt got as far as a complete bundle and its password line; an earlier one left a .partial folder and a .tmp.
  const stale = await makeBundle(vault, row, { outDir: stick, encryption: 'modern', password: 'Lost-Password-1234', privateKeyPkcs8: pkcs8, deliveryId: delivery });
  const before = new PasswordList(list);
  before.append('Someone Else', null, 'someone-else-0badc0de/someone-else.pfx', 'Other-Password-5678');
  before.append(row.holder, null, `${name}/emil-example.pfx`, 'Lost-Password-1234');
  before.close();
  mkdirSync(join(stick, `.${name}.partial-0123abcd`));
  writeFileSync(join(dir, '.passwords.csv.0123456789ab.tmp'), 'half');
  // Files of others that look alike stay: another delivery's bundle of the same certificate, a foreign dot file.
  const other = await makeBundle(vault, row, { outDir: stick, encryption: 'modern', password: 'Kept-Password-1234', privateKeyPkcs8: pkcs8, deliveryId: delivery + 1000 });
  writeFileSync(join(stick, '.DS_Store'), '');
  pkcs8.fill(0);

  const report = await resumeDeliveries(vault);
  assert.deepEqual(report.failed, []);
  const folder = report.finished[0]!.files[0]!;
  assert.equal(existsSync(join(stick, `.${name}.partial-0123abcd`)), false, '.partial removed');
  assert.equal(existsSync(join(dir, '.passwords.csv.0123456789ab.tmp')), false, '.tmp removed');
  assert.ok(existsSync(other.written.folder), "another delivery's bundle stays");
  assert.ok(existsSync(join(stick, '.DS_Store')), 'a file not of CertDesk stays');
  const lines = dataLines(list);
  assert.deepEqual(lines.map((l) => l.holder), ['Someone Else', 'Emil Example'], "the stale line is gone, others stay, the new one is added");
  assert.equal(lines[1]!.file.split('/')[0], folder.split('/').at(-1));
  await parsePfx(pfxOf(folder), lines[1]!.password);
  // The bundle the password of which no one has was removed (the new one may reuse its name).
  const ours = readdirSync(stick).filter((f) => f.startsWith(name) && f !== other.written.folder.split('/').at(-1));
  assert.deepEqual(ours, [folder.split('/').at(-1)], `one bundle of this delivery (stale was ${stale.written.folder})`);
});

test('an export that fails while writing is abandoned: nothing pending, nothing left, the failure audited', async (t) => {
  const { vault, stick } = await setup(t);
  const { record } = await issueCertificate(vault, { ca: 'CA', profile: 'user', name: 'Fay Example', sans: [{ type: 'email', value: 'fay@example.com' }], keyType: 'ec-p256' });
  let writes = 0;
  const full: FileSink = { ...nodeFileSink, writeNew: (p, d, m) => (writes++ >= 3 ? (() => { throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' }); })() : nodeFileSink.writeNew(p, d, m)) };
  await assert.rejects(exportBundle(vault, { cert: String(record.id), outDir: stick }, { sink: full }), certErr('IO_ERROR', 'the disk is full'));
  assert.deepEqual(readdirSync(stick), []);
  assert.deepEqual(listPending(vault), []);
  assert.equal(count(vault, `SELECT count(*) AS n FROM deliveries WHERE state = 'abandoned' AND outcome LIKE 'the export failed:%disk is full%'`), 1);
  assert.equal(count(vault, `SELECT count(*) AS n FROM audit WHERE action = 'delivery.abandon'`), 1);
});

test('abandoning removes the leftovers, wipes the sealed key and is audited; a finished delivery cannot be resumed or abandoned again', async (t) => {
  const { vault, stick } = await setup(t, { keepKey: false });
  const { record, delivery, pkcs8 } = await issueThenDie(vault, stick, 'Gil Example');
  pkcs8.fill(0);
  const name = bundleFolderName(getCertRow(vault, record.id)!);
  mkdirSync(join(stick, `.${name}.partial-89abcdef`));
  abandonDelivery(vault, delivery, 'the holder left');
  assert.deepEqual(readdirSync(stick), []);
  const row = getDelivery(vault, delivery)!;
  assert.deepEqual([row.state, row.outcome, row.key_ciphertext], ['abandoned', 'the holder left', null]);
  assert.equal(count(vault, `SELECT count(*) AS n FROM audit WHERE action = 'delivery.abandon' AND target = ?`, `cert:${record.id}`), 1);
  assert.deepEqual(listPending(vault), []);
  await assert.rejects(resumeDeliveries(vault, { ids: [delivery] }), certErr('INVALID_INPUT', `delivery ${delivery} is not pending: it was abandoned`));
  assert.throws(() => abandonDelivery(vault, delivery, 'again'), certErr('INVALID_INPUT', 'not pending'));
  await assert.rejects(resumeDeliveries(vault, { ids: [999] }), certErr('INVALID_INPUT', 'no delivery 999'));
  assert.equal(vault.verifyAudit().ok, true);
});

test('a delivery being written in this process is neither listed nor resumed', async (t) => {
  const { vault, stick } = await setup(t);
  const { delivery, pkcs8 } = await issueThenDie(vault, stick, 'Hal Example');
  pkcs8.fill(0);
  const release = claimDelivery(vault, delivery);
  assert.deepEqual(listPending(vault), []);
  const report = await resumeDeliveries(vault, { ids: [delivery] });
  assert.equal(report.finished.length, 0);
  assert.match(report.failed[0]!.message, /being written right now/);
  release();
  assert.equal(listPending(vault).length, 1);
});

test('a bundle that cannot be written after issuing leaves the certificate with a pending delivery, and the error says so', async (t) => {
  const { vault, stick, dir } = await setup(t);
  // The slip goes into a folder that does not exist: the bundle is written, then taken back.
  const err = await issueWithBundle(vault, { ca: 'CA', profile: 'user', name: 'Ida Example', sans: [{ type: 'email', value: 'ida@example.com' }], keyType: 'ec-p256' }, { outDir: stick, sinks: { slip: join(dir, 'missing', 'slip.html') } }).then(
    () => assert.fail('should fail'),
    (e: unknown) => e,
  );
  certErr('IO_ERROR', /certificate \d+ \(Ida Example\) was issued, but its files were not written/, /the delivery \(\d+\) is pending/, 'certdesk pending resume')(err);
  assert.deepEqual(readdirSync(stick), [], 'no bundle whose password reached no one');
  const pending = listPending(vault);
  assert.equal(pending.length, 1);
  mkdirSync(join(dir, 'missing'));
  const report = await resumeDeliveries(vault);
  assert.equal(report.finished.length, 1);
  assert.ok(existsSync(join(dir, 'missing', 'slip.html')), 'the slip is written by the resumed delivery');
  await parsePfx(pfxOf(report.finished[0]!.files[0]!), report.finished[0]!.password!);
});

test('a publish killed after signing is finished by publishing fresh CRLs; a new publish to the same folder takes over an interrupted one', async (t) => {
  const { vault, dir } = await setup(t);
  const out = join(dir, 'crls');
  mkdirSync(out);
  // The run signed and committed CA 1's CRL with its delivery, then died before writing.
  let delivery: number | null = null;
  await generateCrl(vault, 'CA', undefined, { inTransaction: (caId, crlNumber) => (delivery = recordCrlSigned(vault, delivery, out, { caId, crlNumber })) });
  writeFileSync(join(out, '.ca.crl.00112233aabb.tmp'), 'half a CRL');
  const listed = listPending(vault);
  assert.deepEqual(listed.map((d) => [d.kind, d.operation, d.target]), [['crls', 'crl.publish', out]]);
  const report = await resumeDeliveries(vault);
  assert.deepEqual(report.failed, []);
  assert.deepEqual(readdirSync(out).sort(), ['ca.crl', 'ca.crl.pem', 'crl-chain.pem']);
  assert.equal(getDelivery(vault, delivery!)!.state, 'delivered');
  assert.match(getDelivery(vault, delivery!)!.outcome ?? '', /published again by delivery \d+/);

  // Interrupted again, then published anew by hand: the new publish finishes the old one.
  let second: number | null = null;
  await generateCrl(vault, 'CA', undefined, { inTransaction: (caId, crlNumber) => (second = recordCrlSigned(vault, second, out, { caId, crlNumber })) });
  assert.equal(listPending(vault).length, 1);
  await publishCrls(vault, out);
  assert.deepEqual(listPending(vault), []);
  assert.equal(getDelivery(vault, second!)!.state, 'delivered');
});

test('revoking or deleting a certificate withdraws its pending delivery: nothing is handed out later, leftovers go, the audit says why', async (t) => {
  const { vault, stick, list } = await setup(t);
  const revoked = await issueThenDie(vault, stick, 'Rita Example', list);
  const deleted = await issueThenDie(vault, stick, 'Dirk Example', list);
  const kept = await issueThenDie(vault, stick, 'Kai Example', list);
  for (const d of [revoked, deleted, kept]) d.pkcs8.fill(0);
  // What an interrupted attempt for Rita left: a .partial folder of her bundle.
  const partial = join(stick, `.${bundleFolderName(getCertRow(vault, revoked.record.id)!)}.partial-0a1b2c3d`);
  mkdirSync(partial);
  writeFileSync(join(partial, 'x.pfx'), 'partial');

  revokeCertificates(vault, [String(revoked.record.id)], 'keyCompromise');
  deleteCertificates(vault, [String(deleted.record.id)]);

  assert.deepEqual(listPending(vault).map((p) => p.holder), ['Kai Example'], 'only the certificate still in use waits');
  for (const [d, reason] of [[revoked, 'certificate revoked'], [deleted, 'certificate deleted']] as const) {
    const row = getDelivery(vault, d.delivery)!;
    assert.equal(row.state, 'abandoned');
    assert.equal(row.outcome, reason);
    assert.equal(row.key_ciphertext, null, 'the sealed key is wiped');
    assert.equal(count(vault, `SELECT count(*) AS n FROM audit WHERE action = 'delivery.abandon' AND target = ? AND details LIKE ?`, `cert:${d.record.id}`, `%${reason}%`), 1);
  }
  assert.equal(existsSync(partial), false, "Rita's .partial folder is removed");
  const report = await resumeDeliveries(vault);
  assert.deepEqual(report.failed, []);
  assert.deepEqual(report.finished.map((f) => f.delivery.holder), ['Kai Example']);
  assert.deepEqual(dataLines(list).map((l) => l.holder), ['Kai Example'], 'no password for a revoked or deleted certificate');
  assert.deepEqual(readdirSync(stick).filter((f) => !f.startsWith('.')).length, 1);
  assert.equal(vault.verifyAudit().ok, true);
});
