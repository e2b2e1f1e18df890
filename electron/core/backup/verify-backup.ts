// "certdesk backup verify": a backup checked completely without restoring it. In order, each with its own
// error: the marker (not a CertDesk backup), the checksum and header (damaged or altered), the format version
// (from a newer CertDesk), the passphrase (the content key's wrap), the MAC over the whole file (altered), the
// payload's decryption and SHA-256, then the vault image itself, opened read-only in memory and verified as
// "certdesk vault verify" verifies a vault (audit chain, record MACs, record sets), and its counts against the
// manifest. A backup with a shares slot is verified as completely through it, with K backup shares instead of
// the passphrase (openBackupWithShares); the slot not opened has its structure checked, and the result says so.
import { createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CertDeskError } from '../../../shared/errors.js';
import type { VaultVerification } from '../../../shared/domain.js';
import type { ShareInput } from '../quorum/combine.js';
import { deriveKek, open, type KdfParams } from '../vault/vault-crypto.js';
import type { VaultOptions } from '../vault/vault.js';
import { backupSubkeys, macHolds, parseBackup, passphraseWrap, PASSPHRASE_WRAP_AAD, sharesWrap, type BackupManifest, type ParsedBackup } from './format.js';
import { checkImage } from './image-check.js';
import { recoverBackupKeys, rekeyImage } from './share-slot.js';

/** One key slot of a backup, as a verification found it. */
export interface KeySlotCheck {
  /** "passphrase" or "shares". */
  method: string;
  /** True: the slot was opened and everything behind it verified; false: only its structure was checked. */
  opened: boolean;
  /** The shares slot: K, N and the holders. */
  k?: number;
  n?: number;
  holders?: string[];
  /** The shares slot when opened: the holders whose shares opened it. */
  openedBy?: string[];
}

export interface BackupVerification {
  file: string;
  /** The backup format version. */
  format: number;
  /** The key wraps the file lists, by method ("passphrase", "shares"). */
  keyWraps: string[];
  /** Each key slot this version knows: opened, or only its structure checked (no --share given for it, say). */
  slots: KeySlotCheck[];
  manifest: BackupManifest;
  verification: VaultVerification;
}

/** A verified backup and its decrypted vault image (for restore; the caller drops it). */
export interface OpenedBackup extends BackupVerification {
  image: Buffer;
}

/** How a backup is opened: the vault passphrase, or K backup shares (share-slot.ts). */
export type BackupKey = string | { shares: ShareInput[] };

/** The slots of a parsed backup (each structure-checked by passphraseWrap and sharesWrap), `opened` marked. */
function slotsOf(parsed: ParsedBackup, label: string, opened: 'passphrase' | 'shares', openedBy?: string[]): KeySlotCheck[] {
  const slots: KeySlotCheck[] = [];
  if (passphraseWrap(parsed.header, label)) slots.push({ method: 'passphrase', opened: opened === 'passphrase' });
  const shares = sharesWrap(parsed.header, label);
  if (shares) {
    slots.push({ method: 'shares', opened: opened === 'shares', k: shares.k, n: shares.n, holders: shares.holders, ...(opened === 'shares' && openedBy ? { openedBy } : {}) });
  }
  return slots;
}

/**
 * Verifies the backup in `bytes` completely, in memory, and returns its manifest and the decrypted vault image.
 * @param label how messages name the file (its path)
 * @param passphrase the vault passphrase the backup was made with
 * @throws CertDeskError INVALID_INPUT (not a CertDesk backup; no passphrase key wrap), VAULT_TAMPERED (damaged
 *   or altered: checksum, header, MAC, payload, manifest; or the vault inside does not verify), VAULT_TOO_NEW
 *   (newer backup format or vault format), VAULT_WRONG_PASSPHRASE
 */
