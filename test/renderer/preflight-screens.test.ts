// Preflight on every screen that signs, against the real handler table: the settings' targets editor changes what the
// issue wizard finds; the CSR screen and the renew dialog show findings beside their fields and sign past an error
// only with an override reason, which the audit entry records; the batch screen lists warnings per row beside errors.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { x509 } from '../../electron/core/pki/provider.js';
import { setBridge } from '../../renderer/src/state/api.js';
import { findingsSummary, rowFindings } from '../../renderer/src/state/batch-rows.js';
import { useBatch } from '../../renderer/src/state/batch.js';
import { useCsrSign } from '../../renderer/src/state/csr-sign.js';
import { useIssue } from '../../renderer/src/state/issue.js';
import { useProfileTargets } from '../../renderer/src/state/profile-targets.js';
import { useRenew } from '../../renderer/src/state/renew.js';
import { useSession } from '../../renderer/src/state/session.js';
import { libraryCsr } from '../helpers/csr.js';
import { call } from '../helpers/in-memory-api.js';
import { APPLE_1095 } from '../helpers/preflight.js';
import { newService } from '../helpers/service.js';

async function app(t: TestContext) {
  const svc = newService(t);
  setBridge(svc.api);
  t.after(() => setBridge(null));
  await useSession.getState().refresh();
  assert.equal(await useSession.getState().create('correct horse battery staple'), true);
  const ca = await call(svc.api, 'ca.create', { name: 'CA', subject: 'CN=Screens CA,O=Example', keyType: 'ec-p256', days: 3650 });
  const usb = join(svc.dir, 'usb');
  mkdirSync(usb);
  return { svc, ca, usb };
}

const NO_CLIENT_AUTH = {
  target: 'openvpn-client',
  field: 'profile',
  severity: 'error',
  message: 'no clientAuth extended key usage (1.3.6.1.5.5.7.3.2): an OpenVPN server with remote-cert-tls client refuses a client certificate without TLS Web Client Authentication',
};
const brief = (fs: { target: string; field: string; severity: string; message: string }[]) => fs.map(({ target, field, severity, message }) => ({ target, field, severity, message }));
const BLOCKED = (action: string) => `Preflight found an error: fix it, or tick “Override with reason” and give the reason to ${action} anyway.`;

test('settings: toggling a profile\'s targets (saved through profile.setTargets) changes the issue wizard\'s findings', { timeout: 120_000 }, async (t) => {
  const { ca } = await app(t);
  const wizard = useIssue.getState();
  wizard.reset();
  wizard.update({ profile: 'server', ca: ca.id, recipient: { name: 'vpn.example.com' }, sans: [{ type: 'dns', value: 'vpn.example.com' }], days: 1095 });
  await useIssue.getState().runCheck();
  assert.deepEqual(useIssue.getState().check!.findings, [APPLE_1095]);

  const editor = useProfileTargets.getState();
  await editor.load('server');
  let s = useProfileTargets.getState();
  assert.deepEqual(s.draft, ['apple-tls']);
  assert.equal(s.saved!.isDefault, true);
  assert.equal(s.saved!.targets.length, 8, 'every known target is offered');
  assert.equal(s.saved!.targets.find((x) => x.id === 'openvpn-client')!.checks, 'OpenVPN servers with remote-cert-tls client: a keyUsage (digitalSignature or keyAgreement), clientAuth');
  s.toggle('apple-tls', false);
  s.toggle('openvpn-client', true);
  assert.deepEqual(useProfileTargets.getState().draft, ['openvpn-client']);
  assert.equal(await useProfileTargets.getState().save(), true, useProfileTargets.getState().error ?? '');
  s = useProfileTargets.getState();
  assert.equal(s.note, 'Saved the targets of the server profile.');
  assert.deepEqual([s.saved!.isDefault, s.dirty()], [false, false]);

  await useIssue.getState().runCheck();
  assert.deepEqual(brief(useIssue.getState().check!.findings), [NO_CLIENT_AUTH], 'apple-tls is off, openvpn-client on');

  useProfileTargets.getState().toggle('openvpn-client', false);
  assert.equal(useProfileTargets.getState().dirty(), true);
  assert.equal(await useProfileTargets.getState().save(), true);
  await useIssue.getState().runCheck();
  assert.deepEqual(useIssue.getState().check!.findings, [], 'no targets: only the RFC 5280 rules, which pass');
  useIssue.getState().reset();
});

