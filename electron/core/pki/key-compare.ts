// Public keys compared by their mathematical value, and EC keys re-encoded in the one form CertDesk
// stores. The same key can be encoded several ways: an EC key with explicit curve parameters
// (`openssl ec -param_enc explicit`) or a compressed point (`-conv_form compressed`) is a different
// SubjectPublicKeyInfo from the named-curve, uncompressed one in its certificate, so byte comparison
// would call a key "not matching its own certificate".
//
// The values come from node:crypto's JWK export (RFC 7517/7518): RSA as (n, e), EC as (crv, x, y).
// OpenSSL (and BoringSSL in Electron) recognise explicit parameters equal to a named curve's, every
// parameter compared (p, a, b, G, n, h), and report that curve; parameters of no curve they know
// have no JWK form and are refused.
import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { CertDeskError } from '../../../shared/errors.js';

/** The mathematical value of a public key: RSA (n, e), EC (curve, x, y); other key types by their DER SPKI. */
type KeyValue =
  | { readonly kind: 'rsa'; readonly n: string; readonly e: string }
  | { readonly kind: 'ec'; readonly crv: string; readonly x: string; readonly y: string }
  | { readonly kind: 'other'; readonly spki: string };

function ecJwk(key: KeyObject, field: string): JsonWebKey {
  try {
    return key.export({ format: 'jwk' });
  } catch {
    throw new CertDeskError('UNSUPPORTED_KEY', `${field}: the elliptic curve key's parameters are not those of a named curve`, { field });
  }
}

/** Reduces a public or private KeyObject to the value of its public key. Throws UNSUPPORTED_KEY for an EC key on an unnamed curve. */
function keyValue(key: KeyObject, field: string): KeyValue {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  if (pub.asymmetricKeyType === 'ec') {
    const jwk = ecJwk(pub, field);
    return { kind: 'ec', crv: String(jwk.crv), x: String(jwk.x), y: String(jwk.y) };
  }
  if (pub.asymmetricKeyType === 'rsa') {
    const jwk = pub.export({ format: 'jwk' });
    return { kind: 'rsa', n: String(jwk.n), e: String(jwk.e) };
  }
  return { kind: 'other', spki: pub.export({ format: 'der', type: 'spki' }).toString('base64') };
}

/**
 * True when two keys (public or private KeyObjects) hold the same public key by value: RSA by modulus
 * and exponent, EC by curve and point, so explicit-parameter curves and compressed points compare
 * equal to their named-curve, uncompressed forms (SEC 1 2.3.3/2.3.4, RFC 5480 2.1.1).
 * Throws CertDeskError UNSUPPORTED_KEY (naming `field`) for an EC key whose parameters are no named curve.
 */
export function sameKeyValue(a: KeyObject, b: KeyObject, field = 'key'): boolean {
  const va = keyValue(a, field);
  const vb = keyValue(b, field);
  if (va.kind === 'rsa' && vb.kind === 'rsa') return va.n === vb.n && va.e === vb.e;
  if (va.kind === 'ec' && vb.kind === 'ec') return va.crv === vb.crv && va.x === vb.x && va.y === vb.y;
  if (va.kind === 'other' && vb.kind === 'other') return va.spki === vb.spki;
  return false;
}

/**
 * The DER SubjectPublicKeyInfo of a key (public or private KeyObject) in canonical form: EC keys with
 * the namedCurve OID and an uncompressed point (RFC 5480), others as node:crypto encodes them. Two
 * keys have equal canonical SPKIs exactly when sameKeyValue holds.
 * Throws CertDeskError UNSUPPORTED_KEY for an EC key whose parameters are no named curve.
 */
export function canonicalSpki(key: KeyObject, field = 'key'): Buffer {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  if (pub.asymmetricKeyType !== 'ec') return pub.export({ format: 'der', type: 'spki' });
  const { kty, crv, x, y } = ecJwk(pub, field);
  return createPublicKey({ key: { kty, crv, x, y }, format: 'jwk' }).export({ format: 'der', type: 'spki' });
}

/**
 * What CertDesk stores for a DER PKCS#8 private key: EC keys re-encoded with the namedCurve OID
 * (RFC 5915 ECPrivateKey inside PKCS#8, public point uncompressed), so every later use (WebCrypto
 * signing, PKCS#12 export, other tools) sees the common form; RSA and other keys unchanged.
 * Throws CertDeskError INVALID_INPUT when the bytes are not PKCS#8, UNSUPPORTED_KEY for an EC key
 * on an unnamed curve.
 */
export function canonicalPkcs8(pkcs8: Uint8Array, field = 'key'): Uint8Array {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  } catch {
    throw new CertDeskError('INVALID_INPUT', `${field}: the private key cannot be parsed as PKCS#8`, { field });
  }
  if (key.asymmetricKeyType !== 'ec') return pkcs8;
  const jwk = ecJwk(key, field);
  return new Uint8Array(createPrivateKey({ key: jwk, format: 'jwk' }).export({ format: 'der', type: 'pkcs8' }));
}
