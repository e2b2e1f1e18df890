// A quorum share as an officer carries it: a text file (and the same text in a QR code on a printed sheet).
//   -----BEGIN CERTDESK SHARE-----
//   base64 of one JSON object, lines of 64 characters
//   -----END CERTDESK SHARE-----
// The JSON names what the share opens: a CA key (the CA's name, id, SHA-256 of its key's SubjectPublicKeyInfo),
// or a backup (purpose "backup", the vault's file name, when it was taken); then the split, the holder, the share
// index, K and N, the scrypt parameters and the Shamir share sealed with AES-256-GCM under a key derived from the
// holder's own passphrase, the header fields as AAD; a SHA-256 checksum over the rest catches a damaged file
// before any passphrase is tried. Parsing is strict: the text must be exactly what formatShare writes.
import { createHash } from 'node:crypto';
import { CertDeskError } from '../../../shared/errors.js';
import { deriveKek, newKdfParams, open, seal, type KdfParams } from '../vault/vault-crypto.js';

export const SHARE_BEGIN = '-----BEGIN CERTDESK SHARE-----';
export const SHARE_END = '-----END CERTDESK SHARE-----';
const FORMAT = 'certdesk-share';
const VERSION = 1;
const SHARE_AAD = 'certdesk share v1\n';

/** What every share file says about itself, readable without its passphrase. */
interface ShareCommon {
  format: typeof FORMAT;
  version: typeof VERSION;
  splitId: string;
  holder: string;
  /** 1 to n: this share's place in the split (holders[index - 1]). */
  index: number;
  k: number;
  n: number;
  kdf: KdfParams;
}

/** A share of a CA key under K-of-N control (quorum set): the fields as written since format version 1. */
export interface CaShareHeader extends ShareCommon {
  /** The CA's name when the share was made (shown; the key hash decides). */
  ca: string;
  caId: number;
  /** SHA-256 (hex) of the CA key's SubjectPublicKeyInfo. */
  caKeySha256: string;
}

/** A share of one backup's "shares" key slot (backup --shares): restores that backup without the vault passphrase. */
export interface BackupShareHeader extends ShareCommon {
  /** Always "backup" (a CA key's share has no such field). */
  purpose: 'backup';
  /** The vault file's name the backup was taken of (shown; the split id decides). */
  vault: string;
  /** When the backup was taken (ISO 8601, the backup manifest's createdAt; shown). */
  takenAt: string;
}

export type ShareHeader = CaShareHeader | BackupShareHeader;

/** The sealed part of a share file. */
interface ShareSealed {
  /** AES-GCM nonce, hex. */
  nonce: string;
  /** The sealed Shamir share (ciphertext + tag), hex. */
  share: string;
  /** SHA-256 (hex) of the JSON of every field above. */
  checksum: string;
}

export type CaShareFile = CaShareHeader & ShareSealed;
export type BackupShareFile = BackupShareHeader & ShareSealed;
export type ShareFile = CaShareFile | BackupShareFile;

/** What sealShare is given: a share's header without format, version and KDF (which it sets). */
export type ShareFields = Omit<CaShareHeader, 'format' | 'version' | 'kdf'> | Omit<BackupShareHeader, 'format' | 'version' | 'kdf'>;

/** Whether a share belongs to a backup (else to a CA key). */
export function isBackupShare(h: ShareHeader | ShareFields): h is BackupShareHeader {
  return (h as { purpose?: unknown }).purpose === 'backup';
}

const CA_FIELDS = ['format', 'version', 'ca', 'caId', 'caKeySha256', 'splitId', 'holder', 'index', 'k', 'n', 'kdf'] as const;
const BACKUP_FIELDS = ['format', 'version', 'purpose', 'vault', 'takenAt', 'splitId', 'holder', 'index', 'k', 'n', 'kdf'] as const;
const KDF_FIELDS = ['alg', 'N', 'r', 'p', 'salt'] as const;

function headerJson(h: ShareHeader): string {
  const kdf = Object.fromEntries(KDF_FIELDS.map((f) => [f, h.kdf[f]]));
  const fields: readonly string[] = isBackupShare(h) ? BACKUP_FIELDS : CA_FIELDS;
  return JSON.stringify(Object.fromEntries(fields.map((f) => [f, f === 'kdf' ? kdf : (h as unknown as Record<string, unknown>)[f]])));
}

function checksumOf(h: ShareHeader, nonce: string, share: string): string {
  return createHash('sha256').update(`${headerJson(h)}\n${nonce}\n${share}`, 'utf8').digest('hex');
}

function bodyJson(f: ShareFile): string {
  const head = headerJson(f);
  return `${head.slice(0, -1)},"nonce":${JSON.stringify(f.nonce)},"share":${JSON.stringify(f.share)},"checksum":${JSON.stringify(f.checksum)}}`;
}

/**
 * Seals one Shamir share under the holder's passphrase (scrypt at `cost` with a fresh salt, then AES-256-GCM,
 * the header as AAD) and returns the armored text. The passphrase is not checked here (see checkNewPassphrase).
 */
