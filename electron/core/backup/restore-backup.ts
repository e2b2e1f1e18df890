// "certdesk restore FILE --vault NEW": a verified backup (verify-backup.ts) written into a new vault file, never
// over an existing one. The image goes to an owner-only temporary sibling, is flushed, opened as a vault (the
// same opener as any vault: schema check, migrations of an older vault format), unlocked with the passphrase,
// verified again on disk, given the audit entry "vault.restore", closed, and only then renamed into place.
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { CertDeskError } from '../../../shared/errors.js';
import { SQLITE_COMPANIONS } from '../vault/file-modes.js';
import { prepareVaultFolder } from '../vault/location.js';
import { verificationLines, verifyVault } from '../vault/vault-verify.js';
import { Vault, type VaultOptions } from '../vault/vault.js';
import type { BackupManifest } from './format.js';
import { openBackup, readBackupFile } from './verify-backup.js';
import { ioError, nodeFileSink } from '../files.js';
import { moveIntoPlace, tmpSibling } from './write-new.js';

export interface RestoreResult {
  /** The new vault file (absolute). */
  vault: string;
  manifest: BackupManifest;
  /** Records "vault verify" checked in the restored vault. */
  recordsChecked: number;
}

function exists(path: string): CertDeskError {
  return new CertDeskError('VAULT_EXISTS', `a file already exists at ${path}: restore never writes over a vault or any other file; name a new vault file`, { path });
}

/**
 * Restores the backup `file` into the new vault file `target`.
 * @param passphrase the vault passphrase the backup was made with (the restored vault keeps it)
 * @param opts the restored vault's clock (tests)
 * @throws CertDeskError VAULT_EXISTS when `target` exists (checked before and again just before the rename);
 *   what openBackup throws (nothing is written then); VAULT_TAMPERED when the written vault does not verify;
 *   IO_ERROR when the disk fails (no file is left at `target`)
 */
export async function restoreBackup(file: string, passphrase: string, target: string, opts: VaultOptions = {}): Promise<RestoreResult> {
  const path = resolve(target);
  if (existsSync(path)) throw exists(path);
  const { image, manifest } = await openBackup(readBackupFile(file), file, passphrase, opts);
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
      vault.audit('vault.restore', null, { backup: resolve(file), backupCreatedAt: manifest.createdAt, payloadSha256: manifest.payloadSha256, counts: manifest.counts });
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
  return { vault: path, manifest, recordsChecked };
}
