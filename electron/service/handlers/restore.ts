// Restore in the app (issue 15): vault.restore reads a backup file the officer picked in an open dialog, and
// restores it (restore-backup.ts: verified, then verified again on disk) into a new vault file a save dialog
// answered; never over an existing file (the engine refuses with VAULT_EXISTS). Works with no vault open or
// unlocked: the restored vault is a file of its own, which the window then offers to open (vault.open).
// A backup made with shares also restores with K backup share files (each picked in an open dialog, with its
// holder's passphrase) and the restored vault's new passphrase, as certdesk restore --share does.
import type { Handlers } from '../../../shared/api.js';
import { restoreBackup, type ShareRestore } from '../../core/backup/restore-backup.js';
import { readInputFile } from '../../core/read-input.js';
import type { ServiceSession } from '../session.js';
import { inWindowWords } from '../split-request.js';

export function restoreHandlers(s: ServiceSession): Handlers<'vault.restore'> {
  return {
    'vault.restore': async ({ file, vault, passphrase, shares, newPassphrase }) => {
      s.reads.check(file, 'file');
      shares?.forEach((sh, i) => s.reads.check(sh.file, `shares[${i}].file`));
      // Only the file a save dialog answered: a renderer cannot have a vault written anywhere else.
      s.grants.check(vault, 'vault', 'exact-file');
      // The schema lets exactly one through: the passphrase, or the shares with the new passphrase.
      const inputs = (shares ?? []).map((sh) => ({ data: readInputFile(sh.file, 'secret', 'share file'), label: sh.file, passphrase: sh.passphrase }));
      const key: string | ShareRestore = shares ? { shares: inputs, newPassphrase: newPassphrase! } : passphrase!;
      const r = await inWindowWords(() => `The backup ${file}`, inputs, () => restoreBackup(file, key, vault, s.vaultOptions));
      const summary = { vault: r.vault, backupCreatedAt: r.manifest.createdAt, counts: { cas: r.manifest.counts.cas, certificates: r.manifest.counts.certificates }, recordsChecked: r.recordsChecked };
      return r.holders ? { ...summary, holders: r.holders } : summary;
    },
  };
}
