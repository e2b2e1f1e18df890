// The vault's cryptography: passphrase KDF (scrypt), vault-key wrapping, per-record AES-256-GCM sealing,
// and sub-keys derived from the vault key so that encryption and audit MACs never share a key.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface KdfParams {
  alg: 'scrypt';
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
  salt: string; // hex
}

/** About 0.3 s and 128 MiB on a laptop core (see the field notes); raise later by rewrapping. */
export const DEFAULT_KDF: Omit<KdfParams, 'salt'> = { alg: 'scrypt', N: 2 ** 17, r: 8, p: 1 };

export function newKdfParams(cost: Omit<KdfParams, 'salt'> = DEFAULT_KDF): KdfParams {
  return { ...cost, salt: randomBytes(16).toString('hex') };
}

/** Runs on libuv's thread pool, so the Electron main process stays responsive while it works. */
export function deriveKek(passphrase: string, params: KdfParams): Promise<Buffer> {
  const maxmem = 128 * params.N * params.r * 2 + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), Buffer.from(params.salt, 'hex'), 32, { N: params.N, r: params.r, p: params.p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export interface Sealed {
  nonce: Buffer;
  /** Ciphertext followed by the 16-byte GCM tag. */
  ciphertext: Buffer;
}

export function seal(key: Buffer, plaintext: Uint8Array, aad: string): Sealed {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]);
  return { nonce, ciphertext: body };
}

/** Returns null when the key, nonce, AAD or ciphertext do not match (wrong key or tampering). */
export function open(key: Buffer, sealed: Sealed, aad: string): Buffer | null {
  if (sealed.ciphertext.length < 16) return null;
  const body = sealed.ciphertext.subarray(0, sealed.ciphertext.length - 16);
  const tag = sealed.ciphertext.subarray(sealed.ciphertext.length - 16);
  const d = createDecipheriv('aes-256-gcm', key, sealed.nonce);
  d.setAAD(Buffer.from(aad, 'utf8'));
  d.setAuthTag(tag);
  try {
    return Buffer.concat([d.update(body), d.final()]);
  } catch {
    return null;
  }
}

export interface VaultSubkeys {
  /** AES-256-GCM key that seals private keys (and other secrets kept in rows). */
  records: Buffer;
  /** HMAC key of the audit chain. */
  audit: Buffer;
  /** HMAC key of the record MACs and record-set digests (record-store.ts). */
  recordMac: Buffer;
}

/** Independent sub-keys of the vault key (HKDF-SHA256, one "info" label each), so no two uses share a key. */
export function deriveSubkeys(vaultKey: Buffer): VaultSubkeys {
  const sub = (info: string) => Buffer.from(hkdfSync('sha256', vaultKey, Buffer.alloc(0), info, 32));
  return { records: sub('certdesk records v1'), audit: sub('certdesk audit mac v1'), recordMac: sub('certdesk record mac v1') };
}

export function hmacHex(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data, 'utf8').digest('hex');
}

export function equalHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export function newVaultKey(): Buffer {
  return randomBytes(32);
}
