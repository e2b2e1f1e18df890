// Authenticated records (issue 10): someone with the vault file and sqlite3 but without the passphrase
// changes it while it is closed. Each kind of change is made with plain SQL on a copy of one vault; the
// operation that would use the record refuses with VAULT_TAMPERED naming it, no certificate or CRL comes
// out of it, and `vault verify` (verifyVault) lists it.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, test, type TestContext } from 'node:test';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { updateProfile } from '../../electron/core/issuance/profiles.js';
import { generateCrl, revokeCertificates } from '../../electron/core/issuance/revocation.js';
import { exportBundle } from '../../electron/core/export/export-bundle.js';
import { dueForRenewal, renewCertificate } from '../../electron/core/lifecycle/renew.js';
import { publishCrls } from '../../electron/core/lifecycle/crl-publish.js';
import { verificationLines, verifyVault } from '../../electron/core/vault/vault-verify.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { certErr, count, PASSPHRASE, TestClock, vaultOptions } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** The vault every test copies: Root > Users (path length 0), Alice, Bob (revoked, keyCompromise), Carol, CRL 1 of Users, a letter template. */
interface Base {
  path: string;
  ids: { root: number; users: number; rootCert: number; usersCert: number; alice: number; bob: number; carol: number };
}

const START = '2026-03-01T12:00:00.000Z';
let base: Base;
const baseDir = mkdtempSync(join(tmpdir(), 'certdesk-tamper-base-'));
process.on('exit', () => rmSync(baseDir, { recursive: true, force: true }));

before(async () => {
  const path = join(baseDir, 'base.certdesk');
  const vault = await createVault(path, PASSPHRASE, vaultOptions(new TestClock(START)));
  const root = await createCa(vault, { name: 'Root', subject: 'CN=Tamper Root,O=Example,C=DE', keyType: 'ec-p256', days: 3650, pathLength: 1 });
  const users = await createCa(vault, { name: 'Users', issuer: 'Root', subject: 'CN=Tamper Users CA,O=Example,C=DE', keyType: 'ec-p256', days: 1825 });
  const issue = async (name: string) =>
    (await issueCertificate(vault, { ca: 'Users', profile: 'user', name, sans: [{ type: 'email', value: `${name.split(' ')[0]!.toLowerCase()}@example.com` }], keyType: 'ec-p256' })).record.id;
  const alice = await issue('Alice Example');
  const bob = await issue('Bob Example');
  const carol = await issue('Carol Example');
  revokeCertificates(vault, [String(bob)], 'keyCompromise');
  await generateCrl(vault, 'Users');
  vault.setSetting('letter_template', 'Dear $HolderName, your password is $ClientCertPwd.');
  assert.equal(verifyVault(vault).ok, true, 'the untouched vault verifies');
  vault.close();
  base = { path, ids: { root: root.id, users: users.id, rootCert: root.certificateId, usersCert: users.certificateId, alice, bob, carol } };
});

/** A copy of the base vault (or of `from`), changed by `sql` while closed, then opened and unlocked. */
async function tampered(t: TestContext, sql: (db: Database.Database) => void, from = base.path): Promise<Vault> {
  const path = join(tempDir(t), 'tampered.certdesk');
  copyFileSync(from, path);
  const db = new Database(path);
  db.pragma('foreign_keys = OFF'); // as the sqlite3 shell has it
  sql(db);
  db.close();
  const vault = Vault.open(path, vaultOptions(new TestClock('2026-03-02T12:00:00.000Z')));
  t.after(() => vault.close());
  await vault.unlock(PASSPHRASE);
  return vault;
}

const crlNumber = (v: Vault) => (v.db.prepare('SELECT crl_number FROM cas WHERE name = ?').get('Users') as { crl_number: number }).crl_number;

/** The CRL is refused (code and message), and nothing moved: the CRL number and the audit log stay. */
async function crlRefused(v: Vault, ...patterns: (string | RegExp)[]): Promise<void> {
  const number = crlNumber(v);
  const entries = count(v.db, 'audit');
  await assert.rejects(generateCrl(v, 'Users'), certErr('VAULT_TAMPERED', 'changed outside CertDesk', ...patterns));
  assert.equal(crlNumber(v), number, 'no CRL number was used');
  assert.equal(count(v.db, 'audit'), entries, 'nothing was recorded');
}

