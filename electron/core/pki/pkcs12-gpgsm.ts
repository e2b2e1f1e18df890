// GnuPG's gpgsm 2.2 (what Kleopatra uses on many desktops) gets the RFC 7292 appendix B key
// derivation wrong for some salts, and then reports a correct password as bad.
//
// The fault (sm/minip12.c, string_to_key, GnuPG 2.2 up to at least 2.2.40): when more than one
// SHA-1 block is needed (the 24-byte 3DES key, not the 8-byte IV, the 5-byte RC2-40 key or the
// 20-byte HMAC-SHA1 key), step B.2 6C replaces each 64-byte block I_j of I by (I_j + B + 1) mod 2^512.
// gpgsm does that sum with libgcrypt big integers and writes the result back with gcry_mpi_print in
// unsigned format, which writes only the significant bytes, left-aligned: when the sum's first byte
// is 0 the block is shifted left by a byte and its last byte keeps the old value. The second hash
// block, hence bytes 21..24 of the key, then differ from RFC 7292's. Each block hits this with
// probability about 1/256, so about 1 3DES derivation in 128 and 1 legacy PFX file in 64 (two
// 3DES encryptions each) is refused by gpgsm.
//
// Writers avoid it by drawing another salt when the derivation would hit the fault; that needs only
// the first hash block, which is the first 20 bytes of the derived key.

/** SHA-1's output (u) and input block (v) sizes in bytes, RFC 7292 B.2. */
const U = 20;
const V = 64;

/** data repeated to fill `length` bytes (B.2 steps 2, 3 and 6B), empty staying all zeros. */
function repeatTo(data: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  if (data.length > 0) for (let i = 0; i < length; i++) out[i] = data[i % data.length]!;
  return out;
}

/** The first byte of (block + B + 1) mod 2^(8v), both big-endian v-byte numbers. */
function leadingByteOfSum(block: Uint8Array, B: Uint8Array): number {
  let carry = 1;
  let first = 0;
  for (let k = V - 1; k >= 0; k--) {
    const sum = block[k]! + B[k]! + carry;
    first = sum & 0xff;
    carry = sum >> 8;
  }
  return first;
}

/**
 * True when gpgsm 2.2 would derive a different key than RFC 7292 B.2 for a SHA-1 PKCS#12 KDF output
 * of `length` bytes with this password and salt, i.e. when a file encrypted with it would be
 * refused by gpgsm as a bad password. Shapes: `passwordBmp` is the BMPString password with its
 * terminator (pkcs12-kdf.ts bmpPassword), `salt` the PBE salt (8 to 64 bytes, what gpgsm reads),
 * `firstBlock` the first 20 bytes of the derived output (A_1), `length` the derived length in bytes.
 * Only lengths of 21 to 40 bytes (one I update; the 3DES key is 24) can be affected; shorter
 * outputs never are. Throws RangeError for a firstBlock that is not 20 bytes or a length over 40.
 * Passwords of more than 31 characters gpgsm 2.2 refuses whatever the salt; that is not this fault.
 */
export function gpgsmMisderives(passwordBmp: Uint8Array, salt: Uint8Array, firstBlock: Uint8Array, length: number): boolean {
  if (firstBlock.length !== U) throw new RangeError(`gpgsmMisderives: the first block must be ${U} bytes, not ${firstBlock.length}`);
  if (!Number.isInteger(length) || length < 1 || length > 2 * U) throw new RangeError(`gpgsmMisderives: length must be 1 to ${2 * U} bytes`);
  if (length <= U) return false;
  const B = repeatTo(firstBlock, V);
  const blocks = [repeatTo(salt, V * Math.ceil(salt.length / V)), repeatTo(passwordBmp, V * Math.ceil(passwordBmp.length / V))];
  for (const part of blocks) {
    for (let start = 0; start < part.length; start += V) {
      if (leadingByteOfSum(part.subarray(start, start + V), B) === 0) return true;
    }
  }
  return false;
}
