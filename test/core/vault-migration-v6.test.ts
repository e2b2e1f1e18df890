// Upgrading a vault made at schema version 6 (test/fixtures/vault-v6.certdesk, make-vault-v6.mjs says how):
// its recipients carried MACs over kind, name, e-mail, phone and description. Schema 7 adds the SID and the
// account name to what a recipient's MAC covers, so at the first unlock after the upgrade each recipient whose
// version-6 MAC holds (and whose new columns are still empty) is re-authenticated, once, and the audit log says
// so; a recipient changed outside CertDesk (a SID written into the file included) stays refused.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, type TestContext } from 'node:test';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { listRecipients, recipientAccountOf } from '../../electron/core/issuance/recipients.js';
import { listAudit } from '../../electron/core/vault/audit.js';
import { RECIPIENTS_REAUTHENTICATED } from '../../electron/core/vault/record-upgrade.js';
import { SCHEMA_VERSION } from '../../electron/core/vault/schema.js';
import { verificationLines, verifyVault } from '../../electron/core/vault/vault-verify.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { formatAdMappings } from '../../electron/core/windows/ad-mapping-format.js';
import { selectForAdMapping } from '../../electron/core/windows/ad-mapping-select.js';
import { certErr, TestClock, vaultOptions } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/vault-v6.certdesk', import.meta.url));
const PASS = 'fixture passphrase v6';
const BEN_SID = 'S-1-5-21-1004336348-1177238915-682003330-1105';
const OTHER_SID = 'S-1-5-21-1004336348-1177238915-682003330-500';

function copyOfFixture(t: TestContext): string {
  const path = join(tempDir(t), 'v6.certdesk');
  copyFileSync(FIXTURE, path);
  return path;
}

function opened(t: TestContext, path: string): Vault {
  const vault = Vault.open(path, vaultOptions(new TestClock('2026-02-01T12:00:00.000Z')));
  t.after(() => vault.close());
  return vault;
}

async function unlocked(t: TestContext, path: string): Promise<Vault> {
  const vault = opened(t, path);
  await vault.unlock(PASS);
  return vault;
}

const steps = (v: Vault) => listAudit(v.db, { limit: 1000 }).filter((e) => e.action === RECIPIENTS_REAUTHENTICATED);
const recipientsOf = (v: Vault) => listRecipients(v).sort((a, b) => a.id - b.id);

/** Writes into the vault file as something outside CertDesk would (the vault closed). */
function edit(path: string, sql: string, ...args: unknown[]): void {
  const db = new Database(path);
  try {
    assert.equal(db.prepare(sql).run(...args).changes, 1, sql);
  } finally {
    db.close();
  }
}

test('the version-6 fixture is what CertDesk 6 wrote: recipients with MACs and no SID or account columns', (t) => {
  const db = new Database(copyOfFixture(t), { readonly: true });
  try {
    assert.equal(db.pragma('user_version', { simple: true }), 6);
    const columns = (db.prepare('PRAGMA table_info(recipients)').all() as { name: string }[]).map((c) => c.name);
    assert.deepEqual(columns, ['id', 'kind', 'name', 'email', 'phone', 'description', 'created_at', 'mac']);
    assert.equal((db.prepare('SELECT count(*) AS n FROM recipients WHERE mac IS NOT NULL').get() as { n: number }).n, 3);
  } finally {
    db.close();
  }
});

