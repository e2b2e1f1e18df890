// The CertDesk backup file, format 1: one file holding the vault's SQLite image encrypted (AES-256-GCM), the
// manifest that describes it, how its content key is wrapped, and a MAC over everything.
//
//   offset 0   "CERTDESK BACKUP\n"              16 bytes, the marker (not a CertDesk backup without it)
//   16         header length H                  uint32, big-endian
//   20         header                           H bytes of UTF-8 JSON (BackupHeader): format version, manifest,
//                                               key wraps, the payload's cipher and nonce
//   20+H       payload                          the vault image, AES-256-GCM ciphertext followed by its 16-byte tag
//   end-64     MAC                              HMAC-SHA256 (content key's MAC sub-key) of every byte before it
//   end-32     checksum                         SHA-256 of every byte before it (no key: tells a damaged or
//                                               edited file from a wrong passphrase before any key is tried)
//
// The marker, the header length, the header's "version" and the trailing checksum stay where they are in every
// later format, so a newer backup is recognised as such. The key wraps (key slots) are a list, each opening the
// same content key: method "passphrase" (the vault passphrase through the vault's KDF, scrypt), always there; and
// when the officer chose it, method "shares" (a random key Q split K-of-N into backup shares, quorum/share-file.ts),
// which also holds the vault key, so K officers restore without the vault passphrase. A reader that knows only
// "passphrase" skips the other entry: the format version stays 1.
import { createHash, hkdfSync, randomBytes, timingSafeEqual, createHmac } from 'node:crypto';
import { CertDeskError } from '../../../shared/errors.js';
import type { KdfParams } from '../vault/vault-crypto.js';

export const BACKUP_MAGIC = Buffer.from('CERTDESK BACKUP\n', 'latin1');
/** The backup format this version writes and the newest it reads. */
export const BACKUP_FORMAT_VERSION = 1;
/** The file name ending the app's save dialog proposes. */
export const BACKUP_EXTENSION = 'certdesk-backup';

const PREFIX = BACKUP_MAGIC.length + 4;
const MAC_BYTES = 32;
const CHECKSUM_BYTES = 32;
const TAG_BYTES = 16;
/** A header is a few hundred bytes; a larger length field means the file is not one CertDesk wrote. */
const MAX_HEADER_BYTES = 64 * 1024;

/** What the backup holds, readable once the file's checksum holds (before any key is tried). */
export interface BackupManifest {
  /** The vault format (schema version) of the image. */
  certdeskSchema: number;
  /** When the backup was taken (ISO 8601). */
  createdAt: string;
  /** The vault's own creation time (meta created_at): tells which vault a backup is of. CertDesk vaults carry no other id. */
  vaultCreatedAt: string | null;
  counts: { cas: number; certificates: number };
  /** SHA-256 (hex) of the decrypted vault image. */
  payloadSha256: string;
  /** The decrypted vault image's length in bytes. */
  payloadBytes: number;
}

/** The content key under a key derived from the vault passphrase with scrypt (the vault's own KDF and cost). */
export interface PassphraseWrap {
  method: 'passphrase';
  kdf: KdfParams;
  /** hex */
  nonce: string;
  /** hex: the sealed 32-byte content key and its GCM tag */
  ciphertext: string;
}

/**
 * The content key and the vault key (32 bytes each, in that order) sealed under a random key Q (AES-256-GCM,
 * AAD sharesWrapAad), Q split with Shamir's secret sharing into N backup shares, K needed (backup --shares).
 */
export interface SharesWrap {
  method: 'shares';
  /** The split's id (hex, 16 bytes): every share of this backup names it. */
  splitId: string;
  k: number;
  n: number;
  /** Share i + 1 belongs to holders[i]. */
  holders: string[];
  /** hex */
  nonce: string;
  /** hex: 64 sealed bytes and the GCM tag */
  ciphertext: string;
}

export type KeyWrap = PassphraseWrap | SharesWrap;

