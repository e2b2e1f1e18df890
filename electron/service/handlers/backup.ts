// Backups (issue 15): vault.backup writes an encrypted, verified backup to the file the officer picked in a save
// dialog this session (with `shares`, also restorable with K of N backup shares written into a folder a folder
// dialog answered, as certdesk backup --shares does); vault.backupStatus and vault.setBackupReminder serve the Settings screen's Backups section.
import type { BackupStatusView, Handlers } from '../../../shared/api.js';
import { createBackup } from '../../core/backup/create-backup.js';
import { backupStatus, setBackupReminderDays } from '../../core/backup/status.js';
import type { Vault } from '../../core/vault/vault.js';
import type { ServiceSession } from '../session.js';
import { sharesWritten, splitRequestOf } from '../split-request.js';

const status = (vault: Vault): BackupStatusView => backupStatus(vault);

export function backupHandlers(s: ServiceSession): Handlers<'vault.backup' | 'vault.backupStatus' | 'vault.setBackupReminder'> {
  return {
    'vault.backup': async ({ passphrase, file, shares }) => {
      // Only the file a save dialog answered: a renderer cannot have the backup written anywhere else.
      s.grants.check(file, 'file', 'exact-file');
      const split = shares ? splitRequestOf(shares, s.grants) : undefined;
      const vault = s.unlocked();
      const result = await createBackup(vault, passphrase, file, undefined, split ? { shares: split } : {});
      const summary = { file: result.file, bytes: result.bytes, verifiedAt: result.verifiedAt, counts: result.manifest.counts, status: status(vault) };
      return result.shares ? { ...summary, shares: sharesWritten(result.shares) } : summary;
    },
    'vault.backupStatus': () => status(s.unlocked()),
    'vault.setBackupReminder': ({ days }) => {
      const vault = s.unlocked();
      setBackupReminderDays(vault, days);
      return status(vault);
    },
  };
}
