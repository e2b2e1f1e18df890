// Restore in the app (issue 15): vault.restore reads a backup file the officer picked in an open dialog, and
// restores it (restore-backup.ts: verified, then verified again on disk) into a new vault file a save dialog
// answered; never over an existing file (the engine refuses with VAULT_EXISTS). Works with no vault open or
// unlocked: the restored vault is a file of its own, which the window then offers to open (vault.open).
import type { Handlers } from '../../../shared/api.js';
import { restoreBackup } from '../../core/backup/restore-backup.js';
import type { ServiceSession } from '../session.js';

export function restoreHandlers(s: ServiceSession): Handlers<'vault.restore'> {
  return {
    'vault.restore': async ({ file, vault, passphrase }) => {
      s.reads.check(file, 'file');
      // Only the file a save dialog answered: a renderer cannot have a vault written anywhere else.
      s.grants.check(vault, 'vault', 'exact-file');
      const r = await restoreBackup(file, passphrase, vault, s.vaultOptions);
      return { vault: r.vault, backupCreatedAt: r.manifest.createdAt, counts: { cas: r.manifest.counts.cas, certificates: r.manifest.counts.certificates }, recordsChecked: r.recordsChecked };
    },
  };
}
