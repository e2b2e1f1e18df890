// RFC 7292 Appendix B: the PKCS#12 key derivation, used for the legacy PBE algorithms
// (pbeWithSHAAnd3-KeyTripleDES-CBC) and for every PKCS#12 MAC key, whatever the profile.
// Synchronous JavaScript, 0.3 to 0.4 s per million SHA-1 or SHA-256 rounds: the app runs PKCS#12 import and
// export on a worker thread (workers/off-thread.ts), never on the main process's event loop.
import { hash as oneShot } from 'node:crypto';
import { hasRounds, iteratedDigest } from './noble-rounds.js';
import { meterKdf } from './kdf-budget.js';

export type Pkcs12Hash = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/** Diversifier ID from RFC 7292 B.3: what the derived bytes are for. */
export const KDF_ID = { key: 1, iv: 2, mac: 3 } as const;
export type KdfId = (typeof KDF_ID)[keyof typeof KDF_ID];

/** u = digest length, v = the hash's input block length, both in bytes (RFC 7292 B.2). */
const HASH_SIZES: Readonly<Record<Pkcs12Hash, { u: number; v: number }>> = {
  sha1: { u: 20, v: 64 },
  sha224: { u: 28, v: 64 },
  sha256: { u: 32, v: 64 },
  sha384: { u: 48, v: 128 },
  sha512: { u: 64, v: 128 },
};

export function digestLength(hash: Pkcs12Hash): number {
  return HASH_SIZES[hash].u;
}

/**
 * The password as the PKCS#12 KDF wants it: a BMPString, big-endian UTF-16 code units followed by
 * a two-byte zero terminator. Characters beyond the BMP become surrogate pairs, which is what
 * OpenSSL 3's OPENSSL_utf82uni writes, so such passwords interoperate with it.
 */
export function bmpPassword(password: string): Uint8Array {
  const out = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    const unit = password.charCodeAt(i);
    out[2 * i] = unit >> 8;
    out[2 * i + 1] = unit & 0xff;
  }
  return out;
}

/** Concatenates copies of data up to the next multiple of v bytes; empty stays empty (B.2 steps 2 and 3). */
function fillBlocks(data: Uint8Array, v: number): Uint8Array {
  const out = new Uint8Array(v * Math.ceil(data.length / v));
  for (let i = 0; i < out.length; i++) out[i] = data[i % data.length]!;
  return out;
}

// The KDF's rounds hash one short input each (A = H(A), u bytes), so a round costs what a call costs:
// node:crypto's one-shot hash 1 to 2.5 us a call on the development machine (OpenSSL 3 looks the digest up each
// time), where OpenSSL's own PKCS12KDF took 0.09 to 0.13 us a round there and 0.07 to 0.09 us on the 2026-12-03
// bench machine (`npm run bench` measures it). SHA-1 and SHA-224/256 run on @noble/hashes's compression function
// (noble-rounds.ts): 0.3 to 0.4 us a round. Its SHA-384/512 emulate 64-bit words and are slower than node:crypto,
// so those stay native.

/**
 * Rounds of this KDF run on this thread since the thread started (a worker thread has its own count). Tests read
 * the difference around a call to show on which thread the KDF ran (test/helpers/event-loop.ts kdfRoundsHere);
 * nothing else depends on it.
 */
export const pkcs12KdfRounds = { count: 0 };

/** B.2 step 6A: H^iterations(data), `iterations` >= 1. */
function iteratedHash(hash: Pkcs12Hash, data: Uint8Array, iterations: number): Uint8Array {
  let a: Uint8Array;
  if (hasRounds(hash)) a = iteratedDigest(hash, data, iterations);
  else {
    a = oneShot(hash, data, 'buffer');
    for (let r = 1; r < iterations; r++) a = oneShot(hash, a, 'buffer');
  }
  pkcs12KdfRounds.count += iterations;
  return a;
}

/** B.2 step 6C: every v-byte block I_j of I becomes (I_j + B + 1) mod 2^(8v), big-endian. */
function addToEveryBlock(I: Uint8Array, B: Uint8Array, v: number): void {
  for (let start = 0; start < I.length; start += v) {
    let carry = 1;
    for (let k = v - 1; k >= 0; k--) {
      const sum = I[start + k]! + B[k]! + carry;
      I[start + k] = sum & 0xff;
      carry = sum >> 8;
    }
  }
}

/**
 * Derives `length` bytes per RFC 7292 B.2. `password` is already encoded (see bmpPassword); an
 * empty array is the "NULL password" some implementations use for files without a password.
 */
export function pkcs12Kdf(
  hash: Pkcs12Hash,
  password: Uint8Array,
  salt: Uint8Array,
  id: KdfId,
  iterations: number,
  length: number,
): Uint8Array {
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new RangeError('PKCS#12 KDF: iterations must be a positive integer');
  meterKdf({ what: 'PKCS#12 KDF', kdf: 'pkcs12', hash, iterations, bytes: length });
  const { u, v } = HASH_SIZES[hash];
  const D = new Uint8Array(v).fill(id);
  const S = fillBlocks(salt, v);
  const P = fillBlocks(password, v);
  const I = new Uint8Array(S.length + P.length);
  I.set(S);
  I.set(P, S.length);
  const out = new Uint8Array(length);
  const DI = new Uint8Array(v + I.length);
  DI.set(D);
  // Everything but `out` is derived from the password: wiped before returning.
  const derived: Uint8Array[] = [P, I, DI];
  try {
    for (let filled = 0; ; filled += u) {
      DI.set(I, v);
      const A = iteratedHash(hash, DI, iterations);
      derived.push(A);
      out.set(A.subarray(0, Math.min(u, length - filled)), filled);
      if (filled + u >= length) return out;
      const B = fillBlocks(A, v);
      derived.push(B);
      addToEveryBlock(I, B, v);
    }
  } finally {
    for (const bytes of derived) bytes.fill(0);
  }
}
