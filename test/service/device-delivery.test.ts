// Delivery chosen by the device (issue 14) through the service: an old iPhone gets a 3DES PFX when issued, and
// Renew and Export again with no devices or encryption named make the same form again, from what cert.get's
// lastDelivery preselects (the function the renderer's forms read). Before the fix they made the profile's AES form.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { CertDeskApi, ChannelName, Handover, RequestOf } from '../../shared/api.js';
import { call } from '../helpers/in-memory-api.js';
import { newService, type TestService } from '../helpers/service.js';
import { needTools, run } from '../helpers/tools.js';

const PASSPHRASE = 'correct horse battery staple';

async function fails<K extends ChannelName>(api: CertDeskApi, channel: K, req: RequestOf<K>, code: string, message: string): Promise<void> {
  const result = await api[channel](req);
  assert.equal(result.ok, false, `${channel} should fail with ${code}`);
  if (result.ok) return;
  assert.equal(result.code, code, result.message);
  assert.equal(result.message, message);
}

async function setUp(svc: TestService) {
  const { api } = svc;
  await call(api, 'vault.create', { passphrase: PASSPHRASE });
  const root = await call(api, 'ca.create', { name: 'Root', subject: 'CN=Example Root, O=Example, C=DE', keyType: 'ec-p256', days: 3650 });
  const usb = join(svc.dir, 'usb');
  mkdirSync(usb);
  const draft = (name: string) => ({
    mode: 'per-user' as const,
    profile: 'user' as const,
    ca: root.id,
    recipient: { name },
    sans: [{ type: 'email' as const, value: `${name.split(' ')[0]!.toLowerCase()}@example.com` }],
    days: 365,
  });
  return { root, usb, draft };
}

/** What `openssl pkcs12 -info` says about the PFX's algorithms (it prints them on stderr), checked to be all 3DES. */
function assert3des(t: TestContext, h: Handover): void {
  const pfx = h.bundle.files.find((f) => f.name.endsWith('.pfx'))!;
  if (!needTools(t, 'openssl')) return;
  const r = run('openssl', ['pkcs12', '-info', '-nokeys', '-noout', '-legacy', '-in', join(h.bundle.folder, pfx.name), '-passin', 'env:PFXPW'], { env: { ...process.env, PFXPW: h.password } });
  assert.equal(r.status, 0, r.stderr);
  const info = r.stdout + r.stderr;
  assert.match(info, /Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC/);
  assert.match(info, /PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC/);
  assert.doesNotMatch(info, /AES|PBES2/, 'nothing in the file uses the AES form');
}

test('an old iPhone: issue, renew and export again all give a 3DES PFX; renew and export preselect it from the last delivery', async (t) => {
  const svc = newService(t);
  const { api } = svc;
  const { usb, draft } = await setUp(svc);
  // The user profile's own default is the AES form: what Renew and Export again made before the fix.
  assert.equal((await call(api, 'profile.list', {})).find((p) => p.id === 'user')!.pfxEncryption, 'modern');

  const issued = await call(api, 'issue.run', { ...draft('Ida Phone'), delivery: { folder: usb, devices: ['apple-old'] } });
  assert.equal(issued.bundle.encryption, 'legacy');
  assert3des(t, issued);
  // The install sheet names the device and puts the iPhone's steps (with the CA trust setting) before Windows'.
  assert.match(issued.sheetHtml, /<b>Made for:<\/b> iPhone\/iPad up to iOS 17, Mac up to macOS 14 \(Sonoma\)\./);
  assert.ok(issued.sheetHtml.indexOf('<h2>iPhone and iPad (iOS, iPadOS) <span class="chosen-mark">(your device)</span>') < issued.sheetHtml.indexOf('<h2>Windows'));
  assert.match(issued.sheetHtml, /<b>Certificate Trust Settings<\/b>/);

  // What the renew and export forms preselect: the device and its form.
  const details = await call(api, 'cert.get', { id: issued.certificate.id });
  assert.deepEqual(details.lastDelivery, { devices: ['apple-old'], encryption: 'legacy' });
  assert.equal(details.defaultEncryption, 'modern');

  // Renew naming neither devices nor encryption: the successor goes out as the last delivery went.
  const renewed = await call(api, 'cert.renew', { id: issued.certificate.id, revokeOld: false, folder: usb });
  assert.equal(renewed.bundle.encryption, 'legacy');
  assert3des(t, renewed);
  assert.deepEqual((await call(api, 'cert.get', { id: renewed.certificate.id })).lastDelivery, { devices: ['apple-old'], encryption: 'legacy' });

  // Export again, likewise (of the successor, and of the first certificate).
  const again = await call(api, 'cert.export', { id: renewed.certificate.id, folder: usb });
  assert.equal(again.bundle.encryption, 'legacy');
  assert3des(t, again);

  // The recipient's latest delivery is what the issue wizard preselects for this recipient next time.
  const recipient = (await call(api, 'recipient.list', { search: 'Ida Phone' }))[0]!;
  assert.deepEqual((await call(api, 'recipient.get', { id: recipient.id })).lastDelivery, { devices: ['apple-old'], encryption: 'legacy' });
});

