// "certdesk restore FILE --vault NEW": a verified backup (verify-backup.ts) written into a new vault file, never
// over an existing one. The image goes to an owner-only temporary sibling, is flushed, opened as a vault (the
// same opener as any vault: schema check, migrations of an older vault format), unlocked with the passphrase,
// verified again on disk, given the audit entry "vault.restore", closed, and only then renamed into place.
// With K backup shares instead of the passphrase (a backup made with --shares), the image comes out of the
// backup's shares slot already rewrapped under the officer's new vault passphrase (share-slot.ts rekeyImage).
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { CertDeskError } from '../../../shared/errors.js';
import { SQLITE_COMPANIONS } from '../vault/file-modes.js';
import { prepareVaultFolder } from '../vault/location.js';
import { verificationLines, verifyVault } from '../vault/vault-verify.js';
import { Vault, type VaultOptions } from '../vault/vault.js';
import type { BackupManifest } from './format.js';
import { openBackup, openBackupWithShares, readBackupFile, type OpenedBackup } from './verify-backup.js';
import type { ShareInput } from '../quorum/combine.js';
import { checkNewPassphrase } from '../vault/passphrase-rule.js';
import { ioError, nodeFileSink } from '../files.js';
import { moveIntoPlace, tmpSibling } from './write-new.js';

export interface RestoreResult {
  /** The new vault file (absolute). */
  vault: string;
  manifest: BackupManifest;
  /** Records "vault verify" checked in the restored vault. */
  recordsChecked: number;
  /** Restored with backup shares: the holders whose shares opened it (the vault then has the new passphrase). */
  holders?: string[];
}

function exists(path: string): CertDeskError {
  return new CertDeskError('VAULT_EXISTS', `a file already exists at ${path}: restore never writes over a vault or any other file; name a new vault file`, { path });
}

/**
 * Restoring with K backup shares instead of the vault passphrase (a backup made with shares): the shares open
 * the backup's shares slot, and the restored vault gets `newPassphrase` (the vault passphrase rule applies, as
 * for a new vault; the old passphrase keeps nothing open).
 */
export interface ShareRestore {
  shares: ShareInput[];
  newPassphrase: string;
}

/**
 * Restores the backup `file` into the new vault file `target`.
 * @param key the vault passphrase the backup was made with (the restored vault keeps it), or K backup shares
 *   and the restored vault's new passphrase (ShareRestore)
 * @param opts the restored vault's clock (tests), and with shares the new passphrase's scrypt cost (else the vault's)
 * @throws CertDeskError VAULT_EXISTS when `target` exists (checked before and again just before the rename);
 *   INVALID_INPUT for a new passphrase the rule refuses (before any share is opened); what openBackup or
 *   openBackupWithShares throw (nothing is written then); VAULT_TAMPERED when the written vault does not verify;
 *   IO_ERROR when the disk fails (no file is left at `target`)
 */
export async function restoreBackup(file: string, key: string | ShareRestore, target: string, opts: VaultOptions = {}): Promise<RestoreResult> {
  const path = resolve(target);
  if (existsSync(path)) throw exists(path);
  if (typeof key !== 'string') await checkNewPassphrase(key.newPassphrase);
  const bytes = readBackupFile(file);
  const opened: OpenedBackup & { holders?: string[] } = typeof key === 'string' ? await openBackup(bytes, file, key, opts) : await openBackupWithShares(bytes, file, key.shares, { ...opts, newPassphrase: key.newPassphrase });
  const { image, manifest } = opened;
  // The passphrase the written image opens with: the backup's own, or the new one its shares slot was rekeyed to.
  const passphrase = typeof key === 'string' ? key : key.newPassphrase;
  const holders = opened.holders;
  const via = holders ? { keySlot: 'shares', holders } : { keySlot: 'passphrase' };
  prepareVaultFolder(path);
  const tmp = tmpSibling(path);
  const cleanup = () => {
    for (const f of [tmp, ...SQLITE_COMPANIONS.map((s) => tmp + s)]) rmSync(f, { force: true });
  };
  let recordsChecked: number;
  try {
    try {
      nodeFileSink.writeNew(tmp, image, 0o600, true);
    } finally {
      image.fill(0);
    }
    const vault = Vault.open(tmp, opts);
    try {
      await vault.unlock(passphrase);
      const verification = verifyVault(vault);
      if (!verification.ok) {
        const lines = verificationLines(verification);
        throw new CertDeskError('VAULT_TAMPERED', `the restored vault does not verify: ${lines.join('; ')}; nothing was restored`, { path, problems: lines });
      }
      recordsChecked = verification.records.checked;
      vault.audit('vault.restore', null, { backup: resolve(file), backupCreatedAt: manifest.createdAt, payloadSha256: manifest.payloadSha256, counts: manifest.counts, ...via });
    } finally {
      vault.close();
    }
  } catch (e) {
    cleanup();
    throw ioError(path, e); // a CertDeskError as it is; a file system error as IO_ERROR naming the path and why
  }
  await moveIntoPlace(tmp, path, () => exists(path));
  // Closing the vault checkpointed and removed its -wal and -shm; anything left under the temporary name is stale.
  for (const s of SQLITE_COMPANIONS) rmSync(tmp + s, { force: true });
  return { vault: path, manifest, recordsChecked, ...(holders ? { holders } : {}) };
}
