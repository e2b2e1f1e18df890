// "certdesk backup --out FILE" and the app's Back up: the vault's committed content (snapshot.ts, SQLite's
// serialize, never a file copy), checked as a vault with the passphrase, encrypted in memory under a new content
// key (AES-256-GCM), that key wrapped under the vault passphrase through the vault's own KDF (scrypt, the
// vault's cost, a new salt), written as one new file (format.ts) atomically, read back and verified completely
// (verify-backup.ts). Only then is the backup recorded: the audit entry "vault.backup" and the setting
// "backup_last_verified" in one transaction.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CertDeskError } from '../../../shared/errors.js';
import { checkParentFolder } from '../export/bundle-writer.js';
import { nodeFileSink, type FileSink } from '../files.js';
import { deriveKek, newKdfParams, seal, type KdfParams } from '../vault/vault-crypto.js';
import { SCHEMA_VERSION } from '../vault/schema.js';
import type { Vault } from '../vault/vault.js';
import { BACKUP_FORMAT_VERSION, backupSubkeys, encodeBackup, headerBytes, newContentKey, PASSPHRASE_WRAP_AAD, type BackupHeader, type BackupManifest } from './format.js';
import { checkImage } from './image-check.js';
import { snapshotVault } from './snapshot.js';
import { LAST_VERIFIED_SETTING, type LastVerifiedBackup } from './status.js';
import { verifyBackupFile } from './verify-backup.js';
import { writeNewAtomic } from './write-new.js';

/**
 * The backup file's bytes (format.ts) for a vault image: a new content key encrypts the image (AES-256-GCM, the
 * header as AAD) and is wrapped under the passphrase through scrypt at `kdfCost` with a new salt; the MAC and
 * checksum close the file. Everything happens in memory; the keys are zeroed before it returns.
 * @param image the SQLite image (snapshot.ts), unchanged
 * @param manifest its manifest (payloadSha256 and payloadBytes describe `image`)
 * @param kdfCost the vault's own scrypt cost (N, r, p)
 */
export async function sealBackup(image: Buffer, manifest: BackupManifest, passphrase: string, kdfCost: Omit<KdfParams, 'salt'>): Promise<Buffer> {
  const kdf = newKdfParams(kdfCost);
  const kek = await deriveKek(passphrase, kdf);
  const contentKey = newContentKey();
  const wrapped = seal(kek, contentKey, PASSPHRASE_WRAP_AAD);
  kek.fill(0);
  const keys = backupSubkeys(contentKey);
  contentKey.fill(0);
  try {
    const nonce = randomBytes(12);
    const header: BackupHeader = {
      format: 'certdesk-backup',
      version: BACKUP_FORMAT_VERSION,
      manifest,
      keyWraps: [{ method: 'passphrase', kdf, nonce: wrapped.nonce.toString('hex'), ciphertext: wrapped.ciphertext.toString('hex') }],
      payload: { cipher: 'aes-256-gcm', nonce: nonce.toString('hex'), bytes: image.length + 16 },
    };
    const hb = headerBytes(header);
    const c = createCipheriv('aes-256-gcm', keys.payload, nonce);
    c.setAAD(hb);
    const body = c.update(image);
    const rest = c.final(); // empty for GCM
    return encodeBackup(hb, [body, rest, c.getAuthTag()], keys.mac);
  } finally {
    keys.payload.fill(0);
    keys.mac.fill(0);
  }
}

export interface BackupResult {
  /** The backup file (absolute). */
  file: string;
  manifest: BackupManifest;
  /** The file's size in bytes. */
  bytes: number;
  /** When the written file passed verification (ISO 8601); also the setting backup_last_verified. */
  verifiedAt: string;
  /** The audit entry "vault.backup". */
  auditSeq: number;
}

/** The error for an existing target: a backup never replaces a file. */
function exists(path: string): CertDeskError {
  return new CertDeskError('IO_ERROR', `cannot write the backup ${path}: a file of that name already exists (a backup never replaces a file; choose a new name)`, { path, code: 'EEXIST' });
}

