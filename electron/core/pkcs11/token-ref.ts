// The "token reference": what the vault seals for a CA key that lives on a PKCS#11 token, in place of the
// PKCS#8 (the same place a quorum envelope takes, quorum/envelope.ts). It says where the key is, never a PIN:
//   "CDTK" | version byte 1 | JSON { module, token, serial, id, label } (UTF-8)
// It sits inside the vault's AES-256-GCM seal of the keys row, so the vault's seal and MAC cover it, and the
// keys row's spki is the token key's public key. Kept free of native imports (loadSigner reads it for every CA).
import { CertDeskError } from '../../../shared/errors.js';

const MAGIC = Buffer.from('CDTK', 'latin1');
const VERSION = 1;

export interface TokenReference {
  /** The PKCS#11 module (shared library) path, as given when the key was created or adopted. */
  module: string;
  /** The token's label (CK_TOKEN_INFO.label, trailing blanks removed). */
  token: string;
  /** The token's serial number (CK_TOKEN_INFO.serialNumber, trimmed): another token with the same label is not this one. */
  serial: string;
  /** The key's CKA_ID, hex. */
  id: string;
  /** The key's CKA_LABEL. */
  label: string;
  /**
   * The token's user PIN, only for a CA under K-of-N control whose PIN the officers' shares seal (quorum/split.ts):
   * then this reference is inside the quorum envelope, never in a keys row on its own.
   */
  pin?: string;
}

/** Whether vault-sealed key bytes are a token reference (a PKCS#8 DER starts with 0x30, a quorum envelope with "CDQE"). */
export function isTokenReference(data: Uint8Array): boolean {
  return data.length > MAGIC.length && Buffer.from(data.subarray(0, MAGIC.length)).equals(MAGIC);
}

/** The bytes to seal for `ref`. */
export function encodeTokenReference(ref: TokenReference): Uint8Array {
  const json = JSON.stringify({ module: ref.module, token: ref.token, serial: ref.serial, id: ref.id, label: ref.label, ...(ref.pin === undefined ? {} : { pin: ref.pin }) });
  return new Uint8Array(Buffer.concat([MAGIC, Buffer.from([VERSION]), Buffer.from(json, 'utf8')]));
}

/**
 * Parses token reference bytes (see isTokenReference). VAULT_CORRUPT when they are not a version-1 reference:
 * the vault's seal already authenticated them, so a malformed one is a CertDesk bug or a newer vault.
 */
export function parseTokenReference(data: Uint8Array, keyId: string): TokenReference {
  const bad = (why: string) => new CertDeskError('VAULT_CORRUPT', `private key ${keyId}: its token reference ${why}`, { keyId });
  if (!isTokenReference(data)) throw bad('is not one');
  if (data[4] !== VERSION) throw bad(`has version ${data[4]}, this CertDesk reads version ${VERSION}`);
  let v: Partial<Record<keyof TokenReference, unknown>>;
  try {
    v = JSON.parse(Buffer.from(data.subarray(5)).toString('utf8')) as typeof v;
  } catch {
    throw bad('is unreadable');
  }
  const fields = ['module', 'token', 'serial', 'id', 'label'] as const;
  for (const f of fields) if (typeof v[f] !== 'string') throw bad(`lacks its ${f}`);
  if (v.pin !== undefined && typeof v.pin !== 'string') throw bad('has a PIN that is not text');
  const ref: TokenReference = { module: v.module as string, token: v.token as string, serial: v.serial as string, id: v.id as string, label: v.label as string };
  return typeof v.pin === 'string' ? { ...ref, pin: v.pin } : ref;
}