test('a certificate first delivered legacy without devices (an older vault) renews and exports legacy, never AES', async (t) => {
  const svc = newService(t);
  const { api } = svc;
  const { usb, draft } = await setUp(svc);
  const issued = await call(api, 'issue.run', { ...draft('Otto Old'), delivery: { folder: usb, encryption: 'legacy' } });
  const stored = svc.session.unlocked().db.prepare('SELECT devices, encryption FROM deliveries WHERE certificate_id = ?').get(issued.certificate.id);
  assert.deepEqual({ ...(stored as object) }, { devices: null, encryption: 'legacy' });
  assert.deepEqual((await call(api, 'cert.get', { id: issued.certificate.id })).lastDelivery, { devices: ['unknown'], encryption: 'legacy' });
  const again = await call(api, 'cert.export', { id: issued.certificate.id, folder: usb });
  assert.equal(again.bundle.encryption, 'legacy');
  assert3des(t, again);
  const renewed = await call(api, 'cert.renew', { id: issued.certificate.id, revokeOld: true, folder: usb });
  assert.equal(renewed.bundle.encryption, 'legacy');
  assert3des(t, renewed);
});

test('devices that contradict an explicit encryption are refused before anything is issued; Windows alone gives AES', async (t) => {
  const svc = newService(t);
  const { api } = svc;
  const { usb, draft } = await setUp(svc);
  await fails(
    api,
    'issue.run',
    { ...draft('Carl Conflict'), delivery: { folder: usb, devices: ['windows', 'apple-old'], encryption: 'modern' } },
    'INVALID_INPUT',
    'devices: the encryption "modern" contradicts the devices. An iPhone or iPad up to iOS 17, or a Mac up to macOS 14, cannot open the AES form. The legacy form is needed.',
  );
  assert.equal((await call(api, 'cert.list', { offset: 0, limit: 10 })).total, 0, 'nothing issued');
  await fails(api, 'issue.run', { ...draft('Carl Conflict'), delivery: { folder: usb, devices: ['iphone' as 'apple'] } }, 'INVALID_INPUT', 'issue.run: delivery.devices.0: Invalid option: expected one of "apple-old"|"apple"|"android-old"|"android"|"windows"|"windows-old"|"java"|"java-old"|"appliance"|"unknown"');

  const win = await call(api, 'issue.run', { ...draft('Wanda Windows'), delivery: { folder: usb, devices: ['windows'] } });
  assert.equal(win.bundle.encryption, 'modern');
  // An export naming other devices makes their form, and is remembered as the latest.
  const forPhone = await call(api, 'cert.export', { id: win.certificate.id, folder: usb, devices: ['windows', 'android-old'] });
  assert.equal(forPhone.bundle.encryption, 'legacy');
  assert.deepEqual((await call(api, 'cert.get', { id: win.certificate.id })).lastDelivery, { devices: ['windows', 'android-old'], encryption: 'legacy' });
  await fails(
    api,
    'cert.renew',
    { id: win.certificate.id, revokeOld: false, folder: usb, devices: ['windows'], encryption: 'legacy' },
    'INVALID_INPUT',
    'devices: the encryption "legacy" contradicts the devices. The devices chosen (Windows 10 1709 or later, Windows 11, Windows Server 2019 or later) all read the modern form; choose "Several or unknown devices" for the legacy one.',
  );
});
