// Upgrading a vault: a version-1 vault opened by this CertDesk is migrated forward in place and keeps everything.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { exportBundle } from '../../electron/core/export/export-bundle.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { getProfile, listCertificates } from '../../electron/core/issuance/records.js';
import { SCHEMA_VERSION } from '../../electron/core/vault/schema.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { tempDir } from '../helpers/tmp.js';

const KDF = { alg: 'scrypt', N: 2 ** 12, r: 8, p: 1 } as const;
const PASS = 'migration passphrase';

test('a version-1 vault is migrated to the current schema with its certificates, keys and audit chain intact', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'v.certdesk');
  const v = await Vault.create(path, PASS, { kdf: KDF });
  await createCa(v, { name: 'Root', subject: 'CN=Old Root', keyType: 'ec-p256' });
  const { record } = await issueCertificate(v, { ca: 'Root', profile: 'user', name: 'Old Holder', sans: [{ type: 'upn', value: 'old@corp.example' }], keyType: 'ec-p256' });
  v.close();

  // Turn it back into what version 1 wrote: no exports table, profiles without PFX and password fields.
  const db = new Database(path);
  db.exec('DROP TABLE exports; DROP TABLE batch_items; DROP TABLE batches; DROP INDEX certificates_renewed_from; DROP INDEX certificates_ca_expiry; DROP INDEX certificates_status_expiry; ALTER TABLE certificates DROP COLUMN renewed_from; ALTER TABLE certificates DROP COLUMN superseded_by;');
  for (const row of db.prepare('SELECT id, definition FROM profiles').all() as { id: string; definition: string }[]) {
    const { pfxEncryption: _e, passwordRule: _r, renewSameKey: _k, ...v1 } = JSON.parse(row.definition) as Record<string, unknown>;
    db.prepare('UPDATE profiles SET definition = ? WHERE id = ?').run(JSON.stringify(v1), row.id);
  }
  db.pragma('user_version = 1');
  db.close();

  const upgraded = Vault.open(path);
  t.after(() => upgraded.close());
  assert.equal(upgraded.schemaVersion(), SCHEMA_VERSION);
  await upgraded.unlock(PASS);
  assert.equal(getProfile(upgraded, 'user').passwordRule.length, 16);
  assert.equal(getProfile(upgraded, 'user').pfxEncryption, 'modern');
  assert.equal(getProfile(upgraded, 'server').renewSameKey, true);
  assert.equal(getProfile(upgraded, 'user').renewSameKey, false);
  assert.deepEqual(listCertificates(upgraded, { kind: 'end-entity' }).map((c) => c.sha256), [record.sha256]);
  assert.equal(upgraded.verifyAudit().ok, true);
  const out = join(dir, 'out');
  mkdirSync(out);
  const exported = await exportBundle(upgraded, { cert: String(record.id), outDir: out });
  assert.equal(exported.summary.files.length > 5, true, 'the key kept under version 1 still exports');
});
