// The one check for public keys that come from outside (a CSR, an imported CA certificate): the key type and
// size rules of keys.ts, and for RSA the exponent and modulus rules of FIPS 186-4 that keys.ts does not read.
import * as asn1js from 'asn1js';
import type { KeyType } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { keyTypeOfSpki } from './keys.js';

const RSA_OIDS = new Set(['1.2.840.113549.1.1.1', '1.2.840.113549.1.1.10']); // rsaEncryption, id-RSASSA-PSS
const E_MIN = 65537n;
/** FIPS 186-4 B.3.1: 2^16 < e < 2^256. */
const E_LIMIT = 1n << 256n;

export interface RsaPublicNumbers {
  modulus: bigint;
  exponent: bigint;
  /** Bit length of the modulus. */
  bits: number;
}

function bigintOf(block: asn1js.Integer): bigint {
  const bytes = block.valueBlock.valueHexView;
  if (bytes.length === 0) return 0n;
  const value = BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
  // A negative INTEGER (top bit set): two's complement.
  return bytes[0]! & 0x80 ? value - (1n << BigInt(bytes.length * 8)) : value;
}

function unreadable(field: string): CertDeskError {
  return new CertDeskError('INVALID_INPUT', `${field}: the public key cannot be parsed`, { field });
}

/**
 * The modulus and public exponent of an RSA SubjectPublicKeyInfo (RFC 3279 2.3.1 RSAPublicKey, RFC 4055 for
 * RSASSA-PSS), or null for any other algorithm. Throws CertDeskError INVALID_INPUT when the DER does not parse.
 */
export function rsaPublicNumbers(spki: Uint8Array, field = 'key'): RsaPublicNumbers | null {
  const outer = asn1js.fromBER(spki);
  if (outer.offset !== spki.byteLength || !(outer.result instanceof asn1js.Sequence)) throw unreadable(field);
  const [algorithm, key] = outer.result.valueBlock.value;
  const oid = algorithm instanceof asn1js.Sequence ? algorithm.valueBlock.value[0] : undefined;
  if (!(oid instanceof asn1js.ObjectIdentifier) || !(key instanceof asn1js.BitString)) throw unreadable(field);
  if (!RSA_OIDS.has(oid.getValue())) return null;
  const inner = asn1js.fromBER(key.valueBlock.valueHexView);
  const [n, e] = inner.result instanceof asn1js.Sequence ? inner.result.valueBlock.value : [];
  if (inner.offset !== key.valueBlock.valueHexView.byteLength || !(n instanceof asn1js.Integer) || !(e instanceof asn1js.Integer)) throw unreadable(field);
  const modulus = bigintOf(n);
  return { modulus, exponent: bigintOf(e), bits: modulus > 0n ? modulus.toString(2).length : 0 };
}

/**
 * Checks a public key that enters the vault from outside (DER SubjectPublicKeyInfo) and returns its key type.
 * For RSA, first (before any signature made with the key is verified): the public exponent e must be odd with
 * 65537 <= e < 2^256 and the modulus must be odd and positive (FIPS 186-4 B.3.1 and 5.1); then the type and
 * size rules of keyTypeOfSpki (keys.ts): RSA-2048/3072/4096, EC P-256/P-384.
 * Throws CertDeskError WEAK_KEY (exponent below 65537, even exponent or modulus, RSA below 2048 bits, weak
 * curve), UNSUPPORTED_KEY (exponent of 2^256 or more, other sizes, curves or algorithms) or INVALID_INPUT
 * (not a parsable key); messages start with `field` and name the exponent or modulus that is wrong.
 */
export function checkForeignPublicKey(spki: Uint8Array, field = 'key'): KeyType {
  const rsa = rsaPublicNumbers(spki, field);
  if (rsa) {
    const { exponent: e, modulus: n } = rsa;
    if (e < E_MIN) {
      throw new CertDeskError('WEAK_KEY', `${field}: RSA public exponent ${e} is too small (FIPS 186-4 requires an odd exponent of at least 65537)`, { field, exponent: e.toString() });
    }
    if (e % 2n === 0n) {
      throw new CertDeskError('WEAK_KEY', `${field}: RSA public exponent ${e} is even (FIPS 186-4 requires an odd exponent of at least 65537)`, { field, exponent: e.toString() });
    }
    if (e >= E_LIMIT) {
      throw new CertDeskError('UNSUPPORTED_KEY', `${field}: RSA public exponent of ${e.toString(2).length} bits is too large (FIPS 186-4 requires it below 2^256)`, { field });
    }
    if (n <= 0n) throw new CertDeskError('WEAK_KEY', `${field}: the RSA modulus is zero or negative`, { field });
    if (n % 2n === 0n) {
      throw new CertDeskError('WEAK_KEY', `${field}: the RSA modulus (${rsa.bits} bits) is even, so it is not a product of two large primes`, { field });
    }
  }
  return keyTypeOfSpki(spki, field);
}
