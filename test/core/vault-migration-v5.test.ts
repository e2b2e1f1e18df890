// Upgrading a vault made at schema version 5 (test/fixtures/vault-v5.certdesk, make-vault-v5.mjs says how):
// its records carried MACs, but its pending deliveries and batch resume markers did not. At the first
// unlock after the upgrade those rows get their MACs, once, and the audit log says so; rows without a MAC
// that appear afterwards, or in a vault made with MACs on them, are never authenticated.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, type TestContext } from 'node:test';
import { listPending } from '../../electron/core/delivery/pending.js';
import { runBatch } from '../../electron/core/batch/run-batch.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { listAudit } from '../../electron/core/vault/audit.js';
import { DELIVERIES_AUTHENTICATED } from '../../electron/core/vault/record-upgrade.js';
import { SCHEMA_VERSION } from '../../electron/core/vault/schema.js';
import { verificationLines, verifyVault } from '../../electron/core/vault/vault-verify.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { certdeskAsync } from '../helpers/cli.js';
import { certErr, PASSPHRASE, TestClock, vaultOptions } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/vault-v5.certdesk', import.meta.url));
const PASS = 'fixture passphrase v5';
const CSV = 'name,email\nAnna Batch,anna@fixture.example\nBen Batch,ben@fixture.example\n';

function copyOfFixture(t: TestContext): { path: string; dir: string } {
  const dir = tempDir(t);
  const path = join(dir, 'v5.certdesk');
  copyFileSync(FIXTURE, path);
  return { path, dir };
}

async function unlocked(t: TestContext, path: string, pass = PASS): Promise<Vault> {
  const vault = Vault.open(path, vaultOptions(new TestClock('2026-02-01T12:00:00.000Z')));
  t.after(() => vault.close());
  await vault.unlock(pass);
  return vault;
}

