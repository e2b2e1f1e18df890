// Two ways around the record MACs for someone with the vault file and sqlite3 but not the passphrase:
// (A) a trigger (or view) planted in the file runs inside CertDesk's own writes, so the record layer MACs
// its result: a vault whose schema holds anything CertDesk does not create is refused when opened, before
// anything writes to it; (B) deleting the audit log and the record-set state made the next unlock take the
// vault for one upgraded from version 3 and MAC every (tampered) record: the vault key's wrap now says the
// records were authenticated, and such a vault is never authenticated again.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, type TestContext } from 'node:test';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { generateCrl, revokeCertificates } from '../../electron/core/issuance/revocation.js';
import { verificationLines, verifyVault } from '../../electron/core/vault/vault-verify.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { certErr, newVault, PASSPHRASE, TestClock, vaultOptions } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/vault-v3.certdesk', import.meta.url));
const FIXTURE_PASS = 'fixture passphrase v3';

/** A closed vault: Root > Users, Alice (valid), Bob (revoked, keyCompromise), a CRL. */
async function baseVault(t: TestContext): Promise<{ path: string; bob: number }> {
  const { vault, path } = await newVault(t, { clock: new TestClock('2026-03-01T12:00:00.000Z') });
  await createCa(vault, { name: 'Root', subject: 'CN=Bypass Root,O=Example,C=DE', keyType: 'ec-p256', days: 3650, pathLength: 1 });
  await createCa(vault, { name: 'Users', issuer: 'Root', subject: 'CN=Bypass Users,O=Example,C=DE', keyType: 'ec-p256', days: 1825 });
  const issue = async (name: string) =>
    (await issueCertificate(vault, { ca: 'Users', profile: 'user', name, sans: [{ type: 'email', value: `${name.toLowerCase()}@example.com` }], keyType: 'ec-p256' })).record.id;
  await issue('Alice');
  const bob = await issue('Bob');
  revokeCertificates(vault, [String(bob)], 'keyCompromise');
  await generateCrl(vault, 'Users');
  vault.close();
  return { path, bob };
}

function changeClosed(path: string, sql: string): void {
  const db = new Database(path);
  db.exec(sql);
  db.close();
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const open = (t: TestContext, path: string) => {
  const vault = Vault.open(path, vaultOptions(new TestClock('2026-03-02T12:00:00.000Z')));
  t.after(() => vault.close());
  return vault;
};

test('a trigger planted in a closed vault: open refuses naming it, and the file is not changed', async (t) => {
  const { path, bob } = await baseVault(t);
  changeClosed(
    path,
    `CREATE TRIGGER t_unrevoke AFTER UPDATE OF status ON certificates BEGIN UPDATE certificates SET status = 'valid', revoked_at = NULL, revocation_reason = NULL WHERE id = ${bob}; END;`,
  );
  const before = sha256(path);
  assert.throws(() => open(t, path), certErr('VAULT_TAMPERED', 'trigger t_unrevoke was added outside CertDesk'));
  assert.equal(sha256(path), before, 'the file is unchanged');
  const db = new Database(path, { readonly: true });
  assert.equal((db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 't_unrevoke'").get() as { n: number }).n, 1);
  db.close();
});

test('a view, a foreign table or index, or a changed index in a closed vault: open refuses naming it', async (t) => {
  const { path } = await baseVault(t);
  const cases: [string, string][] = [
    ['CREATE VIEW v_certs AS SELECT id, status FROM certificates;', 'view v_certs was added outside CertDesk'],
    ['CREATE TABLE extra (x);', 'table extra was added outside CertDesk'],
    ['CREATE INDEX extra_idx ON certificates(alias);', 'index extra_idx was added outside CertDesk'],
    ['DROP INDEX certificates_serial; CREATE INDEX certificates_serial ON certificates(serial) WHERE status = \'valid\';', 'index certificates_serial was changed outside CertDesk'],
  ];
  for (const [sql, message] of cases) {
    const copy = join(tempDir(t), 'copy.certdesk');
    copyFileSync(path, copy);
    changeClosed(copy, sql);
    const before = sha256(copy);
    assert.throws(() => open(t, copy), certErr('VAULT_TAMPERED', message), sql);
    assert.equal(sha256(copy), before, `${sql}: the file is unchanged`);
  }
  // The untouched vault still opens.
  await open(t, path).unlock(PASSPHRASE);
});

test('the audit log and the record-set state deleted with a revocation undone: nothing is re-authenticated, the CRL refuses, vault verify reports', async (t) => {
  const { path, bob } = await baseVault(t);
  changeClosed(
    path,
    `UPDATE certificates SET status = 'valid', revoked_at = NULL, revocation_reason = NULL WHERE id = ${bob};
     DELETE FROM audit; DELETE FROM meta WHERE key IN ('audit_head', 'record_sets');`,
  );
  const vault = open(t, path);
  await vault.unlock(PASSPHRASE);
  assert.equal((vault.db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n, 0, 'no "records authenticated" entry');
  await assert.rejects(generateCrl(vault, 'Users'), certErr('VAULT_TAMPERED', 'record_sets'));
  const found = verifyVault(vault);
  assert.equal(found.ok, false);
  const lines = verificationLines(found).join('\n');
  assert.match(lines, /audit: .*the audit log is empty/);
  assert.match(lines, /meta: record_sets: the record-set digests \(meta "record_sets"\) are missing/);
  assert.match(lines, new RegExp(`certificate ${bob} \\(Bob\\).*does not match its MAC`));
});

test('a version-3 vault is upgraded once: after it (and after a passphrase change) deleting the audit log and state does not re-authenticate', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'v3.certdesk');
  copyFileSync(FIXTURE, path);
  const first = Vault.open(path, vaultOptions(new TestClock('2026-06-01T12:00:00.000Z')));
  await first.unlock(FIXTURE_PASS);
  assert.equal(verifyVault(first).ok, true, 'the genuine upgrade authenticates the records');
  await first.changePassphrase(FIXTURE_PASS, 'another fixture passphrase');
  first.close();

  changeClosed(path, "UPDATE certificates SET alias = 'tampered' WHERE id = (SELECT min(id) FROM certificates WHERE kind = 'end-entity'); DELETE FROM audit; DELETE FROM meta WHERE key IN ('audit_head', 'record_sets');");
  const again = open(t, path);
  await again.unlock('another fixture passphrase');
  assert.equal((again.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'vault.records-authenticated'").get() as { n: number }).n, 0);
  const found = verifyVault(again);
  assert.equal(found.ok, false);
  assert.match(verificationLines(found).join('\n'), /record_sets.*are missing/);
});
