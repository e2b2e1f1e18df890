// What was delivered before (issue 14, electron/core/delivery/last-delivery.ts): schema 10's deliveries.devices,
// the preselection for a certificate (its own latest delivered bundle, else its predecessor's, else null) and for
// a recipient, a devices column edited outside CertDesk never overriding the authenticated encryption, and a batch
// run remembering its devices with every row.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { runBatch } from '../../electron/core/batch/run-batch.js';
import { issueWithBundle } from '../../electron/core/delivery/issue-deliver.js';
import { certificateDeliveryChoice, recipientDeliveryChoice } from '../../electron/core/delivery/last-delivery.js';
import { renewWithBundle } from '../../electron/core/delivery/renew-deliver.js';
import { exportBundle } from '../../electron/core/export/export-bundle.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { getCertRow } from '../../electron/core/issuance/records.js';
import { SCHEMA_VERSION } from '../../electron/core/vault/schema.js';
import { certErr, newVault } from '../helpers/engine-vault.js';

async function setup(t: TestContext) {
  const { vault, dir } = await newVault(t);
  await createCa(vault, { name: 'CA', subject: 'CN=Device CA,O=Example,C=GB', keyType: 'ec-p256', days: 3650 });
  const stick = join(dir, 'stick');
  mkdirSync(stick);
  const req = (name: string) => ({ ca: 'CA', profile: 'user', name, sans: [{ type: 'email' as const, value: `${name.split(' ')[0]!.toLowerCase()}@example.com` }], keyType: 'ec-p256' as const });
  return { vault, dir, stick, req };
}

test('schema 10 adds deliveries.devices; a bundle delivery stores the devices as a JSON array, or NULL when none are named', async (t) => {
  const { vault, stick, req } = await setup(t);
  assert.ok(SCHEMA_VERSION >= 10);
  assert.equal(vault.schemaVersion(), SCHEMA_VERSION);
  const columns = (vault.db.prepare('PRAGMA table_info(deliveries)').all() as { name: string; type: string }[]).filter((c) => c.name === 'devices');
  assert.deepEqual(columns.map((c) => [c.name, c.type]), [['devices', 'TEXT']]);

  const phone = await issueWithBundle(vault, req('Ana Phone'), { outDir: stick, devices: ['android-old', 'windows'] });
  const plain = await issueWithBundle(vault, req('Ben Plain'), { outDir: stick, encryption: 'modern' });
  const stored = (id: number) => vault.db.prepare('SELECT devices, encryption FROM deliveries WHERE certificate_id = ?').get(id) as { devices: string | null; encryption: string };
  assert.deepEqual({ ...stored(phone.record.id) }, { devices: '["android-old","windows"]', encryption: 'legacy' });
  assert.deepEqual({ ...stored(plain.record.id) }, { devices: null, encryption: 'modern' });
  assert.deepEqual(certificateDeliveryChoice(vault, phone.record.id), { devices: ['android-old', 'windows'], encryption: 'legacy' });
  assert.deepEqual(certificateDeliveryChoice(vault, plain.record.id), { devices: [], encryption: 'modern' });
  assert.equal(certificateDeliveryChoice(vault, 9999), null);
});

test('a renewal without a bundle has no delivery of its own: its predecessor\'s is preselected, and an export uses it', async (t) => {
  const { vault, stick, req } = await setup(t);
  const first = await issueWithBundle(vault, req('Cleo Phone'), { outDir: stick, devices: ['apple-old'] });
  const renewed = await renewWithBundle(vault, String(first.record.id), {});
  assert.equal(renewed.bundle, null);
  assert.deepEqual(certificateDeliveryChoice(vault, renewed.record.id), { devices: ['apple-old'], encryption: 'legacy' });
  const exported = await exportBundle(vault, { cert: String(renewed.record.id), outDir: stick });
  assert.equal(exported.summary.encryption, 'legacy');
  assert.match(exported.installSheet, /<b>Made for:<\/b> iPhone\/iPad up to iOS 17/);
  // The recipient's latest delivery, for the issue wizard.
  assert.deepEqual(recipientDeliveryChoice(vault, getCertRow(vault, first.record.id)!.recipient_id!), { devices: ['apple-old'], encryption: 'legacy' });
  // Nothing delivered at all: null (the profile's default applies).
  const bare = await renewWithBundle(vault, String(exported.certificate.id), {});
  vault.db.prepare('UPDATE certificates SET renewed_from = NULL WHERE id = ?').run(bare.record.id);
  assert.equal(certificateDeliveryChoice(vault, bare.record.id), null);
});