const steps = (v: Vault) => listAudit(v.db, { limit: 1000 }).filter((e) => e.action === DELIVERIES_AUTHENTICATED);
const nullMacs = (db: Database.Database, table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE mac IS NULL`).get() as { n: number }).n;

test('the version-5 fixture is what CertDesk 5 wrote: markers and deliveries without MAC columns', (t) => {
  const db = new Database(copyOfFixture(t).path, { readonly: true });
  try {
    assert.equal(db.pragma('user_version', { simple: true }), 5);
    for (const table of ['deliveries', 'batch_items']) {
      const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
      assert.equal(columns.includes('mac'), false, table);
    }
    assert.equal((db.prepare('SELECT count(*) AS n FROM batch_items').get() as { n: number }).n, 2);
    assert.equal((db.prepare(`SELECT count(*) AS n FROM deliveries WHERE state = 'pending'`).get() as { n: number }).n, 1);
  } finally {
    db.close();
  }
});

test('a version-5 vault is upgraded: its markers and deliveries are authenticated once, audited, and used', async (t) => {
  const { path, dir } = copyOfFixture(t);
  const vault = await unlocked(t, path);
  assert.equal(vault.schemaVersion(), SCHEMA_VERSION);
  assert.equal(nullMacs(vault.db, 'deliveries'), 0);
  assert.equal(nullMacs(vault.db, 'batch_items'), 0);
  const [step, ...more] = steps(vault);
  assert.deepEqual(more, []);
  assert.deepEqual(step!.details, { schema: SCHEMA_VERSION, records: { deliveries: 3, batch_items: 2 } });
  const verified = verifyVault(vault);
  assert.equal(verified.ok, true, verificationLines(verified).join('\n'));

  // The pending PEM delivery is listed and usable (before: refused as having no MAC).
  assert.deepEqual(
    listPending(vault).map((p) => [p.kind, p.holder, p.target]),
    [['pem', 'Carl Pending', '/nonexistent/carl.pem']],
  );
  // Re-running the batch the old version finished: both rows are done already, nothing is issued again.
  const before = (vault.db.prepare('SELECT count(*) AS n FROM certificates').get() as { n: number }).n;
  const report = await runBatch(vault, { ca: 'Fixture Root', profile: 'user', csv: new TextEncoder().encode(CSV), sourceName: 'people.csv', outDir: dir, passwordsFile: join(tempDir(t), 'p.csv'), keyType: 'ec-p256', workers: 1 });
  assert.equal(report.alreadyDone, 2);
  assert.equal(report.issued, 0);
  assert.equal((vault.db.prepare('SELECT count(*) AS n FROM certificates').get() as { n: number }).n, before);
  vault.close();

  // The second unlock does not run the step again.
  const again = await unlocked(t, path);
  assert.equal(steps(again).length, 1);
});

test('after the upgrade, a marker without a MAC is never authenticated: it is reported and refuses the batch', async (t) => {
  const { path, dir } = copyOfFixture(t);
  (await unlocked(t, path)).close();
  const db = new Database(path);
  // Marks Ben's row as not delivered, the way an old copy of the row would read: a re-run would hand his bundle out again.
  db.prepare('UPDATE batch_items SET delivered_at = NULL, mac = NULL WHERE certificate_id = 3').run();
  db.close();
  const vault = await unlocked(t, path);
  assert.equal(steps(vault).length, 1, 'the step does not run twice');
  assert.equal(nullMacs(vault.db, 'batch_items'), 1);
  assert.ok(verificationLines(verifyVault(vault)).some((l) => l.startsWith('batch_items: batch row') && l.includes('has no MAC')));
  await assert.rejects(
    runBatch(vault, { ca: 'Fixture Root', profile: 'user', csv: new TextEncoder().encode(CSV), sourceName: 'people.csv', outDir: dir, passwordsFile: join(tempDir(t), 'p.csv'), keyType: 'ec-p256', workers: 1 }),
    certErr('VAULT_TAMPERED', 'batch row', 'has no MAC'),
  );
});

test('a vault made with MACs on its deliveries never authenticates a delivery row added without one', async (t) => {
  const path = join(tempDir(t), 'new.certdesk');
  const vault = await createVault(path, PASSPHRASE, vaultOptions(new TestClock('2026-02-01T12:00:00.000Z')));
  await createCa(vault, { name: 'Root', subject: 'CN=Root,C=DE', keyType: 'ec-p256', days: 3650 });
  const { record } = await issueCertificate(vault, { ca: 'Root', profile: 'user', name: 'Dora', sans: [{ type: 'email', value: 'dora@example.com' }], keyType: 'ec-p256' });
  vault.close();
  const db = new Database(path);
  // A delivery that would write Dora's certificate wherever the attacker likes, without a MAC.
  db.prepare(`INSERT INTO deliveries (kind, operation, state, certificate_id, target, created_at) VALUES ('pem', 'issue', 'pending', ?, '/tmp/elsewhere.pem', '2026-02-01T12:00:00.000Z')`).run(record.id);
  db.close();
  const reopened = Vault.open(path, vaultOptions(new TestClock('2026-02-01T12:00:00.000Z')));
  t.after(() => reopened.close());
  await reopened.unlock(PASSPHRASE);
  assert.equal(steps(reopened).length, 0);
  assert.equal(nullMacs(reopened.db, 'deliveries'), 1);
  assert.throws(() => listPending(reopened), certErr('VAULT_TAMPERED', 'delivery', 'has no MAC'));
});

test('three CertDesk processes opening and unlocking the version-5 vault at once: it is migrated and authenticated once, and none of them sees a false alarm', { timeout: 120_000 }, async (t) => {
  for (let round = 0; round < 4; round++) {
    const { path, dir } = copyOfFixture(t);
    const env = { CERTDESK_VAULT: path, CERTDESK_PASSPHRASE: PASS };
    const runs = await Promise.all([0, 1, 2].map(() => certdeskAsync(['vault', 'verify'], env, dir)));
    for (const r of runs) assert.equal(r.status, 0, `round ${round}: ${r.stdout}${r.stderr}`);
    const vault = await unlocked(t, path);
    assert.equal(steps(vault).length, 1, `round ${round}: the deliveries were authenticated once`);
    assert.equal(listAudit(vault.db, { limit: 1000 }).filter((e) => e.action === 'profile.builtin-added').length, 1, `round ${round}: the kdc profile was added once`);
    assert.equal(verifyVault(vault).ok, true);
    vault.close();
  }
});