test('a version-6 vault is upgraded: its recipients are re-authenticated once, audited, verify, and keep their data', async (t) => {
  const path = copyOfFixture(t);
  const vault = await unlocked(t, path);
  assert.equal(vault.schemaVersion(), SCHEMA_VERSION);
  assert.equal(SCHEMA_VERSION >= 7, true);
  const [step, ...more] = steps(vault);
  assert.deepEqual(more, []);
  assert.deepEqual(step!.details, { schema: SCHEMA_VERSION, records: { recipients: 3 } });
  const verified = verifyVault(vault);
  assert.equal(verified.ok, true, verificationLines(verified).join('\n'));
  assert.deepEqual(
    recipientsOf(vault).map((r) => [r.id, r.kind, r.name, r.email, r.phone, r.description, r.sid, r.account]),
    [
      [1, 'person', 'Anna Old', 'anna@fixture.example', '+49 30 1234567', 'Accounts, room 4', null, null],
      [2, 'device', 'laptop-17', null, null, null, null, null],
      [3, 'person', 'Ben Sid', 'ben@fixture.example', null, null, null, null],
    ],
  );
  // Every recipient is used as an authenticated record: issuing to Anna again links her record and stores her account.
  const { record } = await issueCertificate(vault, { ca: 'Fixture Root', profile: 'user', name: 'Anna Old', sans: [{ type: 'email', value: 'anna@fixture.example' }], keyType: 'ec-p256', recipient: { account: 'anna.old' } });
  assert.deepEqual([record.recipient?.id, record.recipient?.account, record.recipient?.phone], [1, 'anna.old', '+49 30 1234567']);
  // Ben's SID stays where version 6 kept it, in his certificate; his recipient has none, so the script names the SID.
  const [ben] = selectForAdMapping(vault, { certificates: ['id:4'] });
  assert.deepEqual([ben!.holder, ben!.account], ['Ben Sid', null]);
  assert.match(formatAdMappings([ben!], 'powershell'), new RegExp(`\nSet-ADUser -Identity '${BEN_SID}' -Add`));
  assert.equal(verifyVault(vault).ok, true);
  vault.close();

  // The second unlock does not run the step again, and everything still verifies.
  const again = await unlocked(t, path);
  assert.equal(steps(again).length, 1);
  assert.equal(verifyVault(again).ok, true, verificationLines(verifyVault(again)).join('\n'));
  assert.equal(recipientAccountOf(again, 1), 'anna.old');
});

test('a SID written into a version-6 recipient before the first unlock is not authenticated: it is refused with VAULT_TAMPERED', async (t) => {
  const path = copyOfFixture(t);
  // Opening migrates the file to schema 7 (no key needed); the SID is then written outside CertDesk.
  opened(t, path).close();
  edit(path, 'UPDATE recipients SET sid = ? WHERE id = 3', OTHER_SID);
  const vault = await unlocked(t, path);
  const [step] = steps(vault);
  assert.deepEqual(step!.details, { schema: SCHEMA_VERSION, records: { recipients: 2 }, leftUnauthenticated: 1 });
  assert.deepEqual(verificationLines(verifyVault(vault)), ['recipients: recipient 3 (Ben Sid): does not match its MAC: changed outside CertDesk']);
  await assert.rejects(
    issueCertificate(vault, { ca: 'Fixture Root', profile: 'user', name: 'Ben Sid', sans: [{ type: 'email', value: 'ben@fixture.example' }], keyType: 'ec-p256' }),
    certErr('VAULT_TAMPERED', 'recipient 3 (Ben Sid) in table recipients does not match its MAC'),
  );
  assert.throws(() => selectForAdMapping(vault, { certificates: ['id:4'] }), certErr('VAULT_TAMPERED', 'recipient 3 (Ben Sid) in table recipients does not match its MAC'));
  // The others were upgraded and are used.
  assert.equal(recipientAccountOf(vault, 1), null);
  vault.close();
  // It stays refused: the step does not run again to launder it.
  const again = await unlocked(t, path);
  assert.equal(steps(again).length, 1);
  assert.throws(() => recipientAccountOf(again, 3), certErr('VAULT_TAMPERED', 'recipient 3 (Ben Sid)'));
});

test('a version-6 recipient changed before the upgrade stays refused; one whose SID is changed after it is refused too', async (t) => {
  const path = copyOfFixture(t);
  edit(path, `UPDATE recipients SET email = 'anna@attacker.example' WHERE id = 1`);
  const vault = await unlocked(t, path);
  assert.deepEqual(steps(vault)[0]!.details, { schema: SCHEMA_VERSION, records: { recipients: 2 }, leftUnauthenticated: 1 });
  assert.throws(() => recipientAccountOf(vault, 1), certErr('VAULT_TAMPERED', 'recipient 1 (Anna Old) in table recipients does not match its MAC'));
  assert.equal(recipientAccountOf(vault, 2), null);
  vault.close();

  edit(path, 'UPDATE recipients SET sid = ? WHERE id = 2', OTHER_SID);
  const again = await unlocked(t, path);
  assert.equal(steps(again).length, 1);
  assert.throws(() => recipientAccountOf(again, 2), certErr('VAULT_TAMPERED', 'recipient 2 (laptop-17) in table recipients does not match its MAC'));
});

test('a version-6 vault whose audit chain does not verify re-authenticates no recipient', async (t) => {
  const path = copyOfFixture(t);
  edit(path, `UPDATE audit SET details = '{}' WHERE seq = 2`);
  const vault = await unlocked(t, path);
  assert.deepEqual(steps(vault), []);
  assert.throws(() => recipientAccountOf(vault, 3), certErr('VAULT_TAMPERED', 'recipient 3 (Ben Sid)'));
});