test('devices edited outside CertDesk never turn a legacy delivery into AES: the authenticated encryption decides', async (t) => {
  const { vault, stick, req } = await setup(t);
  const issued = await issueWithBundle(vault, req('Dora Phone'), { outDir: stick, devices: ['apple-old'] });
  vault.db.prepare(`UPDATE deliveries SET devices = '["windows"]' WHERE certificate_id = ?`).run(issued.record.id);
  assert.deepEqual(certificateDeliveryChoice(vault, issued.record.id), { devices: ['unknown'], encryption: 'legacy' });
  vault.db.prepare(`UPDATE deliveries SET devices = 'garbage' WHERE certificate_id = ?`).run(issued.record.id);
  assert.deepEqual(certificateDeliveryChoice(vault, issued.record.id), { devices: ['unknown'], encryption: 'legacy' });
  // The encryption itself is MACed: a row whose MAC no longer holds is not used for the preselection.
  vault.db.prepare(`UPDATE deliveries SET encryption = 'modern' WHERE certificate_id = ?`).run(issued.record.id);
  const fromExports = certificateDeliveryChoice(vault, issued.record.id);
  assert.deepEqual(fromExports, { devices: ['unknown'], encryption: 'legacy' }, 'the exports record of that delivery (legacy) is used instead');
});

test('contradicting devices are refused before anything is issued, renewed or exported', async (t) => {
  const { vault, stick, req } = await setup(t);
  const message = 'devices: the encryption "modern" contradicts the devices. Android 13 and older cannot open the AES form. The legacy form is needed.';
  await assert.rejects(issueWithBundle(vault, req('Eve Conflict'), { outDir: stick, devices: ['android-old'], encryption: 'modern' }), certErr('INVALID_INPUT', message));
  assert.equal((vault.db.prepare('SELECT count(*) AS n FROM certificates WHERE kind = ?').get('end-entity') as { n: number }).n, 0);
  const ok = await issueWithBundle(vault, req('Eve Conflict'), { outDir: stick, devices: ['android-old'] });
  await assert.rejects(exportBundle(vault, { cert: String(ok.record.id), outDir: stick, devices: ['android-old'], encryption: 'modern' }), certErr('INVALID_INPUT', message));
  await assert.rejects(renewWithBundle(vault, String(ok.record.id), {}, { outDir: stick, devices: ['android-old'], encryption: 'modern' }), certErr('INVALID_INPUT', message));
  assert.equal(getCertRow(vault, ok.record.id)!.superseded_by, null, 'not renewed');
});

test('a batch run with devices: every row\'s bundle is legacy for old Android and remembers the devices', async (t) => {
  const { vault, dir, stick } = await setup(t);
  const csv = join(dir, 'staff.csv');
  writeFileSync(csv, 'name,email\nFay One,fay@example.com\nGus Two,gus@example.com\n');
  const report = await runBatch(vault, { ca: 'CA', profile: 'user', csv: new Uint8Array(Buffer.from('name,email\nFay One,fay@example.com\nGus Two,gus@example.com\n')), sourceName: csv, outDir: stick, passwordsFile: join(dir, 'pw.csv'), keyType: 'ec-p256', devices: ['android-old'], workers: 1 });
  assert.equal(report.issued, 2);
  const rows = vault.db.prepare(`SELECT devices, encryption FROM deliveries WHERE operation = 'batch' ORDER BY id`).all() as { devices: string; encryption: string }[];
  assert.deepEqual(rows.map((r) => ({ ...r })), [
    { devices: '["android-old"]', encryption: 'legacy' },
    { devices: '["android-old"]', encryption: 'legacy' },
  ]);
  await assert.rejects(
    runBatch(vault, { ca: 'CA', profile: 'user', csv: new Uint8Array(Buffer.from('name,email\nHal,hal@example.com\n')), sourceName: csv, outDir: stick, passwordsFile: join(dir, 'pw.csv'), devices: ['windows'], encryption: 'legacy' }),
    certErr('INVALID_INPUT', /^devices: the encryption "legacy" contradicts the devices\./),
  );
});

test("a recipient's preselection is the newest delivery of any of its certificates, not its newest certificate's", async (t) => {
  const { vault, stick, req } = await setup(t);
  const older = await issueWithBundle(vault, req('Ivy Both'), { outDir: stick, devices: ['apple-old'] });
  await issueWithBundle(vault, req('Ivy Both'), { outDir: stick, devices: ['windows'] });
  const recipient = getCertRow(vault, older.record.id)!.recipient_id!;
  assert.deepEqual(recipientDeliveryChoice(vault, recipient), { devices: ['windows'], encryption: 'modern' });
  await exportBundle(vault, { cert: String(older.record.id), outDir: stick, devices: ['android-old'] });
  assert.deepEqual(recipientDeliveryChoice(vault, recipient), { devices: ['android-old'], encryption: 'legacy' });
  assert.equal(recipientDeliveryChoice(vault, 9999), null);
});
