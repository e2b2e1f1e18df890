// Key pairs on a token: generate one that never leaves it (PKCS#11 v2.40 5.14 C_GenerateKeyPair; RSA key pair
// generation and EC key pair generation, current mechanisms 2.1.4 and 2.3.5), find one by label or CKA_ID, and
// read its public key as a SubjectPublicKeyInfo (RFC 5280 4.1.2.7) from CKA_MODULUS / CKA_PUBLIC_EXPONENT or
// CKA_EC_POINT, through node:crypto's JWK import.
import { createPublicKey, randomBytes } from 'node:crypto';
import type { KeyType } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import type { TokenConnection } from './token.js';

/** The named curves' OIDs, DER encoded, as CKA_EC_PARAMS holds them (RFC 5480 2.1.1.1). */
const EC_PARAMS: Record<'ec-p256' | 'ec-p384', { der: string; crv: string; size: number }> = {
  'ec-p256': { der: '06082a8648ce3d030107', crv: 'P-256', size: 32 },
  'ec-p384': { der: '06052b81040022', crv: 'P-384', size: 48 },
};

export interface TokenKeyPair {
  /** CKA_ID shared by the private and public key, hex. */
  id: string;
  label: string;
  privateKey: Buffer;
  publicKey: Buffer;
  /** DER SubjectPublicKeyInfo of the pair. */
  spki: Uint8Array;
}

const b64url = (b: Buffer) => b.toString('base64url');

