// Upgrading a vault. test/fixtures/vault-v3.certdesk was written by CertDesk at schema version 3, before
// records carried MACs (make-vault-v3.mjs says how): two CAs, issued, revoked, renewed, deleted and
// CSR-signed certificates, a CRL, an edited profile and a letter template. Opened by this CertDesk it is
// migrated in place; its MACs are computed at the first unlock, once, and the audit log says so.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, type TestContext } from 'node:test';
import { exportBundle } from '../../electron/core/export/export-bundle.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { getProfile, listCertificates } from '../../electron/core/issuance/records.js';
import { generateCrl } from '../../electron/core/issuance/revocation.js';
import { listAudit } from '../../electron/core/vault/audit.js';
import { RECORDS_AUTHENTICATED } from '../../electron/core/vault/record-upgrade.js';
import { SCHEMA_VERSION } from '../../electron/core/vault/schema.js';
import { verifyVault } from '../../electron/core/vault/vault-verify.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { certErr, TestClock, vaultOptions } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/vault-v3.certdesk', import.meta.url));
const PASS = 'fixture passphrase v3';
/** The fixture's certificates were issued on 2026-01-15 for a year; its CAs run for five and ten. */
const clock = () => new TestClock('2026-06-01T12:00:00.000Z');

function copyOfFixture(t: TestContext): { path: string; dir: string } {
  const dir = tempDir(t);
  const path = join(dir, 'v3.certdesk');
  copyFileSync(FIXTURE, path);
  return { path, dir };
}

function open(t: TestContext, path: string): Vault {
  const vault = Vault.open(path, vaultOptions(clock()));
  t.after(() => vault.close());
  return vault;
}

const macsPresent = (db: Database.Database) => (db.prepare('SELECT count(*) AS n FROM certificates WHERE mac IS NOT NULL').get() as { n: number }).n;

test('the version-3 fixture is what CertDesk 3 wrote', (t) => {
  // A copy: opening the WAL-mode fixture in place, even read-only, would leave -shm/-wal files in the tree.
  const db = new Database(copyOfFixture(t).path, { readonly: true });
  try {
    assert.equal(db.pragma('user_version', { simple: true }), 3);
    const columns = (db.prepare('PRAGMA table_info(certificates)').all() as { name: string }[]).map((c) => c.name);
    assert.equal(columns.includes('mac'), false);
    assert.equal((db.prepare('SELECT count(*) AS n FROM certificates').get() as { n: number }).n, 7);
  } finally {
    db.close();
  }
});

test('a version-3 vault is upgraded: its records are authenticated at the first unlock, audited, and everything works', async (t) => {
  const { path, dir } = copyOfFixture(t);
  const first = open(t, path);
  assert.equal(first.schemaVersion(), SCHEMA_VERSION, 'opening migrates the schema');
  assert.equal(macsPresent(first.db), 0, 'no MACs without the key');
  // A wrong passphrase authenticates nothing.
  await assert.rejects(first.unlock('not the passphrase'), certErr('VAULT_WRONG_PASSPHRASE'));
  assert.equal(macsPresent(first.db), 0);
  first.close();

  const vault = open(t, path);
  const auditBefore = listAudit(vault.db, { limit: 1000 }).length;
  await vault.unlock(PASS);
  assert.equal(macsPresent(vault.db), 7);
  const entries = listAudit(vault.db, { limit: 1000 });
  const authenticated = entries.filter((e) => e.action === RECORDS_AUTHENTICATED);
  assert.equal(authenticated.length, 1);
  assert.deepEqual(authenticated[0]!.details.records, { certificates: 7, cas: 2, profiles: 5, recipients: 4, settings: 1, keys: 6, deliveries: 0, batch_items: 0 });
  assert.equal(authenticated[0]!.details.auditChain, 'intact, 13 entries');
  assert.equal(authenticated[0]!.seq, auditBefore + 1, 'before anything else, the failed unlock included');
  assert.equal(entries.find((e) => e.action === 'vault.unlock-failed')?.seq, auditBefore + 2);
  const verified = verifyVault(vault);
  assert.deepEqual(verified.records.problems, []);
  assert.equal(verified.ok, true);
  // The five profiles it had, and the kdc profile added at this unlock (issuance/builtin-upgrade.ts).
  assert.equal(verified.records.checked, 7 + 2 + 6 + 4 + 1 + 6);

  // The data the old version wrote is all there and in use: the CRL keeps Bob's revocation and numbers on from 1.
  const crl = await generateCrl(vault, 'Fixture Users');
  assert.equal(crl.crlNumber, 2);
  assert.equal(crl.entries, 1);
  assert.equal(getProfile(vault, 'user').validityDays, 400, "the officer's profile edit stays");
  assert.equal(vault.verifiedSetting<string>('letter_template'), 'Dear $HolderName, your password is $ClientCertPwd.');
  const renewed = listCertificates(vault, { kind: 'end-entity' }).find((c) => c.renewedFrom !== null)!;
  const out = join(dir, 'out');
  mkdirSync(out);
  const exported = await exportBundle(vault, { cert: String(renewed.id), outDir: out });
  assert.ok(exported.summary.files.length > 5, 'a key sealed by version 3 still exports');
  const issued = await issueCertificate(vault, { ca: 'Fixture Users', profile: 'user', name: 'Carol New', sans: [{ type: 'email', value: 'carol@fixture.example' }], keyType: 'ec-p256' });
  assert.equal(issued.record.status, 'valid');
  assert.equal(verifyVault(vault).ok, true);
  vault.close();

  // Once only.
  const again = open(t, path);
  await again.unlock(PASS);
  assert.equal(listAudit(again.db, { action: RECORDS_AUTHENTICATED }).length, 1);
  assert.equal(verifyVault(again).ok, true);
});