/** Issuing under Users is refused and no certificate row appears. */
async function issueRefused(v: Vault, ...patterns: (string | RegExp)[]): Promise<void> {
  const before = count(v.db, 'certificates');
  await assert.rejects(
    issueCertificate(v, { ca: 'Users', profile: 'user', name: 'Mallory Example', sans: [{ type: 'email', value: 'mallory@example.com' }], keyType: 'ec-p256' }),
    certErr('VAULT_TAMPERED', 'changed outside CertDesk', ...patterns),
  );
  assert.equal(count(v.db, 'certificates'), before, 'no certificate was made');
}

/** verifyVault finds exactly these problems (as "table: record" prefixes of its lines). */
function verifyFinds(v: Vault, ...expected: string[]): void {
  const found = verifyVault(v);
  assert.equal(found.ok, false);
  assert.equal(found.audit.ok, true, 'the audit chain itself was not touched');
  const lines = verificationLines(found);
  assert.deepEqual(
    lines.map((l) => expected.find((e) => l.startsWith(e)) ?? l),
    expected,
    lines.join('\n'),
  );
}

test('a revocation set back to valid: the CRL is refused naming the certificate, revoking again names it too', async (t) => {
  const v = await tampered(t, (db) => db.prepare(`UPDATE certificates SET status = 'valid', revoked_at = NULL, revocation_reason = NULL WHERE id = ?`).run(base.ids.bob));
  await crlRefused(v, `certificate ${base.ids.bob} (Bob Example)`, 'table certificates');
  assert.throws(() => revokeCertificates(v, [String(base.ids.bob)], 'keyCompromise'), certErr('VAULT_TAMPERED', 'Bob Example'));
  verifyFinds(v, `certificates: certificate ${base.ids.bob} (Bob Example): does not match its MAC`, 'cas: CA 2 "Users": its certificates show 0 revocations where CertDesk recorded 1');
});

test('a revocation reason or time changed: the CRL is refused', async (t) => {
  const reason = await tampered(t, (db) => db.prepare(`UPDATE certificates SET revocation_reason = 'superseded' WHERE id = ?`).run(base.ids.bob));
  await crlRefused(reason, 'Bob Example');
  verifyFinds(reason, `certificates: certificate ${base.ids.bob} (Bob Example)`, 'cas: CA 2 "Users": its certificates show 1 revocations as recorded, but not the same ones');

  const time = await tampered(t, (db) => db.prepare(`UPDATE certificates SET revoked_at = '2027-01-01T00:00:00.000Z' WHERE id = ?`).run(base.ids.bob));
  await crlRefused(time, 'Bob Example');
  verifyFinds(time, `certificates: certificate ${base.ids.bob} (Bob Example)`, 'cas: CA 2 "Users"');
});

test("a profile's EKU, key usage or validity changed: nothing is issued under it", async (t) => {
  const edit = (change: (def: Record<string, unknown>) => void) => (db: Database.Database) => {
    const row = db.prepare("SELECT definition FROM profiles WHERE id = 'user'").get() as { definition: string };
    const def = JSON.parse(row.definition) as Record<string, unknown>;
    change(def);
    db.prepare("UPDATE profiles SET definition = ? WHERE id = 'user'").run(JSON.stringify(def));
  };
  for (const change of [
    (d: Record<string, unknown>) => (d.extendedKeyUsage = ['clientAuth', 'emailProtection', 'codeSigning']),
    (d: Record<string, unknown>) => (d.keyUsage = ['digitalSignature', 'keyEncipherment', 'keyCertSign']),
    (d: Record<string, unknown>) => (d.validityDays = 3650),
  ]) {
    const v = await tampered(t, edit(change));
    await issueRefused(v, 'profile "user"', 'table profiles');
    // Renewal reads the same profile.
    await assert.rejects(renewCertificate(v, String(base.ids.alice)), certErr('VAULT_TAMPERED', 'profile "user"'));
    assert.throws(() => updateProfile(v, 'user', { validityDays: 100 }), certErr('VAULT_TAMPERED', 'profile "user"'));
    verifyFinds(v, 'profiles: profile "user"');
  }
});

test("a profile's renew-before days raised: renew --due picks nothing from it", async (t) => {
  // Raising renewBeforeDays would make every certificate of the profile "due" and renew them all at once.
  const v = await tampered(t, (db) => {
    const row = db.prepare("SELECT definition FROM profiles WHERE id = 'user'").get() as { definition: string };
    db.prepare("UPDATE profiles SET definition = ? WHERE id = 'user'").run(JSON.stringify({ ...JSON.parse(row.definition), renewBeforeDays: 3000 }));
  });
  assert.throws(() => dueForRenewal(v), certErr('VAULT_TAMPERED', 'profile "user"', 'changed outside CertDesk'));
  // The untouched vault has nothing due, and the same call answers.
  const clean = await tampered(t, () => undefined);
  assert.deepEqual(dueForRenewal(clean), []);
});