export interface BackupHeader {
  format: 'certdesk-backup';
  version: number;
  manifest: BackupManifest;
  keyWraps: KeyWrap[];
  payload: { cipher: 'aes-256-gcm'; nonce: string; bytes: number };
}

/** A backup file taken apart: its header as parsed and as bytes, the payload, and what the MAC covers. */
export interface ParsedBackup {
  header: BackupHeader;
  headerBytes: Buffer;
  payload: Buffer;
  mac: Buffer;
  /** Every byte the MAC covers (marker, length, header, payload). */
  signed: Buffer;
}

/** The AAD of the content key's passphrase wrap. */
export const PASSPHRASE_WRAP_AAD = 'certdesk backup content key v1; passphrase';

/** The AAD of the shares wrap: binds the split id, K, N and the holders to it. */
export function sharesWrapAad(w: Pick<SharesWrap, 'splitId' | 'k' | 'n' | 'holders'>): string {
  return `certdesk backup content key v1; shares\n${JSON.stringify({ splitId: w.splitId, k: w.k, n: w.n, holders: w.holders })}`;
}

/** The content key's two sub-keys (HKDF-SHA256, one label each): payload encryption and the file MAC. */
export function backupSubkeys(contentKey: Buffer): { payload: Buffer; mac: Buffer } {
  const sub = (info: string) => Buffer.from(hkdfSync('sha256', contentKey, Buffer.alloc(0), info, 32));
  return { payload: sub('certdesk backup payload v1'), mac: sub('certdesk backup mac v1') };
}

export function newContentKey(): Buffer {
  return randomBytes(32);
}

/** The header bytes exactly as written (and as the payload's AAD). */
export function headerBytes(header: BackupHeader): Buffer {
  return Buffer.from(JSON.stringify(header), 'utf8');
}

/**
 * The whole file: marker, header length, header, payload, MAC (HMAC-SHA256 under `macKey`), checksum. Built in one
 * buffer of the file's size (a vault image is tens of megabytes: no intermediate copies).
 * @param header the header, serialized by headerBytes (the same bytes the payload was sealed with as AAD)
 * @param payload the GCM ciphertext and tag, in parts, header.payload.bytes long together
 */
export function encodeBackup(header: Buffer, payload: Buffer[], macKey: Buffer): Buffer {
  const payloadLength = payload.reduce((n, p) => n + p.length, 0);
  const signedLength = PREFIX + header.length + payloadLength;
  const out = Buffer.allocUnsafe(signedLength + MAC_BYTES + CHECKSUM_BYTES);
  BACKUP_MAGIC.copy(out, 0);
  out.writeUInt32BE(header.length, BACKUP_MAGIC.length);
  let at = PREFIX + header.copy(out, PREFIX);
  for (const part of payload) at += part.copy(out, at);
  const signed = out.subarray(0, signedLength);
  createHmac('sha256', macKey).update(signed).digest().copy(out, signedLength);
  createHash('sha256').update(out.subarray(0, signedLength + MAC_BYTES)).digest().copy(out, signedLength + MAC_BYTES);
  return out;
}

/** Whether the MAC over `parsed.signed` under `macKey` is the one in the file (constant time). */
export function macHolds(parsed: ParsedBackup, macKey: Buffer): boolean {
  const expected = createHmac('sha256', macKey).update(parsed.signed).digest();
  return timingSafeEqual(expected, parsed.mac);
}

/**
 * Takes a backup file apart without any key: the marker, the checksum, the header (JSON, its format version,
 * its fields) and the lengths.
 * @param label how messages name the file (its path)
 * @throws CertDeskError INVALID_INPUT "LABEL is not a CertDesk backup …" (no marker);
 *   VAULT_TAMPERED "LABEL is damaged or was altered …" (the checksum, or a header that does not parse or does not
 *   fit the file); VAULT_TOO_NEW "LABEL was written by a newer CertDesk (backup format N …)"
 */
