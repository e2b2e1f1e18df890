// RC2-CBC (RFC 2268) for reading the legacy PKCS#12 PBE schemes pbeWithSHAAnd40BitRC2-CBC and
// pbeWithSHAAnd128BitRC2-CBC (RFC 7292 appendix C). Node's OpenSSL 3 keeps RC2 in the legacy
// provider, which Node does not load, and Electron's BoringSSL has none: the block cipher comes from
// node-forge. CertDesk only ever decrypts with it; it never writes RC2.
import forge from 'node-forge';
import { malformed, pfxError } from './pkcs12-asn1.js';

/** RC2 block and IV size in bytes (RFC 2268). */
export const RC2_BLOCK_BYTES = 8;

/** Thrown when the PKCS#7 padding after decryption does not check out: a wrong key, hence a wrong password. */
export class Rc2PaddingError extends Error {
  constructor() {
    super('RC2-CBC: the padding after decryption is invalid');
    this.name = 'Rc2PaddingError';
  }
}

function byteString(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1');
}

/**
 * Decrypts RC2-CBC with PKCS#7 padding (RFC 2268, RFC 8018 6.1.1 padding).
 * `key` is the RC2 key (5 bytes for RC2-40, 16 for RC2-128), used with as many effective key bits
 * as it has bytes times 8, which is what RFC 7292's two RC2 PBE schemes and OpenSSL use. `iv` is 8 bytes.
 * Returns the plaintext without padding. Throws RangeError for an IV that is not 8 bytes, a key
 * outside 1..128 bytes or a ciphertext that is not a whole number of blocks, and Rc2PaddingError
 * when the padding is wrong (the caller turns that into its wrong-password error).
 */
export function rc2CbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  if (iv.length !== RC2_BLOCK_BYTES) throw new RangeError(`RC2-CBC: the IV must be ${RC2_BLOCK_BYTES} bytes, not ${iv.length}`);
  if (key.length < 1 || key.length > 128) throw new RangeError(`RC2-CBC: the key must be 1 to 128 bytes, not ${key.length}`);
  if (ciphertext.length === 0 || ciphertext.length % RC2_BLOCK_BYTES !== 0) {
    throw new RangeError(`RC2-CBC: the ciphertext length ${ciphertext.length} is not a positive multiple of ${RC2_BLOCK_BYTES}`);
  }
  const decipher = forge.rc2.createDecryptionCipher(forge.util.createBuffer(byteString(key)), key.length * 8);
  decipher.start(forge.util.createBuffer(byteString(iv)));
  decipher.update(forge.util.createBuffer(byteString(ciphertext)));
  // Padding is checked here, fully: forge's own check only looks at the last byte.
  decipher.finish(() => true);
  const padded = Buffer.from(decipher.output.getBytes(), 'latin1');
  const pad = padded[padded.length - 1]!;
  if (pad < 1 || pad > RC2_BLOCK_BYTES || padded.length < pad) throw new Rc2PaddingError();
  for (let i = padded.length - pad; i < padded.length; i++) if (padded[i] !== pad) throw new Rc2PaddingError();
  return new Uint8Array(padded.subarray(0, padded.length - pad));
}


/** The RFC 7292 appendix C RC2 schemes by OID: key and IV lengths in bytes for the PKCS#12 KDF. */
export const RC2_PBE_SCHEMES: Readonly<Record<string, { readonly name: string; readonly keyLength: number; readonly ivLength: number }>> = {
  '1.2.840.113549.1.12.1.6': { name: 'rc2-40-cbc', keyLength: 5, ivLength: RC2_BLOCK_BYTES }, // pbeWithSHAAnd40BitRC2-CBC
  '1.2.840.113549.1.12.1.5': { name: 'rc2-128-cbc', keyLength: 16, ivLength: RC2_BLOCK_BYTES }, // pbeWithSHAAnd128BitRC2-CBC
};

/**
 * Decrypts one PKCS#12 RC2 PBE ciphertext with the key and IV the PKCS#12 KDF derived (RFC 7292
 * appendix B and C). `what` names the part of the file in errors. Throws PFX_MALFORMED when the
 * ciphertext is not a whole number of 8-byte blocks and PFX_BAD_PASSWORD when the padding does not
 * check out (a wrong key, hence a wrong password).
 */
export function decryptRc2Pbe(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, what: string): Uint8Array {
  if (ciphertext.length === 0 || ciphertext.length % RC2_BLOCK_BYTES !== 0) throw malformed(`${what}: the ciphertext is not a whole number of RC2 blocks`);
  try {
    return rc2CbcDecrypt(key, iv, ciphertext);
  } catch (e) {
    if (e instanceof Rc2PaddingError) throw pfxError('PFX_BAD_PASSWORD', `${what} could not be decrypted: wrong password`);
    throw e;
  }
}
