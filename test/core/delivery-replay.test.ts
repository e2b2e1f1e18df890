// Delivery rows and batch markers put back from an older backup (their MACs once valid) or deleted, with the
// vault closed: a finished delivery replayed would hand a bundle out again (replacing the one given out), and a
// deleted marker would make a re-run issue the row twice. Both are refused with VAULT_TAMPERED and nothing
// is written or issued.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { runBatch } from '../../electron/core/batch/run-batch.js';
import { resumeDeliveries } from '../../electron/core/delivery/resume.js';
import { recordBundleDelivery } from '../../electron/core/delivery/store.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { certErr, count, newVault, PASSPHRASE, TestClock, vaultOptions } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';

async function reopen(t: TestContext, path: string): Promise<Vault> {
  const vault = Vault.open(path, vaultOptions(new TestClock('2026-03-02T12:00:00.000Z')));
  t.after(() => vault.close());
  await vault.unlock(PASSPHRASE);
  return vault;
}

test('a delivered bundle delivery written back from an older backup (pending again): resume refuses it and the bundle given out stays', async (t) => {
  const { vault, path, dir } = await newVault(t);
  await createCa(vault, { name: 'CA', subject: 'CN=Replay CA,O=Example,C=GB', keyType: 'ec-p256', days: 3650 });
  const stick = join(dir, 'stick');
  mkdirSync(stick);
  let delivery = 0;
  const issued = await issueCertificate(
    vault,
    { ca: 'CA', profile: 'user', name: 'Kim Example', sans: [{ type: 'email', value: 'kim@example.com' }], keyType: 'ec-p256' },
    { inTransaction: (certificateId, pkcs8) => (delivery = recordBundleDelivery(vault, { operation: 'issue', certificateId, outDir: stick, passwordSet: false, privateKeyPkcs8: pkcs8 })) },
  );
  issued.privateKeyPkcs8.fill(0);
  vault.close();
  const backup = join(dir, 'backup.certdesk');
  copyFileSync(path, backup); // the delivery is pending here

  const live = await reopen(t, path);
  const first = await resumeDeliveries(live);
  assert.deepEqual(first.failed, []);
  const handedOut = readdirSync(stick);
  assert.equal(handedOut.length, 1);
  live.close();

  const db = new Database(path);
  db.prepare('ATTACH DATABASE ? AS old').run(backup);
  db.prepare('DELETE FROM main.deliveries WHERE id = ?').run(delivery);
  db.prepare('INSERT INTO main.deliveries SELECT * FROM old.deliveries WHERE id = ?').run(delivery);
  db.prepare('DETACH DATABASE old').run();
  db.close();

  const replayed = await reopen(t, path);
  assert.equal((replayed.db.prepare('SELECT state FROM deliveries WHERE id = ?').get(delivery) as { state: string }).state, 'pending', 'precondition: pending again, with its once-valid MAC');
  const second = await resumeDeliveries(replayed);
  assert.deepEqual(second.finished, []);
  assert.equal(second.failed.length, 1);
  assert.equal(second.failed[0]!.code, 'VAULT_TAMPERED');
  assert.match(second.failed[0]!.message, /deliveries: the table holds 1 records as CertDesk wrote, but not the same ones/);
  assert.deepEqual(readdirSync(stick), handedOut, 'the bundle given out is untouched');
});

test('a batch marker deleted: re-running the batch refuses instead of issuing the row again', async (t) => {
  const { vault, path, dir } = await newVault(t);
  await createCa(vault, { name: 'CA', subject: 'CN=Batch Replay CA,O=Example,C=GB', keyType: 'ec-p256', days: 3650 });
  const out = tempDir(t);
  const csv = new TextEncoder().encode('name,email\nAnna Batch,anna@example.com\nBen Batch,ben@example.com\n');
  const request = { ca: 'CA', profile: 'user', csv, sourceName: 'people.csv', outDir: out, passwordsFile: join(dir, 'p.csv'), keyType: 'ec-p256' as const, workers: 1 };
  assert.equal((await runBatch(vault, request)).issued, 2);
  vault.close();
  const db = new Database(path);
  db.prepare("DELETE FROM batch_items WHERE certificate_id = (SELECT id FROM certificates WHERE holder = 'Ben Batch')").run();
  db.close();

  const again = await reopen(t, path);
  const before = count(again.db, 'certificates');
  await assert.rejects(runBatch(again, request), certErr('VAULT_TAMPERED', 'batch_items: the table holds 1 records where CertDesk wrote 2'));
  assert.equal(count(again.db, 'certificates'), before, 'Ben is not issued a second certificate');
});