/** The vault's snapshot (snapshot.ts), checked as a vault with `passphrase` (checkImage), sealed (sealBackup) and written to the new `file`. */
async function writeSnapshot(vault: Vault, passphrase: string, file: string, sink: FileSink): Promise<{ manifest: BackupManifest; size: number }> {
  const { bytes, manifest } = await sealedSnapshot(vault, passphrase);
  await writeNewAtomic(file, bytes, () => exists(file), sink);
  return { manifest, size: bytes.length };
}

/** The vault's snapshot (snapshot.ts), checked as a vault with `passphrase` (checkImage) and sealed (sealBackup). */
async function sealedSnapshot(vault: Vault, passphrase: string): Promise<{ bytes: Buffer; manifest: BackupManifest }> {
  const image = snapshotVault(vault);
  try {
    const checked = await checkImage(image, `the vault ${vault.path}`, passphrase);
    const manifest: BackupManifest = {
      certdeskSchema: image.readInt32BE(60),
      createdAt: vault.now().toISOString(),
      vaultCreatedAt: checked.vaultCreatedAt,
      counts: checked.counts,
      payloadSha256: createHash('sha256').update(image).digest('hex'),
      payloadBytes: image.length,
    };
    return { bytes: await sealBackup(image, manifest, passphrase, checked.kdfCost), manifest };
  } finally {
    image.fill(0);
  }
}

/**
 * Writes an encrypted backup of the unlocked `vault` to the new file `out`, verifies what was written, and
 * records it (audit "vault.backup", setting backup_last_verified).
 * @param passphrase the vault passphrase: it must open the vault (it is checked against the snapshot) and it is
 *   what the backup restores with, on any machine
 * @param out the backup file's path; its folder must exist and the file must not
 * @param sink how files are written (tests record them): only the encrypted file ever reaches it
 * @throws CertDeskError VAULT_LOCKED; IO_ERROR (out exists, its folder is missing, the disk fails);
 *   VAULT_WRONG_PASSPHRASE (nothing is written); VAULT_TAMPERED (the vault does not verify: a backup of it
 *   would not restore; nothing is written)
 */
export async function createBackup(vault: Vault, passphrase: string, out: string, sink: FileSink = nodeFileSink): Promise<BackupResult> {
  vault.requireUnlocked();
  const file = resolve(out);
  if (existsSync(file)) throw exists(file);
  checkParentFolder(dirname(file));
  // The file's bytes live only inside writeSnapshot: not kept while the file is read back (a large vault's image is tens of megabytes).
  const { manifest, size } = await writeSnapshot(vault, passphrase, file, sink);
  try {
    const verified = await verifyBackupFile(file, passphrase);
    if (verified.manifest.payloadSha256 !== manifest.payloadSha256) throw new CertDeskError('IO_ERROR', `the backup ${file} read back differs from what was written`, { path: file });
  } catch (e) {
    // What was written does not verify (a failing disk): it is no backup, and it must not be taken for one.
    rmSync(file, { force: true });
    throw e instanceof CertDeskError ? new CertDeskError('IO_ERROR', `the backup ${file} was written but does not verify when read back (${e.message}); it was removed`, { path: file }) : e;
  }
  const verifiedAt = vault.now().toISOString();
  const last: LastVerifiedBackup = { at: verifiedAt, file, payloadSha256: manifest.payloadSha256 };
  const auditSeq = vault.transaction(() => {
    vault.records.put('settings', { key: LAST_VERIFIED_SETTING }, { value: JSON.stringify(last) });
    return vault.audit('vault.backup', file, { format: BACKUP_FORMAT_VERSION, schema: SCHEMA_VERSION, bytes: size, counts: manifest.counts, payloadSha256: manifest.payloadSha256, keyWraps: ['passphrase'] });
  });
  return { file, manifest, bytes: size, verifiedAt, auditSeq };
}
