// The pending channels through the in-memory transport: the banner's list, "Finish now" (a bundle comes back
// as a hand-over with its new password and QR code, shown once), abandoning, and their schemas.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RequestOf } from '../../shared/api.js';
import { recordBundleDelivery } from '../../electron/core/delivery/store.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { parsePfx } from '../../electron/core/pki/pkcs12-parse.js';
import { call } from '../helpers/in-memory-api.js';
import { decodeQr } from '../helpers/qr-decode.js';
import { newService, type TestService } from '../helpers/service.js';

const PASSPHRASE = 'correct horse battery staple';

/** A vault with a CA and one certificate whose bundle delivery was committed but never written (a killed run). */
async function interrupted(svc: TestService) {
  await call(svc.api, 'vault.create', { passphrase: PASSPHRASE });
  const ca = await call(svc.api, 'ca.create', { name: 'CA', subject: 'CN=Pending CA,O=Example', keyType: 'ec-p256', days: 3650 });
  const usb = join(svc.dir, 'usb');
  mkdirSync(usb);
  const vault = svc.session.unlocked();
  let delivery = 0;
  const { record, privateKeyPkcs8 } = await issueCertificate(
    vault,
    { ca: String(ca.id), profile: 'user', name: 'Jo Example', sans: [{ type: 'email', value: 'jo@example.com' }], keyType: 'ec-p256' },
    { inTransaction: (certificateId, pkcs8) => (delivery = recordBundleDelivery(vault, { operation: 'renew', certificateId, outDir: usb, passwordSet: false, privateKeyPkcs8: pkcs8 })) },
  );
  privateKeyPkcs8.fill(0);
  return { usb, record, delivery };
}

test('pending.list shows the interrupted delivery; pending.resume hands the bundle over with a new password; then nothing is pending', async (t) => {
  const svc = newService(t);
  const { usb, record, delivery } = await interrupted(svc);
  const listed = await call(svc.api, 'pending.list', {});
  assert.deepEqual(listed.map((d) => [d.id, d.kind, d.operation, d.certificateId, d.holder, d.newPassword]), [[delivery, 'bundle', 'renew', record.id, 'Jo Example', true]]);

  const result = await call(svc.api, 'pending.resume', {});
  assert.deepEqual(result.failed, []);
  assert.equal(result.finished.length, 1);
  const { handover, files } = result.finished[0]!;
  assert.ok(handover, 'a bundle comes back as a hand-over');
  assert.equal(handover.certificate.id, record.id);
  assert.equal(handover.bundle.folder, files[0]);
  assert.equal(await decodeQr(handover.passwordQr), handover.password, 'the QR code holds the new password');
  const folder = files[0]!;
  await parsePfx(new Uint8Array(readFileSync(join(folder, readdirSync(folder).find((f) => f.endsWith('.pfx'))!))), handover.password);
  assert.deepEqual(readdirSync(usb), [folder.split('/').at(-1)]);
  assert.deepEqual(await call(svc.api, 'pending.list', {}), []);
  assert.equal((await call(svc.api, 'audit.verify', {})).ok, true);
});

test('pending.abandon gives one up; unknown ids and bad requests are refused with their reason', async (t) => {
  const svc = newService(t);
  const { delivery } = await interrupted(svc);
  const bad = await svc.api['pending.abandon']({ ids: [] });
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.equal(bad.code, 'INVALID_INPUT');
  const negative = await svc.api['pending.resume']({ ids: [-1] } as RequestOf<'pending.resume'>);
  assert.equal(negative.ok, false);
  const unknown = await svc.api['pending.abandon']({ ids: [delivery + 1] });
  assert.equal(unknown.ok, false);
  if (!unknown.ok) assert.match(unknown.message, new RegExp(`no delivery ${delivery + 1}`));
  assert.equal((await call(svc.api, 'pending.list', {})).length, 1, 'a refused request changes nothing');

  assert.deepEqual(await call(svc.api, 'pending.abandon', { ids: [delivery] }), []);
  const again = await svc.api['pending.resume']({ ids: [delivery] });
  assert.equal(again.ok, false);
  if (!again.ok) assert.match(again.message, /not pending: it was abandoned/);
  const audit = await call(svc.api, 'audit.list', { action: 'delivery.abandon', limit: 5 });
  assert.equal(audit.length, 1);
});

test('the pending channels need an unlocked vault', async (t) => {
  const svc = newService(t);
  await interrupted(svc);
  await call(svc.api, 'vault.lock', {});
  for (const r of [await svc.api['pending.list']({}), await svc.api['pending.resume']({})]) {
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.code, 'VAULT_LOCKED');
  }
});