export function parseBackup(bytes: Buffer, label: string): ParsedBackup {
  if (bytes.length < BACKUP_MAGIC.length || !bytes.subarray(0, BACKUP_MAGIC.length).equals(BACKUP_MAGIC)) {
    throw new CertDeskError('INVALID_INPUT', `${label} is not a CertDesk backup (it does not start with the CertDesk backup marker)`, { path: label });
  }
  const damaged = (why: string) =>
    new CertDeskError('VAULT_TAMPERED', `${label} is damaged or was altered: ${why}; it cannot be verified or restored`, { path: label, problem: why });
  if (bytes.length < PREFIX + MAC_BYTES + CHECKSUM_BYTES) throw damaged(`it is cut short (${bytes.length} bytes)`);
  const body = bytes.subarray(0, bytes.length - CHECKSUM_BYTES);
  const sum = createHash('sha256').update(body).digest();
  if (!timingSafeEqual(sum, bytes.subarray(bytes.length - CHECKSUM_BYTES))) throw damaged('its SHA-256 checksum does not match its content');
  const headerLength = bytes.readUInt32BE(BACKUP_MAGIC.length);
  if (headerLength > MAX_HEADER_BYTES || PREFIX + headerLength > body.length - MAC_BYTES) throw damaged(`its header length (${headerLength} bytes) does not fit the file`);
  const hb = bytes.subarray(PREFIX, PREFIX + headerLength);
  let raw: unknown;
  try {
    raw = JSON.parse(hb.toString('utf8'));
  } catch {
    throw damaged('its header is not readable JSON');
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && Number.isInteger(version) && version > BACKUP_FORMAT_VERSION) {
    throw new CertDeskError(
      'VAULT_TOO_NEW',
      `${label} was written by a newer CertDesk (backup format ${version}; this version reads up to ${BACKUP_FORMAT_VERSION}). Update CertDesk to verify or restore it.`,
      { path: label, version, supported: BACKUP_FORMAT_VERSION },
    );
  }
  const problem = headerProblem(raw);
  if (problem) throw damaged(`its header ${problem}`);
  const header = raw as BackupHeader;
  const payload = body.subarray(PREFIX + headerLength, body.length - MAC_BYTES);
  if (payload.length !== header.payload.bytes) throw damaged(`its payload is ${payload.length} bytes where the header says ${header.payload.bytes}`);
  return { header, headerBytes: hb, payload, mac: body.subarray(body.length - MAC_BYTES), signed: body.subarray(0, body.length - MAC_BYTES) };
}

const isHex = (v: unknown, bytes?: number) => typeof v === 'string' && /^([0-9a-f]{2})*$/.test(v) && (bytes === undefined || v.length === bytes * 2);
const isCount = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** What is wrong with a parsed header ("has no manifest"), or null when it has every field of format 1. */
function headerProblem(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null) return 'is not an object';
  const h = raw as Record<string, unknown>;
  if (h.format !== 'certdesk-backup') return 'does not name the certdesk-backup format';
  if (h.version !== BACKUP_FORMAT_VERSION) return `has format version ${JSON.stringify(h.version)}, not ${BACKUP_FORMAT_VERSION}`;
  const m = h.manifest as Record<string, unknown> | undefined;
  if (typeof m !== 'object' || m === null) return 'has no manifest';
  const counts = m.counts as Record<string, unknown> | undefined;
  if (
    !isCount(m.certdeskSchema) ||
    typeof m.createdAt !== 'string' ||
    !(m.vaultCreatedAt === null || typeof m.vaultCreatedAt === 'string') ||
    typeof counts !== 'object' ||
    counts === null ||
    !isCount(counts.cas) ||
    !isCount(counts.certificates) ||
    !isHex(m.payloadSha256, 32) ||
    !isCount(m.payloadBytes)
  ) {
    return 'has a manifest with a missing or malformed field';
  }
  if (!Array.isArray(h.keyWraps) || h.keyWraps.length === 0) return 'lists no key wrap';
  const p = h.payload as Record<string, unknown> | undefined;
  if (typeof p !== 'object' || p === null || p.cipher !== 'aes-256-gcm' || !isHex(p.nonce, 12) || !isCount(p.bytes) || (p.bytes as number) < TAG_BYTES) {
    return 'has a malformed payload description';
  }
  return null;
}

