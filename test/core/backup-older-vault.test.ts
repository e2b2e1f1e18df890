// A backup made by an older CertDesk holds a vault of an older format (issue 15): backup verify migrates and
// unlocks a private copy in memory (the stored image is not changed) and verifies it; restore writes the image
// and opens it as any vault is opened, so the new vault is at the current format and verifies. Built here from
// the schema-6 fixture (test/fixtures/vault-v6.certdesk) with the same sealing createBackup uses.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { sealBackup } from '../../electron/core/backup/create-backup.js';
import { restoreBackup } from '../../electron/core/backup/restore-backup.js';
import { vaultCounts } from '../../electron/core/backup/snapshot.js';
import { openBackup } from '../../electron/core/backup/verify-backup.js';
import { SCHEMA_VERSION } from '../../electron/core/vault/schema.js';
import { verifyVault } from '../../electron/core/vault/vault-verify.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { certErr, TEST_KDF, TestClock, vaultOptions } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/vault-v6.certdesk', import.meta.url));
const PASS = 'fixture passphrase v6';

test('a backup of a schema-6 vault verifies (migrated in memory) and restores into a current vault', async (t) => {
  const image = readFileSync(FIXTURE);
  image[18] = 1; // as snapshot.ts hands it over: rollback journal, not WAL
  image[19] = 1;
  assert.equal(image.readInt32BE(60), 6);
  const db = new Database(Buffer.from(image), { readonly: true });
  const counts = vaultCounts(db);
  const vaultCreatedAt = (db.prepare("SELECT value FROM meta WHERE key = 'created_at'").get() as { value: string }).value;
  db.close();
  const manifest = {
    certdeskSchema: 6,
    createdAt: '2026-01-15T09:00:00.000Z',
    vaultCreatedAt,
    counts,
    payloadSha256: createHash('sha256').update(image).digest('hex'),
    payloadBytes: image.length,
  };
  const bytes = await sealBackup(image, manifest, PASS, TEST_KDF);
  const untouched = Buffer.from(image);

  const opened = await openBackup(bytes, 'v6.certdesk-backup', PASS, vaultOptions(new TestClock('2026-02-01T12:00:00.000Z')));
  assert.equal(opened.verification.ok, true);
  assert.deepEqual(opened.manifest, manifest);
  assert.ok(opened.verification.records.checked > 0);
  assert.deepEqual(opened.image, untouched, 'verification changed nothing in the image it returns');
  await assert.rejects(openBackup(bytes, 'v6.certdesk-backup', 'not the passphrase'), certErr('VAULT_WRONG_PASSPHRASE', 'wrong passphrase for v6.certdesk-backup'));

  const dir = tempDir(t);
  const file = join(dir, 'v6.certdesk-backup');
  writeFileSync(file, bytes);
  const clock = new TestClock('2026-02-01T12:00:00.000Z');
  const restored = await restoreBackup(file, PASS, join(dir, 'restored.certdesk'), vaultOptions(clock));
  const vault = Vault.open(restored.vault, vaultOptions(clock));
  t.after(() => vault.close());
  assert.equal(vault.schemaVersion(), SCHEMA_VERSION);
  await vault.unlock(PASS);
  assert.equal(verifyVault(vault).ok, true);
  assert.deepEqual(vaultCounts(vault.db), counts);
});
