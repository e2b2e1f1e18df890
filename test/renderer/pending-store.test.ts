// The banner's store against the real service: it lists interrupted work, "Finish now" brings back each
// bundle's hand-over once, Done drops the password, and locking forgets everything shown.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { recordBundleDelivery } from '../../electron/core/delivery/store.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { setBridge } from '../../renderer/src/state/api.js';
import { usePending } from '../../renderer/src/state/pending.js';
import { call } from '../helpers/in-memory-api.js';
import { newService } from '../helpers/service.js';

test('pending store: refresh lists, resume hands over once, handedOver forgets the password, abandon empties the list', async (t) => {
  const svc = newService(t);
  setBridge(svc.api);
  t.after(() => {
    setBridge(null);
    usePending.getState().forget();
  });
  await call(svc.api, 'vault.create', { passphrase: 'correct horse battery staple' });
  const ca = await call(svc.api, 'ca.create', { name: 'CA', subject: 'CN=Store CA', keyType: 'ec-p256', days: 3650 });
  const usb = join(svc.dir, 'usb');
  mkdirSync(usb);
  const vault = svc.session.unlocked();
  const interrupted = async (name: string) => {
    let id = 0;
    const r = await issueCertificate(
      vault,
      { ca: String(ca.id), profile: 'user', name, sans: [{ type: 'email', value: `${name.toLowerCase()}@example.com` }], keyType: 'ec-p256' },
      { inTransaction: (certificateId, pkcs8) => (id = recordBundleDelivery(vault, { operation: 'issue', certificateId, outDir: usb, passwordSet: false, privateKeyPkcs8: pkcs8 })) },
    );
    r.privateKeyPkcs8.fill(0);
    return id;
  };

  await interrupted('Kim');
  await usePending.getState().refresh();
  assert.deepEqual(usePending.getState().items.map((d) => d.holder), ['Kim']);

  await usePending.getState().resume();
  const { result, items, error } = usePending.getState();
  assert.equal(error, null);
  assert.deepEqual(items, [], 'the list is refreshed after finishing');
  assert.equal(result?.finished.length, 1);
  const finished = result!.finished[0]!;
  assert.match(finished.handover!.password, /^\S{16}$/);
  usePending.getState().handedOver(finished.delivery.id);
  assert.equal(usePending.getState().result, null, 'Done drops the hand-over and its password');

  const second = await interrupted('Lee');
  await usePending.getState().refresh();
  assert.equal(usePending.getState().items.length, 1);
  await usePending.getState().abandon(second);
  assert.deepEqual(usePending.getState().items, []);
  usePending.getState().forget();
  assert.equal(usePending.getState().result, null);
});