export async function openBackup(bytes: Buffer, label: string, passphrase: string, opts: VaultOptions = {}): Promise<OpenedBackup> {
  const parsed = parseBackup(bytes, label);
  const { header } = parsed;
  const wrap = passphraseWrap(header, label);
  if (!wrap) {
    const methods = header.keyWraps.map((k) => String((k as { method?: unknown } | null)?.method)).join(', ');
    throw new CertDeskError('INVALID_INPUT', `${label} has no passphrase key wrap this version can use (it lists: ${methods})`, { path: label });
  }
  const slots = slotsOf(parsed, label, 'passphrase');
  const kek = await deriveKek(passphrase, wrap.kdf);
  const contentKey = open(kek, { nonce: Buffer.from(wrap.nonce, 'hex'), ciphertext: Buffer.from(wrap.ciphertext, 'hex') }, PASSPHRASE_WRAP_AAD);
  kek.fill(0);
  if (!contentKey) {
    throw new CertDeskError(
      'VAULT_WRONG_PASSPHRASE',
      `wrong passphrase for ${label}: its key does not open with it (if the passphrase is right, the backup's key section was altered)`,
      { path: label },
    );
  }
  const image = decryptImage(parsed, contentKey, label);
  return { ...(await checkedImage(parsed, image, label, passphrase, opts)), slots, image };
}

/**
 * Verifies the backup in `bytes` completely through its shares slot: K holders' shares (share-slot.ts
 * recoverBackupKeys) open the content key and the vault key; the payload is decrypted and checked as openBackup
 * does; the vault image's key is rewrapped under `newPassphrase` (rekeyImage) and the image verified with it as
 * "vault verify" does. Without `newPassphrase` (backup verify) a random one, at the lowest scrypt cost, is used
 * and forgotten. The returned image opens with `newPassphrase` (restore writes it).
 * @param opts.newPassphrase the restored vault's passphrase (the caller has checked it against the rule);
 *   opts.kdf its scrypt cost (else the vault's own)
 * @throws CertDeskError INVALID_INPUT (no shares slot: the backup was made without --shares); what
 *   recoverBackupKeys throws; otherwise what openBackup throws (VAULT_TAMPERED, VAULT_TOO_NEW)
 */
export async function openBackupWithShares(bytes: Buffer, label: string, shares: ShareInput[], opts: VaultOptions & { newPassphrase?: string } = {}): Promise<OpenedBackup & { holders: string[] }> {
  const parsed = parseBackup(bytes, label);
  const wrap = sharesWrap(parsed.header, label);
  if (!wrap) throw new CertDeskError('INVALID_INPUT', `${label} has no backup shares key slot (it was made without --shares): it opens only with the vault passphrase`, { path: label });
  passphraseWrap(parsed.header, label); // its structure, reported in slots
  const { contentKey, vaultKey, holders } = await recoverBackupKeys(wrap, label, shares);
  return { ...(await openWithKeys(parsed, label, contentKey, vaultKey, opts)), slots: slotsOf(parsed, label, 'shares', holders), holders };
}

/** The cost of the forgotten passphrase a shares-slot verification opens the image with (it protects nothing). */
const THROWAWAY_KDF: Omit<KdfParams, 'salt'> = { alg: 'scrypt', N: 2 ** 10, r: 8, p: 1 };

/**
 * openBackupWithShares after the keys are recovered (create-backup.ts calls it with the keys it just sealed, to
 * verify the shares slot of the file it wrote). Zeroes both keys.
 */
export async function openWithKeys(parsed: ParsedBackup, label: string, contentKey: Buffer, vaultKey: Buffer, opts: VaultOptions & { newPassphrase?: string } = {}): Promise<Omit<OpenedBackup, 'slots'>> {
  let image: Buffer;
  let rekeyed: Buffer;
  const passphrase = opts.newPassphrase ?? randomBytes(32).toString('hex');
  try {
    image = decryptImage(parsed, contentKey, label);
    try {
      rekeyed = await rekeyImage(image, vaultKey, passphrase, label, opts.newPassphrase === undefined ? THROWAWAY_KDF : opts.kdf);
    } finally {
      image.fill(0);
    }
  } finally {
    contentKey.fill(0);
    vaultKey.fill(0);
  }
  try {
    return { ...(await checkedImage(parsed, rekeyed, label, passphrase, opts)), image: rekeyed };
  } catch (e) {
    rekeyed.fill(0);
    throw e;
  }
}