/** Strips an unsigned big integer's leading zero bytes (JWK's n and e carry none). */
function unsigned(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

/** The SPKI of an RSA public key given as modulus and public exponent (big-endian bytes). */
export function rsaSpki(modulus: Buffer, exponent: Buffer): Uint8Array {
  const jwk = { kty: 'RSA', n: b64url(unsigned(modulus)), e: b64url(unsigned(exponent)) };
  return new Uint8Array(createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' }));
}

/**
 * The SPKI of an EC public key from CKA_EC_POINT: PKCS#11 v2.40 says a DER OCTET STRING holding the
 * uncompressed point (04 || x || y); some modules return the bare point. Both are read (told apart by length).
 */
export function ecSpki(keyType: 'ec-p256' | 'ec-p384', ecPoint: Buffer): Uint8Array {
  const { crv, size } = EC_PARAMS[keyType];
  const bare = 1 + 2 * size;
  let point = ecPoint;
  if (point.length !== bare && point[0] === 0x04) {
    // DER OCTET STRING: 04, length (short or 0x81 nn), content
    const headerLength = point[1]! < 0x80 ? 2 : 2 + (point[1]! & 0x7f);
    point = point.subarray(headerLength);
  }
  if (point.length !== bare || point[0] !== 0x04) {
    throw new CertDeskError('PKCS11_MODULE_FAILED', `the token's ${crv} public key is not an uncompressed point (${ecPoint.length} bytes)`, {});
  }
  const jwk = { kty: 'EC', crv, x: b64url(point.subarray(1, 1 + size)), y: b64url(point.subarray(1 + size)) };
  return new Uint8Array(createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' }));
}

/**
 * Generates a key pair of `keyType` on the token (a read/write session, logged in). The private key: CKA_TOKEN,
 * CKA_PRIVATE, CKA_SENSITIVE true, CKA_EXTRACTABLE false, CKA_SIGN true (decrypt, unwrap, derive false); both keys share a fresh random 16-byte
 * CKA_ID and CKA_LABEL `label`. INVALID_INPUT when the token already holds a private key labelled `label`
 * (adopting it later by label would be ambiguous); the token's own errors as tokenError maps them.
 */
export function generateTokenKeyPair(conn: TokenConnection, keyType: KeyType, label: string): TokenKeyPair {
  const l = conn.module.lib;
  if (conn.find([{ type: l.CKA_CLASS, value: l.CKO_PRIVATE_KEY }, { type: l.CKA_LABEL, value: label }]).length > 0) {
    throw new CertDeskError('INVALID_INPUT', `pkcs11-key-label: token "${conn.label}" already holds a private key labelled "${label}"; choose another label`, { field: 'keyLabel' });
  }
  const id = randomBytes(16);
  const common = [
    { type: l.CKA_TOKEN, value: true },
    { type: l.CKA_LABEL, value: label },
    { type: l.CKA_ID, value: id },
  ];
  const priv = [
    ...common,
    { type: l.CKA_CLASS, value: l.CKO_PRIVATE_KEY },
    { type: l.CKA_PRIVATE, value: true },
    { type: l.CKA_SENSITIVE, value: true },
    { type: l.CKA_EXTRACTABLE, value: false },
    { type: l.CKA_SIGN, value: true },
    // A CA key signs and does nothing else.
    { type: l.CKA_DECRYPT, value: false },
    { type: l.CKA_UNWRAP, value: false },
    { type: l.CKA_DERIVE, value: false },
  ];
  const pubBase = [...common, { type: l.CKA_CLASS, value: l.CKO_PUBLIC_KEY }, { type: l.CKA_VERIFY, value: true }, { type: l.CKA_PRIVATE, value: false }, { type: l.CKA_ENCRYPT, value: false }, { type: l.CKA_WRAP, value: false }];
  let pair;
  if (keyType === 'ec-p256' || keyType === 'ec-p384') {
    pair = conn.generateKeyPair(l.CKM_EC_KEY_PAIR_GEN, [...pubBase, { type: l.CKA_KEY_TYPE, value: l.CKK_EC }, { type: l.CKA_EC_PARAMS, value: Buffer.from(EC_PARAMS[keyType].der, 'hex') }], [...priv, { type: l.CKA_KEY_TYPE, value: l.CKK_EC }]);
  } else {
    const bits = Number(keyType.slice(4));
    pair = conn.generateKeyPair(
      l.CKM_RSA_PKCS_KEY_PAIR_GEN,
      [...pubBase, { type: l.CKA_KEY_TYPE, value: l.CKK_RSA }, { type: l.CKA_MODULUS_BITS, value: bits }, { type: l.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) }],
      [...priv, { type: l.CKA_KEY_TYPE, value: l.CKK_RSA }],
    );
  }
  try {
    const spki = publicKeySpki(conn, keyType, pair.publicKey);
    return { id: id.toString('hex'), label, privateKey: pair.privateKey, publicKey: pair.publicKey, spki };
  } catch (e) {
    conn.destroy(pair.privateKey);
    conn.destroy(pair.publicKey);
    throw e;
  }
}

/** The SPKI of the public key object `handle` (or an RSA private key object, which also carries the modulus). */
export function publicKeySpki(conn: TokenConnection, keyType: KeyType, handle: Buffer): Uint8Array {
  const l = conn.module.lib;
  if (keyType === 'ec-p256' || keyType === 'ec-p384') {
    const point = conn.bytes(handle, l.CKA_EC_POINT);
    if (!point) throw new CertDeskError('PKCS11_MODULE_FAILED', `token "${conn.label}" did not give the public key's CKA_EC_POINT`, {});
    return ecSpki(keyType, point);
  }
  const n = conn.bytes(handle, l.CKA_MODULUS);
  const e = conn.bytes(handle, l.CKA_PUBLIC_EXPONENT);
  if (!n || !e) throw new CertDeskError('PKCS11_MODULE_FAILED', `token "${conn.label}" did not give the public key's modulus and exponent`, {});
  return rsaSpki(n, e);
}

/**
 * The private key labelled `label` (or with CKA_ID `idHex`) on the logged-in token, and its CKA_ID and label.
 * TOKEN_KEY_NOT_FOUND when there is none; INVALID_INPUT when several keys carry that label (give the id).
 */
export function findPrivateKey(conn: TokenConnection, by: { label?: string; idHex?: string }, caName?: string): { handle: Buffer; id: string; label: string } {
  const l = conn.module.lib;
  const template = [{ type: l.CKA_CLASS, value: l.CKO_PRIVATE_KEY }];
  if (by.idHex !== undefined) template.push({ type: l.CKA_ID, value: Buffer.from(by.idHex, 'hex') as never });
  if (by.label !== undefined) template.push({ type: l.CKA_LABEL, value: by.label as never });
  const found = conn.find(template);
  const what = by.idHex !== undefined ? `with id ${by.idHex}` : `labelled "${by.label ?? ''}"`;
  if (found.length === 0) {
    throw new CertDeskError('TOKEN_KEY_NOT_FOUND', `token "${conn.label}" holds no private key ${what}${caName ? ` (CA "${caName}")` : ''}`, {
      token: conn.label,
      ...(by.label !== undefined ? { keyLabel: by.label } : {}),
      ...(by.idHex !== undefined ? { keyId: by.idHex } : {}),
      ...(caName ? { ca: caName } : {}),
    });
  }
  if (found.length > 1) throw new CertDeskError('INVALID_INPUT', `pkcs11-key-label: token "${conn.label}" holds ${found.length} private keys ${what}; give each a label of its own`, { field: 'keyLabel' });
  const handle = found[0]!;
  return { handle, id: (conn.bytes(handle, l.CKA_ID) ?? Buffer.alloc(0)).toString('hex'), label: (conn.bytes(handle, l.CKA_LABEL) ?? Buffer.alloc(0)).toString('utf8') };
}
