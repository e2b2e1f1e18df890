// The Authorities screen's lifecycle channels (issue 14): ca.get, ca.export (only the file the save dialog
// answered; a PFX password that fails the rule is refused without being echoed), ca.renew, ca.revoke (the
// schema offers only the reasons that fit a CA), ca.update.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { kdfRoundsHere } from '../helpers/event-loop.js';
import { ApiCallError, call } from '../helpers/in-memory-api.js';
import { newService } from '../helpers/service.js';

const PASSPHRASE = 'correct horse battery staple';

function apiErr(code: string, message: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof ApiCallError, String(e));
    assert.equal(e.result.code, code, e.result.message);
    assert.match(e.result.message, message);
    return true;
  };
}

test('ca.get, ca.export, ca.renew, ca.revoke and ca.update over the typed API', async (t) => {
  const svc = newService(t);
  await call(svc.api, 'vault.create', { passphrase: PASSPHRASE });
  const root = await call(svc.api, 'ca.create', { name: 'Root', subject: 'CN=Service Root', keyType: 'ec-p256', days: 3650 });
  const inter = await call(svc.api, 'ca.create', { name: 'Issuing', subject: 'CN=Service Issuing', keyType: 'ec-p256', days: 1825, issuer: root.id });

  const details = await call(svc.api, 'ca.get', { id: inter.id });
  assert.deepEqual([details.state, details.issuerCaName, details.basicConstraints?.pathLength], ['active', 'Root', 0]);

  // Only the file a save dialog answered: a place inside a granted folder is not enough for a CA export.
  const file = join(svc.dir, 'issuing.pfx');
  await assert.rejects(
    call(svc.api, 'ca.export', { id: inter.id, format: 'pfx', file, password: 'Good-Password-123' }),
    apiErr('INVALID_INPUT', /^file: .*issuing\.pfx was not chosen in a dialog this session \(this file must be the one a save or open dialog answered/),
  );
  svc.session.grants.grantFile(file);
  const weak = 'password';
  await assert.rejects(call(svc.api, 'ca.export', { id: inter.id, format: 'pfx', file, password: weak }), (e: unknown) => {
    assert.ok(e instanceof ApiCallError);
    assert.equal(e.result.code, 'INVALID_INPUT');
    assert.match(e.result.message, /^password: too short: at least 12 characters required$/);
    return true;
  });
  assert.equal(existsSync(file), false);
  const summary = await call(svc.api, 'ca.export', { id: inter.id, format: 'pfx', file, password: 'Good-Password-123' });
  assert.deepEqual(summary, { ca: 'Issuing', format: 'pfx', file, certificates: 2, withKey: true });

  await assert.rejects(call(svc.api, 'ca.revoke', { id: inter.id, reason: 'keyCompromise' as 'caCompromise' }), apiErr('INVALID_INPUT', /^ca\.revoke: reason: /));
  await assert.rejects(call(svc.api, 'ca.revoke', { id: root.id, reason: 'caCompromise' }), apiErr('INVALID_INPUT', /^CA "Root" is a root \(self-signed\)/));

  const updated = await call(svc.api, 'ca.update', { id: inter.id, crlUrl: 'http://pki.example.com/issuing.crl', crlDays: 14 });
  assert.deepEqual([updated.crlUrl, updated.crlDays], ['http://pki.example.com/issuing.crl', 14]);
  const renewal = await call(svc.api, 'ca.renew', { id: inter.id, newKey: true, name: 'Issuing 2', crlUrl: 'http://pki.example.com/issuing-2.crl' });
  assert.deepEqual([renewal.newKey, renewal.ca.name, renewal.previous.name, renewal.ca.crlDays], [true, 'Issuing 2', 'Issuing', 14]);
  assert.equal((await call(svc.api, 'ca.get', { id: inter.id })).state, 'retired');
  const revoked = await call(svc.api, 'ca.revoke', { id: renewal.ca.id, reason: 'cessationOfOperation' });
  assert.equal(revoked.status, 'revoked');
  const audit = await call(svc.api, 'audit.list', { action: 'ca.', limit: 20 });
  assert.deepEqual(audit.map((a) => a.action), ['ca.revoke', 'ca.renew', 'ca.update', 'ca.export-key', 'ca.create', 'ca.create']);
  assert.ok(!JSON.stringify(audit).includes('Good-Password-123'));
});

test('ca.export of a PFX runs its PKCS#12 KDF on a worker, not on the thread that answers the window', async (t) => {
  const svc = newService(t);
  await call(svc.api, 'vault.create', { passphrase: PASSPHRASE });
  const root = await call(svc.api, 'ca.create', { name: 'Root', subject: 'CN=Worker Root', keyType: 'ec-p256', days: 3650 });
  const file = join(svc.dir, 'root.pfx');
  svc.session.grants.grantFile(file);
  for (const encryption of ['modern', 'legacy'] as const) {
    const { result, rounds } = await kdfRoundsHere(() => call(svc.api, 'ca.export', { id: root.id, format: 'pfx', file, password: 'Worker-Password-42', encryption }));
    assert.equal(result.withKey, true);
    assert.equal(rounds, 0, `${encryption}: ${rounds} rounds of the PKCS#12 KDF ran on this thread`);
  }
});