test("a CA's path length raised: no CA is created under it", async (t) => {
  const v = await tampered(t, (db) => db.prepare('UPDATE cas SET path_length = 1 WHERE id = ?').run(base.ids.users));
  const cas = count(v.db, 'cas');
  await assert.rejects(createCa(v, { name: 'Sub', issuer: 'Users', subject: 'CN=Sub CA', keyType: 'ec-p256' }), certErr('VAULT_TAMPERED', 'CA 2 "Users"', 'table cas'));
  assert.equal(count(v.db, 'cas'), cas);
  await issueRefused(v, 'CA 2 "Users"');
  await crlRefused(v, 'CA 2 "Users"');
  verifyFinds(v, 'cas: CA 2 "Users"');
});

test("a CA's validity extended: it signs nothing", async (t) => {
  const v = await tampered(t, (db) => db.prepare(`UPDATE certificates SET not_after = '2099-01-01T00:00:00.000Z' WHERE id = ?`).run(base.ids.usersCert));
  await issueRefused(v, `certificate ${base.ids.usersCert} (Tamper Users CA)`);
  await crlRefused(v, 'Tamper Users CA');
  verifyFinds(v, `certificates: certificate ${base.ids.usersCert} (Tamper Users CA)`);
});

test('a CRL number lowered, or the CA record put back from an older copy: the CRL is refused', async (t) => {
  const lowered = await tampered(t, (db) => db.prepare('UPDATE cas SET crl_number = 0 WHERE id = ?').run(base.ids.users));
  await crlRefused(lowered, 'CA 2 "Users"');
  verifyFinds(lowered, 'cas: CA 2 "Users"');

  // An older copy of the same vault (its CA record says CRL 1), then two more CRLs; then the old CA record, MAC and all, written back.
  const { backup, live } = await backupThenLive(t, async (lv) => {
    await generateCrl(lv, 'Users');
    await generateCrl(lv, 'Users');
  });
  const replayed = await tampered(t, (db) => writeBack(db, backup, 'cas', base.ids.users), live);
  assert.equal(crlNumber(replayed), 1, 'precondition: the older CRL number is back, with its once-valid MAC');
  await crlRefused(replayed, 'cas: the table holds 2 records as CertDesk wrote, but not the same ones', 'older copy');
  verifyFinds(replayed, 'cas: the table holds 2 records as CertDesk wrote, but not the same ones');
});

/** Replaces row `id` of `table` with the row from the file at `from` (every column, its MAC included). */
function writeBack(db: Database.Database, from: string, table: string, id: number): void {
  db.prepare('ATTACH DATABASE ? AS old').run(from);
  db.prepare(`DELETE FROM main.${table} WHERE id = ?`).run(id);
  db.prepare(`INSERT INTO main.${table} SELECT * FROM old.${table} WHERE id = ?`).run(id);
  db.prepare('DETACH DATABASE old').run();
}

/**
 * A backup of the base vault, and a live copy changed after it by `change` (run on the unlocked live vault):
 * what an attacker with an older backup of the same vault starts from.
 */
async function backupThenLive(t: TestContext, change: (live: Vault) => Promise<void>): Promise<{ backup: string; live: string }> {
  const dir = tempDir(t);
  const backup = join(dir, 'backup.certdesk');
  copyFileSync(base.path, backup);
  const live = join(dir, 'live.certdesk');
  copyFileSync(base.path, live);
  const lv = Vault.open(live, vaultOptions(new TestClock('2026-03-02T12:00:00.000Z')));
  await lv.unlock(PASSPHRASE);
  await change(lv);
  lv.close();
  return { backup, live };
}

