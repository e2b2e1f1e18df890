// The certificate details' "Windows account mapping" (cert.adMapping) gives what `certdesk ad-mapping` gives
// (issue 12 review): for a revoked certificate it used to hand the officer a script *adding* its mapping, with no
// warning; now it is the removal script with the CLI's warning, and the strings are read from the checked row.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call } from '../helpers/in-memory-api.js';
import { newService } from '../helpers/service.js';

test('cert.adMapping: a valid certificate gets the adding script; a revoked one the removal script and the warning', { timeout: 120_000 }, async (t) => {
  const { api, dir } = newService(t);
  await call(api, 'vault.create', { passphrase: 'correct horse battery staple' });
  const ca = await call(api, 'ca.create', { name: 'CA', subject: 'CN=Mapping CA,O=Example', keyType: 'ec-p256', days: 3650 });
  const draft = { mode: 'per-user' as const, profile: 'user' as const, ca: ca.id, recipient: { name: 'Ann', account: 'ann' }, sans: [{ type: 'upn' as const, value: 'ann@corp.test' }], keyType: 'ec-p256' as const };
  const issued = await call(api, 'issue.run', { ...draft, delivery: { folder: dir, encryption: 'modern' } });
  const id = issued.certificate.id;

  const valid = await call(api, 'cert.adMapping', { id });
  assert.equal(valid.state, 'valid');
  assert.deepEqual(valid.warnings, []);
  assert.equal(valid.strings.length, 3);
  assert.ok(valid.powershell.includes(`\nSet-ADUser -Identity 'ann' -Add @{altSecurityIdentities='${valid.strings[0]}'}\n`), valid.powershell);

  await call(api, 'cert.revoke', { ids: [id], reason: 'keyCompromise' });
  const revoked = await call(api, 'cert.adMapping', { id });
  assert.equal(revoked.state, 'revoked');
  assert.deepEqual(revoked.strings, valid.strings);
  assert.deepEqual(revoked.warnings, [
    `Ann (certificate ${id}) is revoked: a mapping to it grants nothing (a domain controller refuses a revoked certificate) and should be removed from the account; the PowerShell script removes it (-Remove)`,
  ]);
  assert.deepEqual(
    revoked.powershell.split('\n').filter((l) => l.startsWith('Set-ADUser')),
    valid.strings.map((v) => `Set-ADUser -Identity 'ann' -Remove @{altSecurityIdentities='${v}'} -ErrorAction Continue`),
  );
});
