// A built-in profile added to CertDesk after a vault was made (the kdc profile, issue 12) reaches existing vaults
// at unlock: inserted as an authenticated record, audited, once; vault verify passes; it issues.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, type TestContext } from 'node:test';
import { BUILTIN_PROFILES } from '../../electron/core/issuance/builtin-profiles.js';
import { BUILTIN_PROFILE_ADDED } from '../../electron/core/issuance/builtin-upgrade.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { getProfile } from '../../electron/core/issuance/records.js';
import { listAudit } from '../../electron/core/vault/audit.js';
import { verificationLines, verifyVault } from '../../electron/core/vault/vault-verify.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { newVault, TestClock, vaultOptions } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURES = {
  v5: { file: fileURLToPath(new URL('../../../test/fixtures/vault-v5.certdesk', import.meta.url)), pass: 'fixture passphrase v5' },
  v3: { file: fileURLToPath(new URL('../../../test/fixtures/vault-v3.certdesk', import.meta.url)), pass: 'fixture passphrase v3' },
};
const KDC = BUILTIN_PROFILES.find((p) => p.id === 'kdc')!;

async function open(t: TestContext, path: string, pass: string): Promise<Vault> {
  const vault = Vault.open(path, vaultOptions(new TestClock('2026-02-01T12:00:00.000Z')));
  t.after(() => vault.close());
  await vault.unlock(pass);
  return vault;
}

const added = (v: Vault) => listAudit(v.db, { limit: 10_000 }).filter((e) => e.action === BUILTIN_PROFILE_ADDED);
const profileIds = (v: Vault) => (v.db.prepare('SELECT id FROM profiles ORDER BY id').all() as { id: string }[]).map((r) => r.id);

for (const [version, fixture] of Object.entries(FIXTURES)) {
  test(`a ${version} vault gets the kdc profile at its first unlock, once, audited, and verify passes`, async (t) => {
    const path = join(tempDir(t), `${version}.certdesk`);
    copyFileSync(fixture.file, path);
    const first = await open(t, path, fixture.pass);
    assert.deepEqual(profileIds(first), ['device', 'kdc', 'mail', 'server', 'user', 'vpn']);
    assert.deepEqual(getProfile(first, 'kdc'), KDC);
    assert.deepEqual(
      added(first).map((e) => [e.target, e.details]),
      [['profile:kdc', { name: 'Domain controller (KDC)' }]],
    );
    const verified = verifyVault(first);
    assert.equal(verified.ok, true, verificationLines(verified).join('\n'));
    const auditCount = listAudit(first.db, { limit: 10_000 }).length;
    first.close();

    // The second unlock adds nothing.
    const second = await open(t, path, fixture.pass);
    assert.equal(added(second).length, 1);
    assert.equal(listAudit(second.db, { limit: 10_000 }).length, auditCount);
    assert.equal(verifyVault(second).ok, true);

    // The added profile issues a KDC certificate.
    await createCa(second, { name: 'Upgrade CA', subject: 'CN=Upgrade CA,O=Example', keyType: 'ec-p256', days: 3650 });
    const { record } = await issueCertificate(second, { ca: 'Upgrade CA', profile: 'kdc', name: 'dc1.corp.test', sans: [{ type: 'dns', value: 'dc1.corp.test' }] });
    assert.deepEqual(record.sans, [
      { type: 'dns', value: 'dc1.corp.test' },
      { type: 'krb5', value: 'krbtgt/CORP.TEST@CORP.TEST' },
    ]);
  });
}

test('a new vault has the kdc profile from its creation and no "added" entry', async (t) => {
  const { vault, path } = await newVault(t);
  assert.deepEqual(getProfile(vault, 'kdc'), KDC);
  vault.close();
  const again = await open(t, path, 'a long passphrase');
  assert.deepEqual(added(again), []);
});
