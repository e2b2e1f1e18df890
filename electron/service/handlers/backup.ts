// Backups (issue 15): vault.backup writes an encrypted, verified backup to the file the officer picked in a save
// dialog this session; vault.backupStatus and vault.setBackupReminder serve the Settings screen's Backups section.
import type { BackupStatusView, Handlers } from '../../../shared/api.js';
import { createBackup } from '../../core/backup/create-backup.js';
import { backupStatus, setBackupReminderDays } from '../../core/backup/status.js';
import type { Vault } from '../../core/vault/vault.js';
import type { ServiceSession } from '../session.js';

const status = (vault: Vault): BackupStatusView => backupStatus(vault);

export function backupHandlers(s: ServiceSession): Handlers<'vault.backup' | 'vault.backupStatus' | 'vault.setBackupReminder'> {
  return {
    'vault.backup': async ({ passphrase, file }) => {
      // Only the file a save dialog answered: a renderer cannot have the backup written anywhere else.
      s.grants.check(file, 'file', 'exact-file');
      const vault = s.unlocked();
      const result = await createBackup(vault, passphrase, file);
      return { file: result.file, bytes: result.bytes, verifiedAt: result.verifiedAt, counts: result.manifest.counts, status: status(vault) };
    },
    'vault.backupStatus': () => status(s.unlocked()),
    'vault.setBackupReminder': ({ days }) => {
      const vault = s.unlocked();
      setBackupReminderDays(vault, days);
      return status(vault);
    },
  };
}