test('a revocation undone by writing back the row from an older backup (its MAC once valid): the CRL is refused', async (t) => {
  const { backup, live } = await backupThenLive(t, async (lv) => {
    revokeCertificates(lv, [String(base.ids.carol)], 'keyCompromise');
    assert.equal((await generateCrl(lv, 'Users')).entries, 2);
  });

  const v = await tampered(t, (db) => writeBack(db, backup, 'certificates', base.ids.carol), live);
  assert.equal((v.db.prepare('SELECT status FROM certificates WHERE id = ?').get(base.ids.carol) as { status: string }).status, 'valid', 'precondition: Carol looks valid again');
  await crlRefused(v, 'CA 2 "Users"', '1 revocations where CertDesk recorded 2');
  // Carol's key is not exported or renewed either: her issuing CA's revoked set no longer matches.
  await assert.rejects(exportBundle(v, { cert: String(base.ids.carol), outDir: tempDir(t) }), certErr('VAULT_TAMPERED', 'CA 2 "Users"'));
  await assert.rejects(renewCertificate(v, String(base.ids.carol)), certErr('VAULT_TAMPERED', 'CA 2 "Users"'));
  assert.equal(count(v.db, 'certificates'), 5, 'no certificate was issued');
  verifyFinds(v, 'certificates: the table holds 5 records as CertDesk wrote, but not the same ones', 'cas: CA 2 "Users": its certificates show 1 revocations where CertDesk recorded 2');

  // Writing back the older CA record and record-set digests as well: the digests no longer name the audit chain's head.
  const deeper = await tampered(
    t,
    (db) => {
      writeBack(db, backup, 'certificates', base.ids.carol);
      writeBack(db, backup, 'cas', base.ids.users);
      db.prepare('ATTACH DATABASE ? AS old').run(backup);
      db.prepare("UPDATE main.meta SET value = (SELECT value FROM old.meta WHERE key = 'record_sets') WHERE key = 'record_sets'").run();
      db.prepare('DETACH DATABASE old').run();
    },
    live,
  );
  await crlRefused(deeper, 'record-set digests were written at audit entry', 'older copy');
  // Later audited writes do not make the old digests current again (they would then vouch for Carol's old row).
  deeper.setSetting('auto_lock_minutes', 5);
  await crlRefused(deeper, 'record-set digests were written at audit entry', 'older copy');
  verifyFinds(deeper, 'meta: record_sets: the record-set digests were written at audit entry');
});

test('a renewed certificate written back from an older backup (no revocation involved): renewing or exporting it again is refused', async (t) => {
  const { backup, live } = await backupThenLive(t, async (lv) => void (await renewCertificate(lv, String(base.ids.alice))));

  // Alice's old row, "not renewed yet" with its once-valid MAC: a second renewal would give her two live certificates.
  const v = await tampered(t, (db) => writeBack(db, backup, 'certificates', base.ids.alice), live);
  assert.equal((v.db.prepare('SELECT superseded_by FROM certificates WHERE id = ?').get(base.ids.alice) as { superseded_by: number | null }).superseded_by, null, 'precondition');
  const before = count(v.db, 'certificates');
  await assert.rejects(renewCertificate(v, String(base.ids.alice)), certErr('VAULT_TAMPERED', 'certificates: the table holds 6 records as CertDesk wrote, but not the same ones', 'older copy'));
  await assert.rejects(exportBundle(v, { cert: String(base.ids.alice), outDir: tempDir(t) }), certErr('VAULT_TAMPERED', 'certificates: the table holds'));
  assert.equal(count(v.db, 'certificates'), before, 'no certificate was issued');
  verifyFinds(v, 'certificates: the table holds 6 records as CertDesk wrote, but not the same ones');

  // The same vault untouched: renewing another certificate works (the scan passes and is remembered across writes).
  const clean = Vault.open(live, vaultOptions(new TestClock('2026-03-02T12:00:00.000Z')));
  t.after(() => clean.close());
  await clean.unlock(PASSPHRASE);
  await renewCertificate(clean, String(base.ids.carol));
  await exportBundle(clean, { cert: String(count(clean.db, 'certificates')), outDir: tempDir(t) });
});

test("a CA's key reference removed: crl publish refuses instead of leaving that CA's CRL out", async (t) => {
  const v = await tampered(t, (db) => db.prepare('UPDATE certificates SET key_id = NULL WHERE id = ?').run(base.ids.usersCert));
  const out = tempDir(t);
  await assert.rejects(publishCrls(v, out), certErr('VAULT_TAMPERED', `certificate ${base.ids.usersCert}`));
  assert.deepEqual(readdirSync(out), [], 'nothing was published');
});