const tampered = (label: string, why: string) => new CertDeskError('VAULT_TAMPERED', `${label} was altered: ${why}; it cannot be trusted or restored`, { path: label, problem: why });

/** The file's MAC and the payload's decryption under `contentKey` (zeroed here), then the image against the manifest. */
function decryptImage(parsed: ParsedBackup, contentKey: Buffer, label: string): Buffer {
  const { header } = parsed;
  const keys = backupSubkeys(contentKey);
  contentKey.fill(0);
  let image: Buffer;
  try {
    if (!macHolds(parsed, keys.mac)) throw tampered(label, 'its MAC does not match (the header, the encrypted vault or the MAC itself was changed)');
    const nonce = Buffer.from(header.payload.nonce, 'hex');
    const body = parsed.payload.subarray(0, parsed.payload.length - 16);
    const d = createDecipheriv('aes-256-gcm', keys.payload, nonce);
    d.setAAD(parsed.headerBytes);
    d.setAuthTag(parsed.payload.subarray(parsed.payload.length - 16));
    try {
      image = d.update(body);
      d.final(); // checks the tag; returns nothing more for GCM
    } catch {
      throw tampered(label, 'its encrypted vault does not decrypt');
    }
  } finally {
    keys.mac.fill(0);
    keys.payload.fill(0);
  }
  const { manifest } = header;
  const sha256 = createHash('sha256').update(image).digest('hex');
  if (image.length !== manifest.payloadBytes || sha256 !== manifest.payloadSha256) throw tampered(label, 'its vault image does not match the SHA-256 in its manifest');
  const imageSchema = image.length >= 100 ? image.readInt32BE(60) : -1;
  if (imageSchema !== manifest.certdeskSchema) throw tampered(label, `its manifest names vault format ${manifest.certdeskSchema} where the vault has ${imageSchema}`);
  return image;
}

/** The image verified as a vault (checkImage) with `passphrase`, and its counts against the manifest. */
async function checkedImage(parsed: ParsedBackup, image: Buffer, label: string, passphrase: string, opts: VaultOptions): Promise<Omit<BackupVerification, 'slots'>> {
  const { header } = parsed;
  const { manifest } = header;
  const checked = await checkImage(image, `the vault in backup ${label}`, passphrase, opts);
  const differs = (['cas', 'certificates'] as const).filter((k) => checked.counts[k] !== manifest.counts[k]);
  if (differs.length) {
    throw tampered(label, differs.map((k) => `its manifest counts ${manifest.counts[k]} ${k} where the vault holds ${checked.counts[k]}`).join('; '));
  }
  return { file: label, format: header.version, keyWraps: header.keyWraps.map((k) => k.method), manifest, verification: checked.verification };
}

/**
 * Reads and verifies the backup file at `path` (openBackup with the vault passphrase, or openBackupWithShares
 * with K backup shares), without restoring it or writing anything. `slots` says which key slot was opened.
 * @throws CertDeskError IO_ERROR when the file cannot be read; otherwise what openBackup or openBackupWithShares throw
 */
export async function verifyBackupFile(path: string, key: BackupKey, opts: VaultOptions = {}): Promise<BackupVerification> {
  const bytes = readBackupFile(path);
  const { image, ...verified } = typeof key === 'string' ? await openBackup(bytes, path, key, opts) : await openBackupWithShares(bytes, path, key.shares, opts);
  image.fill(0);
  return verified;
}

/** The file's bytes. @throws CertDeskError IO_ERROR naming the path and the reason */
export function readBackupFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : String(code ?? (e as Error).message);
    throw new CertDeskError('IO_ERROR', `cannot read the backup ${path}: ${why}`, { path, code });
  }
}