test('CSR screen: findings beside the validity, Sign blocked on an error until "Override with reason" has a reason, which is audited', { timeout: 120_000 }, async (t) => {
  const { svc, ca, usb } = await app(t);
  const der = await libraryCsr([{ CN: ['vpn.example.com'] }], [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'vpn.example.com' }])]);
  const s = useCsrSign.getState();
  s.reset();
  await s.load({ name: 'vpn.csr', base64: Buffer.from(der).toString('base64') });
  await useCsrSign.getState().set({ ca: ca.id, profile: 'server' });
  assert.deepEqual(useCsrSign.getState().plan!.findings, [], 'the server profile\'s 365 days pass apple-tls');
  await useCsrSign.getState().set({ days: '1095' });
  assert.deepEqual(useCsrSign.getState().plan!.findings, [APPLE_1095]);
  assert.equal(useCsrSign.getState().blocker(), BLOCKED('sign'));
  assert.equal(await useCsrSign.getState().sign(usb), false);
  assert.equal((await call(svc.api, 'audit.list', { action: 'cert.sign-csr', limit: 5 })).length, 0, 'nothing was signed');
  useCsrSign.getState().setOverride({ on: true, reason: '   ' });
  assert.equal(useCsrSign.getState().blocker(), BLOCKED('sign'), 'a blank reason is no reason');
  useCsrSign.getState().setOverride({ on: true, reason: ' appliance renews yearly by hand ' });
  assert.equal(useCsrSign.getState().blocker(), null);
  assert.equal(await useCsrSign.getState().sign(usb), true, useCsrSign.getState().error ?? '');
  assert.deepEqual(useCsrSign.getState().done!.findings, [APPLE_1095]);
  const audit = await call(svc.api, 'audit.list', { action: 'cert.sign-csr', limit: 1 });
  assert.deepEqual(audit[0]!.details.override, { reason: 'appliance renews yearly by hand', findings: [APPLE_1095] });
  useCsrSign.getState().reset();
});

test('renew dialog: findings for the successor as the days change, Renew blocked on an error until overridden with a reason, which is audited', { timeout: 120_000 }, async (t) => {
  const { svc, ca, usb } = await app(t);
  const handover = await call(svc.api, 'issue.run', { mode: 'per-device', profile: 'server', ca: ca.id, recipient: { name: 'www.example.com' }, sans: [{ type: 'dns', value: 'www.example.com' }], delivery: { folder: usb, encryption: 'modern' } });
  const id = handover.certificate.id;
  await useRenew.getState().open(id);
  assert.deepEqual([useRenew.getState().check!.findings, useRenew.getState().check!.days], [[], 365]);
  await useRenew.getState().setDays('1095');
  assert.deepEqual(useRenew.getState().check!.findings, [APPLE_1095]);
  assert.equal(useRenew.getState().blocker(), BLOCKED('renew'));
  assert.equal(await useRenew.getState().renew({ folder: usb, encryption: 'modern' }, true), null);
  assert.equal((await call(svc.api, 'cert.list', { offset: 0, limit: 10 })).total, 1, 'not renewed');
  useRenew.getState().setOverride({ on: true, reason: 'lab only' });
  const renewed = await useRenew.getState().renew({ folder: usb, encryption: 'modern' }, true);
  assert.ok(renewed, useRenew.getState().error ?? '');
  const audit = await call(svc.api, 'audit.list', { action: 'cert.renew', limit: 1 });
  assert.deepEqual(audit[0]!.details.override, { reason: 'lab only', findings: [APPLE_1095] });
  assert.equal(audit[0]!.details.from, id);
  await useRenew.getState().setDays('ten');
  assert.deepEqual([useRenew.getState().check, useRenew.getState().error], [null, 'days: "ten" is not a whole number of days']);
});

test('batch screen: each row\'s preflight errors and warnings are listed by line, warnings without blocking', { timeout: 120_000 }, async (t) => {
  const { svc, ca } = await app(t);
  await call(svc.api, 'profile.setTargets', { id: 'server', targets: ['apple-tls', 'ikev2-server'] });
  const ipOnly = 'preflight ikev2-server: no dNSName, only an IP address: Windows IKEv2 clients do not match an iPAddress name (error 13801); give the gateway a DNS name';
  const csv = (text: string) => ({ name: 'rows.csv', base64: Buffer.from(text).toString('base64') });
  useBatch.getState().reset();
  useBatch.getState().set({ ca: ca.id, profile: 'server', file: csv('name,dns,ip,days\nwww.example.com,www.example.com,,\nold.example.com,old.example.com,,1095\nvpn,,192.0.2.1,\n') });
  await useBatch.getState().runCheck();
  let check = useBatch.getState().check!;
  assert.deepEqual(rowFindings(check), [
    { line: 3, column: 'days', severity: 'error', reason: `preflight apple-tls: ${APPLE_1095.message}` },
    { line: 4, column: null, severity: 'warning', reason: ipOnly },
  ]);
  assert.equal(findingsSummary(check), '1 problem and 1 warning in 3 rows. Nothing will be issued until the file is corrected.');

  useBatch.getState().set({ file: csv('name,dns,ip\nwww.example.com,www.example.com,\nvpn,,192.0.2.1\n') });
  await useBatch.getState().runCheck();
  check = useBatch.getState().check!;
  assert.deepEqual(check.problems, []);
  assert.deepEqual(rowFindings(check), [{ line: 3, column: null, severity: 'warning', reason: ipOnly }]);
  assert.equal(findingsSummary(check), '1 warning in 2 rows. Warnings do not stop the batch; read them before issuing.');
  useBatch.getState().reset();
});
