// The quorum envelope: what the vault seals for a CA key under K-of-N control, in place of the bare PKCS#8.
// Binary layout (all inside the vault's own AES-256-GCM seal of the keys row, so the vault MAC and seal cover it):
//   "CDQE" | version byte 1 | u32 big-endian header length | header JSON (UTF-8) | 12-byte nonce | ciphertext+tag
// The ciphertext is the PKCS#8 sealed with AES-256-GCM under the quorum key Q, the AAD being ENVELOPE_AAD
// followed by the header JSON, so the CA id, split id, K, N and holder names are bound to it.
import { CertDeskError } from '../../../shared/errors.js';
import { open, seal } from '../vault/vault-crypto.js';

const MAGIC = Buffer.from('CDQE', 'latin1');
const VERSION = 1;
const ENVELOPE_AAD = 'certdesk quorum envelope v1\n';

export interface EnvelopeHeader {
  /** The CA (cas.id) whose key this is. */
  caId: number;
  /** Random id of this split (hex, 16 bytes); a re-issue makes a new one. */
  splitId: string;
  /** Shares needed (threshold). */
  k: number;
  /** Shares made. */
  n: number;
  /** Holder names, share index i + 1 belongs to holders[i]. */
  holders: string[];
  /** SHA-256 (hex) of the CA key's SubjectPublicKeyInfo: names the key across CA renewals with the same key. */
  spkiSha256: string;
  /**
   * The CA and key the split's share files name, when they are not this CA's own: a CA renewed with a new key
   * (ca-renew.ts) has its new key sealed under its predecessor's Q, in the same split, so the officers' shares of
   * the predecessor open it. Absent: the shares name this CA and this key.
   */
  sharesOf?: { caId: number; spkiSha256: string };
}

export interface Envelope {
  header: EnvelopeHeader;
  nonce: Buffer;
  ciphertext: Buffer;
}

/** Whether vault-sealed key bytes are a quorum envelope (a PKCS#8 DER always starts with 0x30). */
export function isEnvelope(data: Uint8Array): boolean {
  return data.length > MAGIC.length && Buffer.from(data.subarray(0, MAGIC.length)).equals(MAGIC);
}

/** Seals `pkcs8` under the 32-byte quorum key `q` and returns the envelope bytes. */
export function makeEnvelope(header: EnvelopeHeader, q: Buffer, pkcs8: Uint8Array): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const sealed = seal(q, pkcs8, ENVELOPE_AAD + json.toString('utf8'));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length);
  return Buffer.concat([MAGIC, Buffer.from([VERSION]), len, json, sealed.nonce, sealed.ciphertext]);
}

/**
 * Parses envelope bytes (see isEnvelope). VAULT_CORRUPT when they are not a version-1 envelope: the vault's own
 * seal already authenticated them, so a malformed one is a CertDesk bug or a vault from a newer version.
 */
export function parseEnvelope(data: Uint8Array, keyId: string): Envelope {
  const buf = Buffer.from(data);
  const bad = (why: string) => new CertDeskError('VAULT_CORRUPT', `private key ${keyId}: its quorum envelope ${why}`, { keyId });
  if (!isEnvelope(buf) || buf.length < 9) throw bad('is not one');
  if (buf[4] !== VERSION) throw bad(`has version ${buf[4]}, this CertDesk reads version ${VERSION}`);
  const len = buf.readUInt32BE(5);
  if (9 + len + 12 + 16 > buf.length) throw bad('is truncated');
  let header: EnvelopeHeader;
  try {
    header = JSON.parse(buf.toString('utf8', 9, 9 + len)) as EnvelopeHeader;
  } catch {
    throw bad('has an unreadable header');
  }
  return { header, nonce: buf.subarray(9 + len, 9 + len + 12), ciphertext: buf.subarray(9 + len + 12) };
}

/** The PKCS#8 inside, or null when `q` is not this envelope's quorum key. The caller zeroes the result. */
export function openEnvelope(env: Envelope, q: Buffer): Buffer | null {
  return open(q, { nonce: env.nonce, ciphertext: env.ciphertext }, ENVELOPE_AAD + JSON.stringify(env.header));
}
