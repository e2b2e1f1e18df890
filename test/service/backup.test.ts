// The Settings screen's Backups section through the typed API (issue 15): vault.backup writes only to the file a
// save dialog answered, never over an existing file, and records the verified backup; vault.backupStatus and
// vault.setBackupReminder report and set the reminder.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { verifyBackupFile } from '../../electron/core/backup/verify-backup.js';
import { call, refusalOf } from '../helpers/in-memory-api.js';
import { newService } from '../helpers/service.js';

const PASSPHRASE = 'backup channel passphrase';

test('vault.backup: only to the file a save dialog answered, never over a file; status and reminder', async (t) => {
  const svc = newService(t, { grantDir: false });
  const { api, dir, clock } = svc;
  await call(api, 'vault.create', { passphrase: PASSPHRASE });
  await call(api, 'ca.create', { name: 'Root', subject: 'CN=Service Backup Root', keyType: 'ec-p256' });

  const before = await call(api, 'vault.backupStatus', {});
  assert.deepEqual(before, { lastVerifiedBackup: null, lastIssuedAt: clock.iso(), reminderDays: 7, reminderDue: true, reason: 'no verified backup of this vault yet' });

  const file = join(dir, 'stick', 'ca.certdesk-backup');
  mkdirSync(join(dir, 'stick'));
  assert.deepEqual(await refusalOf(call(api, 'vault.backup', { passphrase: PASSPHRASE, file })), {
    code: 'INVALID_INPUT',
    message: `file: ${file} was not chosen in a dialog this session (this file must be the one a save or open dialog answered, not only a place in a chosen folder); choose the file with its Choose… button`,
  });
  assert.equal(existsSync(file), false);

  svc.session.grants.grantFile(file); // as the save dialog answers it
  assert.deepEqual(await refusalOf(call(api, 'vault.backup', { passphrase: 'not the passphrase', file })), {
    code: 'VAULT_WRONG_PASSPHRASE',
    message: `wrong passphrase: it does not open the vault ${svc.session.vaultPath}`,
  });
  assert.equal(existsSync(file), false);

  const done = await call(api, 'vault.backup', { passphrase: PASSPHRASE, file });
  assert.equal(done.file, file);
  assert.deepEqual(done.counts, { cas: 1, certificates: 0 });
  assert.equal(done.verifiedAt, clock.iso());
  assert.equal(done.bytes, readFileSync(file).length);
  assert.deepEqual(done.status.lastVerifiedBackup?.at, clock.iso());
  assert.equal(done.status.reminderDue, false);
  assert.equal((await verifyBackupFile(file, PASSPHRASE)).verification.ok, true);

  // A save dialog that answered an existing file (the officer confirmed "replace"): still never overwritten.
  const existing = join(dir, 'stick', 'old.certdesk-backup');
  writeFileSync(existing, 'an older backup');
  svc.session.grants.grantFile(existing);
  assert.equal((await refusalOf(call(api, 'vault.backup', { passphrase: PASSPHRASE, file: existing }))).code, 'IO_ERROR');
  assert.equal(readFileSync(existing, 'utf8'), 'an older backup');

  const set = await call(api, 'vault.setBackupReminder', { days: 2 });
  assert.equal(set.reminderDays, 2);
  clock.advance(3 * 86_400_000);
  const due = await call(api, 'vault.backupStatus', {});
  assert.deepEqual([due.reminderDue, due.reason], [true, 'the last verified backup is more than 2 days old']);
  assert.deepEqual(await refusalOf(call(api, 'vault.setBackupReminder', { days: 0 })), {
    code: 'INVALID_INPUT',
    message: 'vault.setBackupReminder: days: Too small: expected number to be >=1',
  });
});
