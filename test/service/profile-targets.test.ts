// The profile.targets and profile.setTargets channels: validated in main (zod), stored in the MACed definition
// through vault.records, audited, and what issue.check then finds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestOf } from '../../shared/api.js';
import { PREFLIGHT_TARGETS } from '../../shared/domain.js';
import { TARGET_CHECKS } from '../../electron/core/preflight/profile-targets.js';
import { call } from '../helpers/in-memory-api.js';
import { newService } from '../helpers/service.js';

const view = (profile: string, on: string[], isDefault: boolean) => ({ profile, targets: PREFLIGHT_TARGETS.map((id) => ({ id, on: on.includes(id), checks: TARGET_CHECKS[id] })), isDefault });

test('profile.targets / profile.setTargets: read, replace (audited, MACed, applied by issue.check), and refuse what is not a target', { timeout: 120_000 }, async (t) => {
  const { api } = newService(t);
  const locked = await api['profile.targets']({ id: 'server' });
  assert.equal(locked.ok, false);
  if (!locked.ok) assert.equal(locked.code, 'VAULT_NOT_FOUND', 'no vault yet');
  await call(api, 'vault.create', { passphrase: 'correct horse battery staple' });
  const ca = await call(api, 'ca.create', { name: 'CA', subject: 'CN=Service Targets CA,O=Example', keyType: 'ec-p256', days: 3650 });
  assert.deepEqual(await call(api, 'profile.targets', { id: 'server' }), view('server', ['apple-tls'], true));

  const draft = { mode: 'per-device' as const, profile: 'server' as const, ca: ca.id, recipient: { name: 'vpn.example.com' }, sans: [{ type: 'dns' as const, value: 'vpn.example.com' }], days: 1095 };
  assert.deepEqual((await call(api, 'issue.check', draft)).findings.map((f) => [f.target, f.field, f.severity]), [['apple-tls', 'days', 'error']]);

  assert.deepEqual(await call(api, 'profile.setTargets', { id: 'server', targets: ['openvpn-server'] }), view('server', ['openvpn-server'], false));
  assert.deepEqual(await call(api, 'profile.targets', { id: 'server' }), view('server', ['openvpn-server'], false));
  assert.deepEqual((await call(api, 'profile.list', {})).find((p) => p.id === 'server')!.targets, ['openvpn-server']);
  assert.deepEqual((await call(api, 'issue.check', draft)).findings, [], 'apple-tls is off; the server profile passes openvpn-server');
  const audit = await call(api, 'audit.list', { action: 'profile.update', limit: 5 });
  assert.deepEqual(audit.map((e) => [e.target, e.details]), [['profile:server', { targets: ['openvpn-server'] }]]);
  assert.equal((await call(api, 'audit.verify', {})).ok, true);

  // zod in main: an unknown target or profile is refused before anything is written.
  const bad = await api['profile.setTargets']({ id: 'server', targets: ['apple-tls', 'openvpn'] } as unknown as RequestOf<'profile.setTargets'>);
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.equal(bad.code, 'INVALID_INPUT');
    assert.equal(bad.message, `profile.setTargets: targets.1: Invalid option: expected one of ${PREFLIGHT_TARGETS.map((x) => `"${x}"`).join('|')}`);
  }
  // The engine refuses a repeat (zod lets it through), naming it.
  const twice = await api['profile.setTargets']({ id: 'server', targets: ['smime', 'smime'] });
  assert.equal(twice.ok, false);
  if (!twice.ok) assert.deepEqual([twice.code, twice.message], ['INVALID_INPUT', 'targets[1]: "smime" is listed twice']);
  assert.deepEqual(await call(api, 'profile.targets', { id: 'server' }), view('server', ['openvpn-server'], false), 'nothing changed');
  assert.equal((await call(api, 'audit.list', { action: 'profile.update', limit: 5 })).length, 1);
});
