// The recipients directory's channels (issue 12): recipient.get shows a recipient with its certificates,
// recipient.update edits it with the engine's checks (the error names the field), zod refuses unknown fields;
// a per-device vpn certificate's bundle script maps the device's computer account.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ApiCallError, call } from '../helpers/in-memory-api.js';
import { newService } from '../helpers/service.js';

const SID = 'S-1-5-21-3623811015-3361044348-30300820-1013';

/** Asserts the call fails with exactly this code, message and field. */
async function refused(p: Promise<unknown>, code: string, message: string, field?: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ApiCallError, String(e));
    assert.equal(e.result.code, code);
    assert.equal(e.result.message, message);
    if (field !== undefined) assert.equal((e.result.details as { field?: string }).field, field);
    return true;
  });
}

test('recipient.get and recipient.update: edit SID and account, errors by field, audited, per-device vpn maps to Set-ADComputer', { timeout: 120_000 }, async (t) => {
  const { api, dir } = newService(t);
  await call(api, 'vault.create', { passphrase: 'correct horse battery staple' });
  const ca = await call(api, 'ca.create', { name: 'CA', subject: 'CN=Recipients CA,O=Example', keyType: 'ec-p256', days: 3650 });
  const issued = await call(api, 'issue.run', {
    mode: 'per-user', profile: 'user', ca: ca.id, recipient: { name: 'Ann' }, sans: [{ type: 'upn', value: 'ann@corp.test' }], keyType: 'ec-p256',
    delivery: { folder: dir, encryption: 'modern' },
  });
  const id = issued.certificate.recipient!.id;
  const shown = await call(api, 'recipient.get', { id });
  assert.deepEqual([shown.recipient.name, shown.recipient.sid, shown.accountKind, shown.sidFromCertificate], ['Ann', null, 'person', null]);
  assert.deepEqual(shown.certificates.map((c) => c.id), [issued.certificate.id]);

  const edited = await call(api, 'recipient.update', { id, changes: { sid: SID, account: 'ann' } });
  assert.deepEqual([edited.recipient.sid, edited.recipient.account], [SID, 'ann']);
  assert.deepEqual((await call(api, 'recipient.list', { search: 'ann' })).map((r) => [r.id, r.sid, r.account]), [[id, SID, 'ann']]);
  const [audit] = await call(api, 'audit.list', { action: 'recipient.update', limit: 5 });
  assert.deepEqual([audit!.target, audit!.details], [`recipient:${id}`, { name: 'Ann', changes: { sid: { from: null, to: SID }, account: { from: null, to: 'ann' } } }]);

  await refused(call(api, 'recipient.update', { id, changes: { sid: 'S-1-5-21-1-x' } }), 'INVALID_INPUT', 'sid: "S-1-5-21-1-x" is not a Windows SID: sub-authority 3 "x" is not a decimal 32-bit unsigned number (0 to 4294967295, no leading zeros)', 'sid');
  await refused(call(api, 'recipient.update', { id, changes: { account: 'ANN$' } }), 'INVALID_INPUT', 'account: "ANN$" ends in $, which names a computer account; a user certificate maps to a user account (Set-ADUser), named without $', 'account');
  await refused(call(api, 'recipient.get', { id: 42 }), 'INVALID_INPUT', 'recipient: no recipient 42', 'id');
  // The schema refuses a field the channel does not have (a recipient's kind and name are not edited).
  await refused(call(api, 'recipient.update', { id, changes: { name: 'Bob' } as never }), 'INVALID_INPUT', 'recipient.update: changes: Unrecognized key: "name"', 'changes');
  assert.equal((await call(api, 'recipient.get', { id })).recipient.sid, SID);

  // The wizard's per-device mode: a vpn certificate for a laptop maps to its computer account.
  const laptop = await call(api, 'issue.run', {
    mode: 'per-device', profile: 'vpn', ca: ca.id, recipient: { name: 'LAPTOP17', account: 'laptop17' }, sans: [{ type: 'dns', value: 'laptop17.corp.test' }], keyType: 'ec-p256',
    delivery: { folder: dir, encryption: 'modern' },
  });
  assert.deepEqual([laptop.certificate.recipient?.kind, laptop.certificate.recipient?.account], ['device', 'laptop17$']);
  const ps1 = readFileSync(join(laptop.bundle.folder, 'ad-mapping.ps1'), 'utf8');
  assert.match(ps1, /\nSet-ADComputer -Identity 'laptop17\$' -Add @\{altSecurityIdentities='X509:<I>[^']+'\}\n/);
  assert.doesNotMatch(ps1, /Set-ADUser/);
  assert.match((await call(api, 'cert.adMapping', { id: laptop.certificate.id })).powershell, /\nSet-ADComputer -Identity 'laptop17\$' -Add /);
});
