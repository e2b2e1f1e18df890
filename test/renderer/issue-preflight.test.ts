// The issue wizard's preflight, against the real handler table: a finding appears on the step of its field
// (the key step for `days`), the confirm step lists every finding and blocks on an error until "Issue anyway"
// is ticked with a reason, which the issuance records in the audit log.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setBridge } from '../../renderer/src/state/api.js';
import { blockers, findingsFor, toRequest, useIssue } from '../../renderer/src/state/issue.js';
import { useSession } from '../../renderer/src/state/session.js';
import { call } from '../helpers/in-memory-api.js';
import { newService } from '../helpers/service.js';

test('issue wizard: a 1,095-day server certificate shows its apple-tls finding beside the validity and needs an override reason', { timeout: 120_000 }, async (t) => {
  const svc = newService(t);
  setBridge(svc.api);
  t.after(() => setBridge(null));
  await useSession.getState().refresh();
  assert.equal(await useSession.getState().create('correct horse battery staple'), true);
  const ca = await call(svc.api, 'ca.create', { name: 'CA', subject: 'CN=Wizard CA,O=Example', keyType: 'ec-p256', days: 3650 });
  const usb = join(svc.dir, 'usb');
  mkdirSync(usb);

  const s = useIssue.getState();
  s.update({ profile: 'server', ca: ca.id, recipient: { name: 'www.example.com' }, sans: [{ type: 'dns', value: 'www.example.com' }], days: 1095 });
  s.setDelivery({ folder: usb });
  await useIssue.getState().runCheck();
  const check = useIssue.getState().check!;
  assert.deepEqual(check.problems, []);
  const expected = 'the certificate would be valid 1095 days 5 minutes (notAfter - notBefore, the clock-skew back-dating included); Apple devices and Safari accept TLS server certificates valid at most 825 days: choose at most 824 days';
  // Beside its field: on the key-and-validity step, not on the names step; and all of them on the confirm step.
  assert.deepEqual(findingsFor(check, 'key').map((f) => [f.target, f.field, f.severity, f.message]), [['apple-tls', 'days', 'error', expected]]);
  assert.deepEqual(findingsFor(check, 'names'), []);
  assert.deepEqual(findingsFor(check, 'confirm'), findingsFor(check, 'key'));
  // The key step does not block (the officer may go on and override); the confirm step does.
  assert.deepEqual(blockers(useIssue.getState(), 'key'), []);
  const blocker = 'Preflight found an error: fix it, or tick “Issue anyway” and give the reason.';
  assert.deepEqual(blockers(useIssue.getState(), 'confirm'), [blocker]);
  useIssue.getState().update({ override: { on: true, reason: '  ' } });
  assert.deepEqual(blockers(useIssue.getState(), 'confirm'), [blocker], 'a blank reason is no reason');
  assert.equal(toRequest(useIssue.getState().draft)?.override, undefined);
  useIssue.getState().update({ override: { on: true, reason: ' lab only ' } });
  assert.deepEqual(blockers(useIssue.getState(), 'confirm'), []);
  assert.equal(toRequest(useIssue.getState().draft)?.override, 'lab only');

  assert.equal(await useIssue.getState().issue(), true, useIssue.getState().error ?? '');
  const audit = await call(svc.api, 'audit.list', { action: 'cert.issue', limit: 1 });
  assert.deepEqual((audit[0]!.details.override as { reason: string; findings: { message: string }[] }).reason, 'lab only');
  assert.deepEqual((audit[0]!.details.override as { findings: { message: string }[] }).findings.map((f) => f.message), [expected]);
  useIssue.getState().reset();
});

test('issue.run refuses a draft with a preflight error and no override, naming it', { timeout: 120_000 }, async (t) => {
  const svc = newService(t);
  await call(svc.api, 'vault.create', { passphrase: 'correct horse battery staple' });
  const ca = await call(svc.api, 'ca.create', { name: 'CA', subject: 'CN=Run CA', keyType: 'ec-p256', days: 3650 });
  const usb = join(svc.dir, 'usb');
  mkdirSync(usb);
  const draft = { mode: 'per-device' as const, profile: 'server' as const, ca: ca.id, recipient: { name: 'www.example.com' }, sans: [{ type: 'dns' as const, value: 'www.example.com' }], days: 1095 };
  await assert.rejects(call(svc.api, 'issue.run', { ...draft, delivery: { folder: usb, encryption: 'modern' } }), (e: Error) => {
    assert.match(e.message, /^PROFILE_VIOLATION: preflight: an error stops this certificate: apple-tls days: the certificate would be valid 1095 days 5 minutes/);
    return true;
  });
  assert.equal((await call(svc.api, 'cert.list', { offset: 0, limit: 10 })).total, 0);
});