test('an upgraded vault whose record-set digests are removed is not authenticated again: it is reported', async (t) => {
  const { path } = copyOfFixture(t);
  const vault = open(t, path);
  await vault.unlock(PASS);
  vault.close();
  // Outside CertDesk: Bob's revocation undone, and the digests that would show it removed.
  const db = new Database(path);
  db.prepare("UPDATE certificates SET status = 'valid', revoked_at = NULL, revocation_reason = NULL WHERE holder = 'Bob Fixture'").run();
  db.prepare("DELETE FROM meta WHERE key = 'record_sets'").run();
  db.close();

  const reopened = open(t, path);
  await reopened.unlock(PASS);
  assert.equal(listAudit(reopened.db, { action: RECORDS_AUTHENTICATED }).length, 1, 'the audit log shows they were authenticated before');
  await assert.rejects(generateCrl(reopened, 'Fixture Users'), certErr('VAULT_TAMPERED', 'record_sets', 'changed outside CertDesk'));
  const found = verifyVault(reopened);
  assert.equal(found.ok, false);
  assert.deepEqual(
    found.records.problems.map((p) => `${p.table}: ${p.record}`),
    ['meta: record_sets', 'certificates: certificate 4 (Bob Fixture)', 'cas: CA 2 "Fixture Users"'],
  );
});

test('a pre-upgrade key wrap put back with the audit log wiped authenticates nothing: the changed records stay reported', async (t) => {
  const { path } = copyOfFixture(t);
  // The wrap the version-3 fixture had, before its first unlock here (same passphrase).
  const pre = new Database(path, { readonly: true });
  const oldWrap = (pre.prepare("SELECT value FROM meta WHERE key = 'vault_key'").get() as { value: string }).value;
  pre.close();
  const vault = open(t, path);
  await vault.unlock(PASS);
  vault.close();
  // Outside CertDesk: Bob's revocation undone; then the old wrap back, the digests and the whole audit log (with its head) removed.
  const db = new Database(path);
  db.prepare("UPDATE certificates SET status = 'valid', revoked_at = NULL, revocation_reason = NULL WHERE holder = 'Bob Fixture'").run();
  db.prepare("UPDATE meta SET value = ? WHERE key = 'vault_key'").run(oldWrap);
  db.prepare("DELETE FROM meta WHERE key IN ('record_sets', 'audit_head')").run();
  db.prepare('DELETE FROM audit').run();
  db.close();

  const reopened = open(t, path);
  await reopened.unlock(PASS);
  assert.equal(listAudit(reopened.db, { action: RECORDS_AUTHENTICATED }).length, 0, 'nothing was authenticated');
  await assert.rejects(generateCrl(reopened, 'Fixture Users'), certErr('VAULT_TAMPERED', 'changed outside CertDesk'));
  const found = verifyVault(reopened);
  assert.equal(found.ok, false);
  assert.equal(found.audit.ok, false, 'the emptied log is reported');
  assert.ok(found.records.problems.some((p) => p.record === 'certificate 4 (Bob Fixture)'), JSON.stringify(found.records.problems));
});

test('a version-1 vault is migrated to the current schema with its certificates, keys and audit chain intact', async (t) => {
  const { path, dir } = copyOfFixture(t);
  // Turn the fixture back into what version 1 wrote: no exports, batches or renewal links, profiles without PFX and password fields.
  const db = new Database(path);
  db.exec(
    'DROP TABLE exports; DROP TABLE batch_items; DROP TABLE batches; DROP INDEX certificates_renewed_from; DROP INDEX certificates_ca_expiry; DROP INDEX certificates_status_expiry; ALTER TABLE certificates DROP COLUMN renewed_from; ALTER TABLE certificates DROP COLUMN superseded_by;',
  );
  for (const row of db.prepare('SELECT id, definition FROM profiles').all() as { id: string; definition: string }[]) {
    const { pfxEncryption: _e, passwordRule: _r, renewSameKey: _k, ...v1 } = JSON.parse(row.definition) as Record<string, unknown>;
    db.prepare('UPDATE profiles SET definition = ? WHERE id = ?').run(JSON.stringify(v1), row.id);
  }
  db.pragma('user_version = 1');
  db.close();

  const upgraded = open(t, path);
  assert.equal(upgraded.schemaVersion(), SCHEMA_VERSION);
  await upgraded.unlock(PASS);
  assert.equal(getProfile(upgraded, 'user').passwordRule.length, 16);
  assert.equal(getProfile(upgraded, 'user').pfxEncryption, 'modern');
  assert.equal(getProfile(upgraded, 'server').renewSameKey, true);
  assert.equal(getProfile(upgraded, 'user').renewSameKey, false);
  const certificates = listCertificates(upgraded, { kind: 'end-entity' });
  assert.deepEqual(
    certificates.map((c) => c.holder).sort(),
    ['Bob Fixture', 'Laptop 7', 'Laptop 7', 'www.fixture.example'],
  );
  assert.equal(upgraded.verifyAudit().ok, true);
  assert.equal(verifyVault(upgraded).ok, true);
  const out = join(dir, 'out');
  mkdirSync(out);
  const device = certificates.find((c) => c.holder === 'Laptop 7')!;
  const exported = await exportBundle(upgraded, { cert: String(device.id), outDir: out });
  assert.equal(exported.summary.files.length > 5, true, 'a key kept under version 1 still exports');
});
