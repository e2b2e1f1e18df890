// "certdesk backup --out FILE" and the app's Back up: the vault's committed content (snapshot.ts, SQLite's
// serialize, never a file copy), checked as a vault with the passphrase, encrypted in memory under a new content
// key (AES-256-GCM), that key wrapped under the vault passphrase through the vault's own KDF (scrypt, the
// vault's cost, a new salt), written as one new file (format.ts) atomically, read back and verified completely
// (verify-backup.ts). Only then is the backup recorded: the audit entry "vault.backup" and the setting
// "backup_last_verified" in one transaction.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { CertDeskError } from '../../../shared/errors.js';
import { checkParentFolder } from '../export/bundle-writer.js';
import { nodeFileSink, type FileSink } from '../files.js';
import { deriveKek, newKdfParams, seal, type KdfParams } from '../vault/vault-crypto.js';
import { SCHEMA_VERSION } from '../vault/schema.js';
import type { Vault } from '../vault/vault.js';
import type { SplitOf } from '../quorum/combine.js';
import type { WrittenShare } from '../quorum/share-output.js';
import { checkSplitRequest, type QuorumSplitRequest } from '../quorum/split.js';
import { BACKUP_FORMAT_VERSION, backupSubkeys, encodeBackup, headerBytes, newContentKey, parseBackup, PASSPHRASE_WRAP_AAD, sharesWrap, type BackupHeader, type BackupManifest, type KeyWrap } from './format.js';
import { checkImage } from './image-check.js';
import { snapshotVault } from './snapshot.js';
import { LAST_VERIFIED_SETTING, type LastVerifiedBackup } from './status.js';
import { makeSharesWrap, newBackupSplit, openSharesWrap, removeShareFiles, vaultKeyOfImage, writeBackupShares, type NewBackupSplit } from './share-slot.js';
import { openWithKeys, readBackupFile, verifyBackupFile } from './verify-backup.js';
import { writeNewAtomic } from './write-new.js';

/**
 * The backup file's bytes (format.ts) for a vault image: a new content key encrypts the image (AES-256-GCM, the
 * header as AAD) and is wrapped under the passphrase through scrypt at `kdfCost` with a new salt; the MAC and
 * checksum close the file. Everything happens in memory; the keys are zeroed before it returns.
 * @param image the SQLite image (snapshot.ts), unchanged
 * @param manifest its manifest (payloadSha256 and payloadBytes describe `image`)
 * @param kdfCost the vault's own scrypt cost (N, r, p)
 * @param shares when given, a second key slot "shares": the content key and `vaultKey` sealed under Q
 *   (share-slot.ts makeSharesWrap), Q being split into the backup shares
 */
