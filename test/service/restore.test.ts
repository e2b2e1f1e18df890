// Restore through the typed API (issue 15): vault.restore reads only a backup file an open dialog answered
// (dialog.openFile's read grant) and writes only the new vault file a save dialog answered; never over an
// existing file (the engine's VAULT_EXISTS message), nothing written on a wrong passphrase; it works with the
// current vault locked, and the restored vault opens (vault.open) and unlocks with the backup's passphrase.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { call, refusalOf } from '../helpers/in-memory-api.js';
import { newService } from '../helpers/service.js';

const PASSPHRASE = 'restore channel passphrase';

test('vault.restore: only picked files, never over a file, nothing on a wrong passphrase; the restored vault opens', { timeout: 60_000 }, async (t) => {
  const svc = newService(t, { grantDir: false });
  const { api, dir, session } = svc;
  await call(api, 'vault.create', { passphrase: PASSPHRASE });
  await call(api, 'ca.create', { name: 'Root', subject: 'CN=Restore Channel Root', keyType: 'ec-p256' });
  const backup = join(dir, 'vault.certdesk-backup');
  session.grants.grantFile(backup);
  const made = await call(api, 'vault.backup', { passphrase: PASSPHRASE, file: backup });
  await call(api, 'vault.lock', {});

  const target = join(dir, 'restored.certdesk');
  const request = { file: backup, vault: target, passphrase: PASSPHRASE };
  // The backup was written here, not picked in an open dialog: a write grant is not a read grant.
  assert.deepEqual(await refusalOf(call(api, 'vault.restore', request)), {
    code: 'INVALID_INPUT',
    message: `file: ${backup} was not picked in an open dialog this session; choose the file with its Choose… button`,
  });
  session.reads.grantFile(backup); // as dialog.openFile answers it
  // A path with '..' is never one a dialog answered, even where it leads to the picked file.
  const dotted = `${dir}/sub/../vault.certdesk-backup`;
  assert.equal(session.reads.allows(dotted), false);
  assert.equal((await refusalOf(call(api, 'vault.restore', { ...request, file: dotted }))).code, 'INVALID_INPUT');
  assert.deepEqual(await refusalOf(call(api, 'vault.restore', request)), {
    code: 'INVALID_INPUT',
    message: `vault: ${target} was not chosen in a dialog this session (this file must be the one a save or open dialog answered, not only a place in a chosen folder); choose the file with its Choose… button`,
  });
  // A read grant never allows writing: the picked backup is not a vault target.
  assert.equal((await refusalOf(call(api, 'vault.backup', { passphrase: PASSPHRASE, file: join(dir, 'other.certdesk-backup') }))).code, 'INVALID_INPUT');

  const existing = join(dir, 'existing.certdesk');
  writeFileSync(existing, 'not to be replaced');
  session.grants.grantFile(existing);
  assert.deepEqual(await refusalOf(call(api, 'vault.restore', { ...request, vault: existing })), {
    code: 'VAULT_EXISTS',
    message: `a file already exists at ${existing}: restore never writes over a vault or any other file; name a new vault file`,
  });
  assert.equal(readFileSync(existing, 'utf8'), 'not to be replaced');

  session.grants.grantFile(target); // as the save dialog answers it
  const before = readdirSync(dir).sort();
  assert.deepEqual(await refusalOf(call(api, 'vault.restore', { ...request, passphrase: 'not the passphrase at all' })), {
    code: 'VAULT_WRONG_PASSPHRASE',
    message: `wrong passphrase for ${backup}: its key does not open with it (if the passphrase is right, the backup's key section was altered)`,
  });
  assert.deepEqual(readdirSync(dir).sort(), before, 'nothing written');

  const restored = await call(api, 'vault.restore', request);
  assert.equal(restored.vault, target);
  assert.deepEqual(restored.counts, made.counts);
  assert.ok(restored.recordsChecked > 0);
  assert.equal(typeof restored.backupCreatedAt, 'string');
  assert.ok(existsSync(target));
  // The current vault stayed as it was (locked); the restored one opens and unlocks with the backup's passphrase.
  assert.equal((await call(api, 'session.status', {})).state, 'locked');
  const opened = await call(api, 'vault.open', { path: target });
  assert.deepEqual([opened.state, opened.vaultPath], ['locked', target]);
  await call(api, 'vault.unlock', { passphrase: PASSPHRASE });
  assert.deepEqual((await call(api, 'ca.list', {})).map((c) => c.name), ['Root']);
  const verified = await call(api, 'audit.verify', {});
  assert.equal(verified.ok, true);
  // Restoring again into the same file is refused: it exists now.
  assert.equal((await refusalOf(call(api, 'vault.restore', request))).code, 'VAULT_EXISTS');
});