/**
 * scrypt parameters a CertDesk vault can have (N a power of two from 2^10 to 2^20, r 1 to 32, p 1 to 16, and at
 * most 1 GiB of memory: 128 * N * r bytes): a forged header cannot make verification ask for more.
 */
function sensibleCost(kdf: Record<string, unknown>): boolean {
  const { N, r, p } = kdf;
  if (!isCount(N) || !isCount(r) || !isCount(p)) return false;
  const [n, rr, pp] = [N as number, r as number, p as number];
  return n >= 2 ** 10 && n <= 2 ** 20 && (n & (n - 1)) === 0 && rr >= 1 && rr <= 32 && pp >= 1 && pp <= 16 && 128 * n * rr <= 2 ** 30;
}

/**
 * The passphrase wrap among the key wraps; null when there is none (a file wrapped only by a later method).
 * @throws CertDeskError VAULT_TAMPERED "LABEL is damaged or was altered: its passphrase key wrap is malformed …"
 */
export function passphraseWrap(header: BackupHeader, label: string): PassphraseWrap | null {
  const w = header.keyWraps.find((k) => (k as { method?: unknown } | null)?.method === 'passphrase') as Record<string, unknown> | undefined;
  if (!w) return null;
  const kdf = w.kdf as Record<string, unknown> | undefined;
  const wellFormed = typeof kdf === 'object' && kdf !== null && kdf.alg === 'scrypt' && sensibleCost(kdf) && isHex(kdf.salt) && isHex(w.nonce, 12) && isHex(w.ciphertext, 48);
  if (!wellFormed) {
    const why = 'its passphrase key wrap is malformed (scrypt parameters, salt, nonce or wrapped key)';
    throw new CertDeskError('VAULT_TAMPERED', `${label} is damaged or was altered: ${why}; it cannot be verified or restored`, { path: label, problem: why });
  }
  return w as unknown as PassphraseWrap;
}

/** At most as many backup shares as a CA key's split (quorum/split.ts MAX_SHARES). */
const MAX_BACKUP_SHARES = 16;

/**
 * The shares wrap among the key wraps; null when there is none (a backup made without --shares).
 * @throws CertDeskError VAULT_TAMPERED "LABEL is damaged or was altered: its shares key wrap is malformed …"
 */
export function sharesWrap(header: BackupHeader, label: string): SharesWrap | null {
  const w = header.keyWraps.find((k) => (k as { method?: unknown } | null)?.method === 'shares') as Record<string, unknown> | undefined;
  if (!w) return null;
  const { k, n, holders } = w;
  const wellFormed =
    isHex(w.splitId, 16) &&
    Number.isInteger(n) &&
    (n as number) >= 2 &&
    (n as number) <= MAX_BACKUP_SHARES &&
    Number.isInteger(k) &&
    (k as number) >= 2 &&
    (k as number) <= (n as number) &&
    Array.isArray(holders) &&
    holders.length === n &&
    holders.every((h) => typeof h === 'string' && h.length > 0 && [...h].length <= 64) &&
    isHex(w.nonce, 12) &&
    isHex(w.ciphertext, 80);
  if (!wellFormed) {
    const why = 'its shares key wrap is malformed (split id, K, N, holders, nonce or wrapped keys)';
    throw new CertDeskError('VAULT_TAMPERED', `${label} is damaged or was altered: ${why}; it cannot be verified or restored`, { path: label, problem: why });
  }
  return w as unknown as SharesWrap;
}
