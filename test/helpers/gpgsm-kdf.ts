// An independent reimplementation of GnuPG 2.2's PKCS#12 key derivation (sm/minip12.c,
// string_to_key, read in the 2.2.40 source), fault included: after B.2 step 6C each 64-byte block
// is written back with only its significant bytes (libgcrypt's unsigned mpi_print), left-aligned, the
// block's old last bytes left in place. Written from the C source's behaviour, not from
// electron/core/pki/pkcs12-gpgsm.ts, so that the two can check each other.
import { hash } from 'node:crypto';

function sha1(data: Uint8Array): Buffer {
  return hash('sha1', data, 'buffer');
}

function toBig(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/** Big-endian bytes of n without leading zeros (zero has none), as gcry_mpi_print(GCRYMPI_FMT_USG) writes. */
function significantBytes(n: bigint): number[] {
  const out: number[] = [];
  while (n > 0n) {
    out.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  return out;
}

/**
 * gpgsm 2.2's string_to_key: `id` 1 key, 2 IV, 3 MAC; `password` as gpgsm passes it (bytes of the
 * UTF-8 password, at most 31), each byte becoming (0, byte) with a zero terminator; `salt` of 8 to
 * 64 bytes; returns `length` bytes.
 */
export function gpgsmStringToKey(id: number, salt: Uint8Array, iterations: number, password: string, length: number): Uint8Array {
  const pw = Buffer.from(password, 'utf8');
  if (pw.length > 31) throw new RangeError('gpgsm 2.2 refuses passwords longer than 31 bytes');
  if (salt.length < 8) throw new RangeError('gpgsm 2.2 refuses salts shorter than 8 bytes');
  const bufI = new Uint8Array(128);
  for (let i = 0; i < 64; i++) bufI[i] = salt[i % salt.length]!;
  for (let i = 0, j = 0; i < 64; i += 2) {
    bufI[64 + i] = 0;
    bufI[64 + i + 1] = j < pw.length ? pw[j]! : 0;
    if (++j > pw.length) j = 0;
  }
  const out: number[] = [];
  for (;;) {
    let a = sha1(Buffer.concat([Buffer.alloc(64, id), bufI]));
    for (let r = 1; r < iterations; r++) a = sha1(a);
    for (let i = 0; i < 20 && out.length < length; i++) out.push(a[i]!);
    if (out.length === length) return Uint8Array.from(out);
    const bufB = new Uint8Array(64);
    for (let i = 0; i < 64; i++) bufB[i] = a[i % 20]!;
    const b1 = toBig(bufB) + 1n;
    for (let i = 0; i < 128; i += 64) {
      const sum = (toBig(bufI.subarray(i, i + 64)) + b1) & ((1n << 512n) - 1n);
      bufI.set(significantBytes(sum), i); // the fault: no left padding, old tail bytes stay
    }
  }
}
