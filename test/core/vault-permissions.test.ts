// The vault is owner-only: the file 0600 from its first byte, SQLite's -wal and -shm the same, the folder
// CertDesk makes for it 0700, CertDesk's own data folder tightened to 0700, and an older vault written 0644
// tightened when it is opened. A folder the officer chose keeps its permissions.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createCa } from '../../electron/core/issuance/cas.js';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { defaultDataDir, defaultVaultPath, prepareVaultFolder } from '../../electron/core/vault/location.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { PASSPHRASE, TEST_KDF } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';

const mode = (p: string) => statSync(p).mode & 0o777;
const octal = (m: number) => `0${m.toString(8)}`;

test('a new vault is 0600 in a 0700 folder CertDesk made, and its -wal and -shm are 0600', { skip: process.platform === 'win32' && 'file modes do not apply on Windows' }, async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'made', 'by', 'certdesk', 'v.certdesk');
  const vault = await createVault(path, PASSPHRASE, { kdf: { ...TEST_KDF } });
  t.after(() => vault.close());
  await createCa(vault, { name: 'Root', subject: 'CN=Mode Root', keyType: 'ec-p256', days: 365 });
  assert.equal(octal(mode(path)), '0600', 'vault file');
  for (const companion of ['-wal', '-shm']) {
    assert.ok(existsSync(path + companion), `${companion} exists while the vault is open`);
    assert.equal(octal(mode(path + companion)), '0600', `vault ${companion}`);
  }
  assert.equal(octal(mode(join(dir, 'made', 'by', 'certdesk'))), '0700', 'the folder CertDesk created');
  assert.equal(octal(mode(join(dir, 'made'))), '0700', 'and its parents');
});

test('an existing folder the officer chose keeps its mode; CertDesk\'s own data folder is tightened to 0700', { skip: process.platform === 'win32' && 'file modes do not apply on Windows' }, async (t) => {
  const dir = tempDir(t);
  const chosen = join(dir, 'shared');
  mkdirSync(chosen, { mode: 0o755 });
  chmodSync(chosen, 0o755);
  const vault = await createVault(join(chosen, 'v.certdesk'), PASSPHRASE, { kdf: { ...TEST_KDF } });
  vault.close();
  assert.equal(octal(mode(chosen)), '0755');
  assert.equal(octal(mode(join(chosen, 'v.certdesk'))), '0600');

  const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config') };
  const data = defaultDataDir(env, 'linux');
  mkdirSync(data, { recursive: true, mode: 0o755 });
  chmodSync(data, 0o755);
  prepareVaultFolder(defaultVaultPath(env), env);
  if (process.platform === 'linux') assert.equal(octal(mode(data)), '0700', 'the default data folder');
});

test('a vault written 0644 by an earlier CertDesk, and its -wal, are tightened to 0600 when opened', { skip: process.platform === 'win32' && 'file modes do not apply on Windows' }, async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'old.certdesk');
  (await createVault(path, PASSPHRASE, { kdf: { ...TEST_KDF } })).close();
  chmodSync(path, 0o644);
  const vault = Vault.open(path);
  t.after(() => vault.close());
  assert.equal(octal(mode(path)), '0600');
  await vault.unlock(PASSPHRASE);
  await createCa(vault, { name: 'Root', subject: 'CN=Old Root', keyType: 'ec-p256', days: 365 });
  assert.equal(octal(mode(path + '-wal')), '0600');
});
