// "certdesk backup verify": a backup checked completely without restoring it. In order, each with its own
// error: the marker (not a CertDesk backup), the checksum and header (damaged or altered), the format version
// (from a newer CertDesk), the passphrase (the content key's wrap), the MAC over the whole file (altered), the
// payload's decryption and SHA-256, then the vault image itself, opened read-only in memory and verified as
// "certdesk vault verify" verifies a vault (audit chain, record MACs, record sets), and its counts against the
// manifest.
import { createDecipheriv, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CertDeskError } from '../../../shared/errors.js';
import type { VaultVerification } from '../../../shared/domain.js';
import { deriveKek, open } from '../vault/vault-crypto.js';
import type { VaultOptions } from '../vault/vault.js';
import { backupSubkeys, macHolds, parseBackup, passphraseWrap, PASSPHRASE_WRAP_AAD, type BackupManifest } from './format.js';
import { checkImage } from './image-check.js';

export interface BackupVerification {
  file: string;
  /** The backup format version. */
  format: number;
  /** The key wraps the file lists, by method ("passphrase"). */
  keyWraps: string[];
  manifest: BackupManifest;
  verification: VaultVerification;
}

/** A verified backup and its decrypted vault image (for restore; the caller drops it). */
export interface OpenedBackup extends BackupVerification {
  image: Buffer;
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
  const keys = backupSubkeys(contentKey);
  contentKey.fill(0);
  const tampered = (why: string) => new CertDeskError('VAULT_TAMPERED', `${label} was altered: ${why}; it cannot be trusted or restored`, { path: label, problem: why });
  let image: Buffer;
  try {
    if (!macHolds(parsed, keys.mac)) throw tampered('its MAC does not match (the header, the encrypted vault or the MAC itself was changed)');
    const nonce = Buffer.from(header.payload.nonce, 'hex');
    const body = parsed.payload.subarray(0, parsed.payload.length - 16);
    const d = createDecipheriv('aes-256-gcm', keys.payload, nonce);
    d.setAAD(parsed.headerBytes);
    d.setAuthTag(parsed.payload.subarray(parsed.payload.length - 16));
    try {
      image = d.update(body);
      d.final(); // checks the tag; returns nothing more for GCM
    } catch {
      throw tampered('its encrypted vault does not decrypt');
    }
  } finally {
    keys.mac.fill(0);
    keys.payload.fill(0);
  }
  const { manifest } = header;
  const sha256 = createHash('sha256').update(image).digest('hex');
  if (image.length !== manifest.payloadBytes || sha256 !== manifest.payloadSha256) throw tampered('its vault image does not match the SHA-256 in its manifest');
  const imageSchema = image.length >= 100 ? image.readInt32BE(60) : -1;
  if (imageSchema !== manifest.certdeskSchema) throw tampered(`its manifest names vault format ${manifest.certdeskSchema} where the vault has ${imageSchema}`);
  const checked = await checkImage(image, `the vault in backup ${label}`, passphrase, opts);
  const differs = (['cas', 'certificates'] as const).filter((k) => checked.counts[k] !== manifest.counts[k]);
  if (differs.length) {
    throw tampered(differs.map((k) => `its manifest counts ${manifest.counts[k]} ${k} where the vault holds ${checked.counts[k]}`).join('; '));
  }
  return { file: label, format: header.version, keyWraps: header.keyWraps.map((k) => k.method), manifest, verification: checked.verification, image };
}

/**
 * Reads and verifies the backup file at `path` (openBackup), without restoring it or writing anything.
 * @throws CertDeskError IO_ERROR when the file cannot be read; otherwise what openBackup throws
 */
export async function verifyBackupFile(path: string, passphrase: string, opts: VaultOptions = {}): Promise<BackupVerification> {
  const { image, ...verified } = await openBackup(readBackupFile(path), path, passphrase, opts);
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
