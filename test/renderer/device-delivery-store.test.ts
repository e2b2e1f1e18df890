// The renderer's delivery state with devices (issue 14), against the real handler table: the wizard sends the devices
// (not an encryption) and main makes the legacy form for an old iPhone; picking the earlier recipient preselects the
// device; Renew and Export again start from cert.get's lastDelivery and send it (delivery-form.ts).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { deliveryRequest, initialDelivery } from '../../renderer/src/components/delivery-form.js';
import { setBridge } from '../../renderer/src/state/api.js';
import { blockers, useIssue } from '../../renderer/src/state/issue.js';
import { useRenew } from '../../renderer/src/state/renew.js';
import { useSession } from '../../renderer/src/state/session.js';
import { call } from '../helpers/in-memory-api.js';
import { newService } from '../helpers/service.js';

test('initialDelivery and deliveryRequest: the last delivery\'s devices, else its form, else the profile\'s', () => {
  assert.deepEqual(initialDelivery({ devices: ['apple-old'], encryption: 'legacy' }, 'modern'), { devices: ['apple-old'], fallback: { encryption: 'legacy', why: 'as its last delivery' } });
  assert.deepEqual(initialDelivery({ devices: [], encryption: 'modern' }, 'legacy'), { devices: [], fallback: { encryption: 'modern', why: 'as its last delivery' } });
  assert.deepEqual(initialDelivery(null, 'modern'), { devices: [], fallback: { encryption: 'modern', why: 'the profile’s default' } });
  assert.deepEqual(deliveryRequest(['apple-old'], { encryption: 'modern' }), { devices: ['apple-old'] });
  assert.deepEqual(deliveryRequest([], { encryption: 'legacy' }), { encryption: 'legacy' });
});

test('the wizard store sends the devices; the earlier recipient preselects them; renew from lastDelivery stays legacy', { timeout: 120_000 }, async (t) => {
  const svc = newService(t);
  setBridge(svc.api);
  t.after(() => setBridge(null));
  await useSession.getState().refresh();
  assert.equal(await useSession.getState().create('correct horse battery staple'), true);
  const ca = await call(svc.api, 'ca.create', { name: 'CA', subject: 'CN=Store CA,O=Example', keyType: 'ec-p256', days: 3650 });
  const usb = join(svc.dir, 'usb');
  mkdirSync(usb);

  const s = useIssue.getState();
  s.update({ profile: 'user', ca: ca.id, recipient: { name: 'Pia Phone', email: 'pia@example.com' }, sans: [{ type: 'email', value: 'pia@example.com' }] });
  s.setDelivery({ folder: usb });
  assert.deepEqual(blockers(useIssue.getState(), 'delivery'), ['Choose what will install the certificate.']);
  useIssue.getState().setDelivery({ devices: ['apple-old'] });
  assert.deepEqual(blockers(useIssue.getState(), 'delivery'), []);
  assert.equal(await useIssue.getState().issue(), true, useIssue.getState().error ?? '');
  const handover = useIssue.getState().handover!;
  assert.equal(handover.bundle.encryption, 'legacy');
  useIssue.getState().reset();
  assert.deepEqual(useIssue.getState().delivery.devices, [], 'Done clears the devices');

  const [pia] = await call(svc.api, 'recipient.list', { search: 'Pia' });
  await useIssue.getState().preselectDevices(pia!.id, pia!.name);
  assert.deepEqual([useIssue.getState().delivery.devices, useIssue.getState().delivery.devicesFrom], [['apple-old'], 'Pia Phone']);
  useIssue.getState().reset();

  const details = await call(svc.api, 'cert.get', { id: handover.certificate.id });
  const initial = initialDelivery(details.lastDelivery, details.defaultEncryption);
  await useRenew.getState().open(handover.certificate.id);
  const renewed = await useRenew.getState().renew({ folder: usb, ...deliveryRequest(initial.devices, initial.fallback) }, true);
  assert.equal(renewed?.bundle.encryption, 'legacy', useRenew.getState().error ?? '');
});