export async function sealShare(header: ShareFields, share: Uint8Array, passphrase: string, cost: Omit<KdfParams, 'salt'>): Promise<string> {
  const h = { format: FORMAT, version: VERSION, ...header, kdf: newKdfParams(cost) } as ShareHeader;
  const kek = await deriveKek(passphrase, h.kdf);
  try {
    const sealed = seal(kek, share, SHARE_AAD + headerJson(h));
    const nonce = sealed.nonce.toString('hex');
    const body = sealed.ciphertext.toString('hex');
    return formatShare({ ...h, nonce, share: body, checksum: checksumOf(h, nonce, body) });
  } finally {
    kek.fill(0);
  }
}

/** The armored text of a share file. */
export function formatShare(f: ShareFile): string {
  const b64 = Buffer.from(bodyJson(f), 'utf8').toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `${SHARE_BEGIN}\n${lines.join('\n')}\n${SHARE_END}\n`;
}

/**
 * Parses a share file's bytes. `label` names it in messages (its path). Throws SHARE_REJECTED "share file F is
 * damaged or was altered (...)" for anything but the exact text formatShare writes with a matching checksum.
 */
export function parseShare(data: Uint8Array, label: string): ShareFile {
  const damaged = (why: string) => new CertDeskError('SHARE_REJECTED', `share file ${label} is damaged or was altered (${why}): it is not used`, { file: label });
  const text = Buffer.from(data).toString('utf8').replace(/\r\n/g, '\n');
  const m = /^-----BEGIN CERTDESK SHARE-----\n([A-Za-z0-9+/=\n]+)\n-----END CERTDESK SHARE-----\n?$/.exec(text);
  if (!m) throw damaged(`not a "${SHARE_BEGIN}" block`);
  const b64 = m[1]!.replace(/\n/g, '');
  const json = Buffer.from(b64, 'base64');
  if (json.toString('base64') !== b64) throw damaged('its base64 text is not well formed');
  let f: ShareFile;
  try {
    f = JSON.parse(json.toString('utf8')) as ShareFile;
  } catch {
    throw damaged('its content is not JSON');
  }
  if (typeof f !== 'object' || f === null || f.format !== FORMAT) throw damaged('not a CertDesk share');
  if (f.version !== VERSION) throw damaged(`format version ${String(f.version)}, this CertDesk reads version ${VERSION}`);
  const wellTyped =
    (isBackupShare(f) ? typeof f.vault === 'string' && typeof f.takenAt === 'string' : typeof f.ca === 'string' && Number.isInteger(f.caId) && typeof f.caKeySha256 === 'string') &&
    typeof f.splitId === 'string' &&
    typeof f.holder === 'string' &&
    Number.isInteger(f.index) &&
    Number.isInteger(f.k) &&
    Number.isInteger(f.n) &&
    f.index >= 1 &&
    f.index <= f.n &&
    typeof f.kdf === 'object' &&
    f.kdf !== null &&
    f.kdf.alg === 'scrypt' &&
    Number.isInteger(f.kdf.N) &&
    Number.isInteger(f.kdf.r) &&
    Number.isInteger(f.kdf.p) &&
    typeof f.kdf.salt === 'string' &&
    typeof f.nonce === 'string' &&
    typeof f.share === 'string' &&
    typeof f.checksum === 'string';
  if (!wellTyped) throw damaged('a field is missing or of the wrong type');
  if (bodyJson(f) !== json.toString('utf8')) throw damaged('its fields are not as CertDesk writes them');
  if (f.checksum !== checksumOf(f, f.nonce, f.share)) throw damaged('its checksum does not match');
  return f;
}

/**
 * The Shamir share inside, with the holder's passphrase. Throws SHARE_BAD_PASSPHRASE naming the holder and the
 * file when it does not open (a wrong passphrase; or an alteration made with a recomputed checksum).
 */
export async function openShare(f: ShareFile, passphrase: string, label: string): Promise<Buffer> {
  // scrypt's own limits: a file asking for more than the vault's largest cost is refused before any work.
  if (f.kdf.N > 2 ** 20 || f.kdf.r > 16 || f.kdf.p > 4 || f.kdf.N < 2 || (f.kdf.N & (f.kdf.N - 1)) !== 0) {
    throw new CertDeskError('SHARE_REJECTED', `share file ${label} is damaged or was altered (its scrypt parameters are out of range): it is not used`, { file: label });
  }
  const kek = await deriveKek(passphrase, f.kdf);
  try {
    const share = open(kek, { nonce: Buffer.from(f.nonce, 'hex'), ciphertext: Buffer.from(f.share, 'hex') }, SHARE_AAD + headerJson(f));
    if (!share) {
      throw new CertDeskError('SHARE_BAD_PASSPHRASE', `wrong passphrase for the share of "${f.holder}" (${label}), or the file was altered: it does not open (${isBackupShare(f) ? 'the backup was not opened' : 'nothing was signed'})`, { file: label, holder: f.holder });
    }
    return share;
  } finally {
    kek.fill(0);
  }
}
