// A digest of a set of records that can be updated one record at a time: the count of elements and their
// sum modulo 2^256, each element a 32-byte value read as a big-endian number. Adding and removing are
// one addition each, so a write updates the digest without reading the other records, and recomputing
// it from the rows gives the same value in any order. The elements are keyed (an HMAC, or the hash of
// one), so nobody without the vault key can pick records that sum to a given digest.
import { createHash } from 'node:crypto';

const MOD = 1n << 256n;

export const EMPTY_DIGEST = '0'.repeat(64);

export interface SetDigest {
  count: number;
  /** The sum modulo 2^256, 64 lowercase hex digits. */
  digest: string;
}

export const EMPTY_SET: SetDigest = Object.freeze({ count: 0, digest: EMPTY_DIGEST });

function toNumber(element: Uint8Array): bigint {
  if (element.length !== 32) throw new RangeError(`a set element is 32 bytes, got ${element.length}`);
  return BigInt('0x' + Buffer.from(element).toString('hex'));
}

function toHex(n: bigint): string {
  return (((n % MOD) + MOD) % MOD).toString(16).padStart(64, '0');
}

/** The set with one element added (+1) or removed (-1). */
export function changeSet(set: SetDigest, element: Uint8Array, sign: 1 | -1): SetDigest {
  return { count: set.count + sign, digest: toHex(BigInt('0x' + set.digest) + BigInt(sign) * toNumber(element)) };
}

/** The element a stored row MAC contributes: SHA-256 of the MAC's bytes (a missing MAC hashes as empty). */
export function macElement(mac: string | null): Buffer {
  return createHash('sha256').update(Buffer.from(mac ?? '', 'hex')).digest();
}

/** Sums elements one by one (recomputing a digest from the rows). */
export class SetAccumulator {
  private sum = 0n;
  private n = 0;

  add(element: Uint8Array): void {
    this.sum += toNumber(element);
    this.n++;
  }

  get value(): SetDigest {
    return { count: this.n, digest: toHex(this.sum) };
  }
}

export function sameSet(a: SetDigest, b: SetDigest): boolean {
  return a.count === b.count && a.digest === b.digest;
}