test('a deleted certificate row: a revoked one stops the CRL, any one is found by vault verify', async (t) => {
  const revoked = await tampered(t, (db) => db.prepare('DELETE FROM certificates WHERE id = ?').run(base.ids.bob));
  await crlRefused(revoked, 'CA 2 "Users"', '0 revocations where CertDesk recorded 1');
  verifyFinds(revoked, 'certificates: the table holds 4 records where CertDesk wrote 5', 'cas: CA 2 "Users"');

  const valid = await tampered(t, (db) => db.prepare('DELETE FROM certificates WHERE id = ?').run(base.ids.carol));
  verifyFinds(valid, 'certificates: the table holds 4 records where CertDesk wrote 5');
  // A row added (a copy of Alice's under a new id) is found the same way, and has no valid MAC.
  const added = await tampered(t, (db) => {
    db.prepare("INSERT INTO certificates SELECT 99, kind, issuer_ca_id, issuer_dn, 'abcd', subject, holder, sans, profile_id, recipient_id, source, status, status_changed_at, revoked_at, revocation_reason, issued_at, not_before, not_after, alias, auto_renew, key_type, key_id, sha1, 'ff' || sha256, der, deleted_at, renewed_from, superseded_by, mac FROM certificates WHERE id = ?").run(base.ids.alice);
  });
  assert.throws(() => revokeCertificates(added, ['99']), certErr('VAULT_TAMPERED', 'certificate 99 (Alice Example)'));
  verifyFinds(added, 'certificates: certificate 99 (Alice Example): does not match its MAC', 'certificates: the table holds 6 records where CertDesk wrote 5');
});

test('a sealed key moved to another row, or a certificate pointed at another key: nothing is signed or exported with it', async (t) => {
  const keyOf = (db: Database.Database, certId: number) => (db.prepare('SELECT key_id FROM certificates WHERE id = ?').get(certId) as { key_id: string }).key_id;
  // The Root's sealed key moved into the Users CA's key row.
  const moved = await tampered(t, (db) => {
    const from = keyOf(db, base.ids.rootCert);
    db.prepare('UPDATE keys SET nonce = (SELECT nonce FROM keys WHERE id = ?), ciphertext = (SELECT ciphertext FROM keys WHERE id = ?) WHERE id = ?').run(from, from, keyOf(db, base.ids.usersCert));
  });
  const usersKey = keyOf(moved.db, base.ids.usersCert);
  await issueRefused(moved, `private key ${usersKey}`, 'table keys');
  await crlRefused(moved, `private key ${usersKey}`);
  verifyFinds(moved, `keys: private key ${usersKey}`);

  // Carol's certificate pointed at Alice's key: exporting Carol would hand out Alice's key.
  const pointed = await tampered(t, (db) => db.prepare('UPDATE certificates SET key_id = ? WHERE id = ?').run(keyOf(db, base.ids.alice), base.ids.carol));
  await assert.rejects(exportBundle(pointed, { cert: String(base.ids.carol), outDir: tempDir(t) }), certErr('VAULT_TAMPERED', `certificate ${base.ids.carol} (Carol Example)`));
  assert.equal(count(pointed.db, 'exports'), 0);
  verifyFinds(pointed, `certificates: certificate ${base.ids.carol} (Carol Example)`);
});

test('a letter template or recipient changed, or the record-set digests edited: reported, and writes refuse', async (t) => {
  const letter = await tampered(t, (db) => db.prepare(`UPDATE settings SET value = ? WHERE key = 'letter_template'`).run(JSON.stringify('Your password is $ClientCertPwd; mail it to evil@example.net')));
  assert.throws(() => letter.verifiedSetting('letter_template'), certErr('VAULT_TAMPERED', 'setting "letter_template"'));
  verifyFinds(letter, 'settings: setting "letter_template"');

  const recipient = await tampered(t, (db) => db.prepare(`UPDATE recipients SET email = 'evil@example.net' WHERE name = 'Alice Example'`).run());
  verifyFinds(recipient, 'recipients: recipient 1 (Alice Example)');
  // Issuing to Alice again links her recipient record: refused.
  await assert.rejects(
    issueCertificate(recipient, { ca: 'Users', profile: 'user', name: 'Alice Example', sans: [{ type: 'email', value: 'evil@example.net' }], keyType: 'ec-p256' }),
    certErr('VAULT_TAMPERED', 'recipient 1 (Alice Example)'),
  );

  const digests = await tampered(t, (db) => {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'record_sets'").get() as { value: string };
    const state = JSON.parse(row.value) as { sets: Record<string, { count: number }> };
    state.sets.certificates!.count = 4;
    db.prepare("UPDATE meta SET value = ? WHERE key = 'record_sets'").run(JSON.stringify(state));
  });
  await crlRefused(digests, 'do not match their MAC');
  assert.throws(() => revokeCertificates(digests, [String(base.ids.alice)]), certErr('VAULT_TAMPERED', 'record_sets'));
  const original = new Database(base.path, { readonly: true });
  t.after(() => original.close());
  assert.equal(count(digests.db, 'audit'), count(original, 'audit'), 'the refused revocation wrote nothing');
  verifyFinds(digests, 'meta: record_sets: the record-set digests (meta "record_sets") do not match their MAC');
});