export async function sealBackup(
  image: Buffer,
  manifest: BackupManifest,
  passphrase: string,
  kdfCost: Omit<KdfParams, 'salt'>,
  shares?: { q: Buffer; split: SplitOf; vaultKey: Buffer },
): Promise<Buffer> {
  const kdf = newKdfParams(kdfCost);
  const kek = await deriveKek(passphrase, kdf);
  const contentKey = newContentKey();
  const wrapped = seal(kek, contentKey, PASSPHRASE_WRAP_AAD);
  kek.fill(0);
  const keyWraps: KeyWrap[] = [{ method: 'passphrase', kdf, nonce: wrapped.nonce.toString('hex'), ciphertext: wrapped.ciphertext.toString('hex') }];
  if (shares) keyWraps.push(makeSharesWrap(shares.q, shares.split, contentKey, shares.vaultKey));
  const keys = backupSubkeys(contentKey);
  contentKey.fill(0);
  try {
    const nonce = randomBytes(12);
    const header: BackupHeader = {
      format: 'certdesk-backup',
      version: BACKUP_FORMAT_VERSION,
      manifest,
      keyWraps,
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
  /** With backup shares: the split and the share files and sheets written (one per holder). */
  shares?: { splitId: string; k: number; n: number; holders: string[]; files: WrittenShare[] };
}

export interface BackupOptions {
  /**
   * Backup shares (certdesk backup --shares N --threshold K --holders … --shares-out DIR): a second key slot that
   * K of the N holders open together without the vault passphrase. Checked as quorum set checks its request.
   */
  shares?: QuorumSplitRequest;
}

/** The error for an existing target: a backup never replaces a file. */
function exists(path: string): CertDeskError {
  return new CertDeskError('IO_ERROR', `cannot write the backup ${path}: a file of that name already exists (a backup never replaces a file; choose a new name)`, { path, code: 'EEXIST' });
}

/**
 * The vault's snapshot (snapshot.ts), checked as a vault with `passphrase` (checkImage), sealed (sealBackup) and
 * written to the new `file`; with a split, its share files are written first (and removed if the backup is not).
 */
async function writeSnapshot(vault: Vault, passphrase: string, file: string, sink: FileSink, split: { made: NewBackupSplit; req: QuorumSplitRequest } | null): Promise<{ manifest: BackupManifest; size: number; shareFiles: WrittenShare[] }> {
  const { bytes, manifest, kdfCost } = await sealedSnapshot(vault, passphrase, split?.made ?? null);
  let shareFiles: WrittenShare[] = [];
  if (split) {
    const about = { file: basename(file), stem: basename(file).replace(/\.[^.]*$/, ''), vault: basename(vault.path), takenAt: manifest.createdAt };
    shareFiles = await writeBackupShares(split.made, split.req, about, kdfCost);
  }
  try {
    await writeNewAtomic(file, bytes, () => exists(file), sink);
  } catch (e) {
    removeShareFiles(shareFiles);
    throw e;
  }
  return { manifest, size: bytes.length, shareFiles };
}

/** The vault's snapshot (snapshot.ts), checked as a vault with `passphrase` (checkImage) and sealed (sealBackup), with a shares slot for `made`. */
async function sealedSnapshot(vault: Vault, passphrase: string, made: NewBackupSplit | null): Promise<{ bytes: Buffer; manifest: BackupManifest; kdfCost: Omit<KdfParams, 'salt'> }> {
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
    const vaultKey = made ? await vaultKeyOfImage(image, passphrase, `the vault ${vault.path}`) : null;
    try {
      const shares = made && vaultKey ? { q: made.q, split: made.split, vaultKey } : undefined;
      return { bytes: await sealBackup(image, manifest, passphrase, checked.kdfCost, shares), manifest, kdfCost: checked.kdfCost };
    } finally {
      vaultKey?.fill(0);
    }
  } finally {
    image.fill(0);
  }
}

/** The written file's shares slot opened with Q and everything behind it verified (openWithKeys), as backup verify --share does. */
async function verifySharesSlot(file: string, q: Buffer): Promise<void> {
  const parsed = parseBackup(readBackupFile(file), file);
  const wrap = sharesWrap(parsed.header, file);
  const keys = wrap ? openSharesWrap(wrap, q) : null;
  if (!keys) throw new CertDeskError('VAULT_TAMPERED', `${file}: its shares key slot does not open with the key just split`, { path: file });
  const { image } = await openWithKeys(parsed, file, keys.contentKey, keys.vaultKey);
  image.fill(0);
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
export async function createBackup(vault: Vault, passphrase: string, out: string, sink: FileSink = nodeFileSink, opts: BackupOptions = {}): Promise<BackupResult> {
  vault.requireUnlocked();
  const file = resolve(out);
  if (existsSync(file)) throw exists(file);
  checkParentFolder(dirname(file));
  if (opts.shares) {
    await checkSplitRequest(opts.shares);
    checkParentFolder(resolve(opts.shares.out));
  }
  const made = opts.shares ? await newBackupSplit(opts.shares) : null;
  try {
    // The file's bytes live only inside writeSnapshot: not kept while the file is read back (a large vault's image is tens of megabytes).
    const { manifest, size, shareFiles } = await writeSnapshot(vault, passphrase, file, sink, made && opts.shares ? { made, req: opts.shares } : null);
    try {
      const verified = await verifyBackupFile(file, passphrase);
      if (verified.manifest.payloadSha256 !== manifest.payloadSha256) throw new CertDeskError('IO_ERROR', `the backup ${file} read back differs from what was written`, { path: file });
      if (made) await verifySharesSlot(file, made.q);
    } catch (e) {
      // What was written does not verify (a failing disk): it is no backup, and it must not be taken for one.
      rmSync(file, { force: true });
      removeShareFiles(shareFiles);
      throw e instanceof CertDeskError ? new CertDeskError('IO_ERROR', `the backup ${file} was written but does not verify when read back (${e.message}); it was removed`, { path: file }) : e;
    }
    const verifiedAt = vault.now().toISOString();
    const last: LastVerifiedBackup = { at: verifiedAt, file, payloadSha256: manifest.payloadSha256 };
    const split = made?.split;
    const auditSeq = vault.transaction(() => {
      vault.records.put('settings', { key: LAST_VERIFIED_SETTING }, { value: JSON.stringify(last) });
      return vault.audit('vault.backup', file, {
        format: BACKUP_FORMAT_VERSION,
        schema: SCHEMA_VERSION,
        bytes: size,
        counts: manifest.counts,
        payloadSha256: manifest.payloadSha256,
        keyWraps: split ? ['passphrase', 'shares'] : ['passphrase'],
        // Who holds the backup shares, never a share.
        ...(split ? { shares: { k: split.k, n: split.n, holders: split.holders, splitId: split.splitId } } : {}),
      });
    });
    return { file, manifest, bytes: size, verifiedAt, auditSeq, ...(split ? { shares: { ...split, files: shareFiles } } : {}) };
  } finally {
    made?.q.fill(0);
    for (const r of made?.raw ?? []) r.fill(0);
  }
}
