// Key generation, import and strength checks. CertDesk accepts exactly the key types in KEY_TYPES.
import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { CertDeskError } from '../../../shared/errors.js';
import { KEY_TYPES, type KeyType } from '../../../shared/domain.js';
import { canonicalPkcs8, sameKeyValue } from './key-compare.js';
import { subtle, type CryptoKey } from './provider.js';
import { checkEncryptedKeyWork } from './pkcs8-encrypted.js';

export interface KeyMaterial {
  keyType: KeyType;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

type WebAlgorithm = { name: 'ECDSA'; namedCurve: string } | { name: 'RSASSA-PKCS1-v1_5'; hash: string };

function importAlgorithm(keyType: KeyType): WebAlgorithm {
  switch (keyType) {
    case 'ec-p256':
      return { name: 'ECDSA', namedCurve: 'P-256' };
    case 'ec-p384':
      return { name: 'ECDSA', namedCurve: 'P-384' };
    default:
      return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  }
}

/** The signature algorithm a key of this type signs certificates and CRLs with. */
export function signingAlgorithm(keyType: KeyType): { name: string; hash: string } {
  if (keyType === 'ec-p384') return { name: 'ECDSA', hash: 'SHA-384' };
  if (keyType === 'ec-p256') return { name: 'ECDSA', hash: 'SHA-256' };
  return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
}

export function isKeyType(v: string): v is KeyType {
  return (KEY_TYPES as readonly string[]).includes(v);
}

export function parseKeyType(v: string, field = 'key'): KeyType {
  if (!isKeyType(v)) {
    throw new CertDeskError('UNSUPPORTED_KEY', `${field}: unknown key type "${v}" (use one of ${KEY_TYPES.join(', ')})`, { field });
  }
  return v;
}

export async function generateKey(keyType: KeyType): Promise<KeyMaterial> {
  const alg = importAlgorithm(keyType);
  const params =
    alg.name === 'ECDSA'
      ? alg
      : { ...alg, modulusLength: Number(keyType.slice(4)), publicExponent: new Uint8Array([1, 0, 1]) };
  const pair = (await subtle.generateKey(params, true, ['sign', 'verify'])) as { privateKey: CryptoKey; publicKey: CryptoKey };
  return { keyType, privateKey: pair.privateKey, publicKey: pair.publicKey };
}

/** Classifies a public key and refuses anything weaker than, or different from, the supported types. */
export function keyTypeOf(key: KeyObject, field = 'key'): KeyType {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    const bits = d.modulusLength ?? 0;
    if (bits < 2048) throw new CertDeskError('WEAK_KEY', `${field}: RSA-${bits} is too weak (at least RSA-2048 is required)`, { field });
    if (bits === 2048 || bits === 3072 || bits === 4096) return `rsa-${bits}` as KeyType;
    throw new CertDeskError('UNSUPPORTED_KEY', `${field}: RSA-${bits} is not supported (use RSA-2048, 3072 or 4096)`, { field });
  }
  if (key.asymmetricKeyType === 'ec') {
    if (d.namedCurve === 'prime256v1') return 'ec-p256';
    if (d.namedCurve === 'secp384r1') return 'ec-p384';
    const weak = ['prime192v1', 'secp192r1', 'secp224r1', 'secp160r1', 'secp256k1'].includes(d.namedCurve ?? '');
    throw new CertDeskError(
      weak ? 'WEAK_KEY' : 'UNSUPPORTED_KEY',
      `${field}: elliptic curve ${d.namedCurve ?? 'unknown'} is not accepted (use P-256 or P-384)`,
      { field },
    );
  }
  throw new CertDeskError('UNSUPPORTED_KEY', `${field}: ${key.asymmetricKeyType ?? 'unknown'} keys are not supported (use EC P-256/P-384 or RSA)`, { field });
}

export function keyTypeOfSpki(spki: Uint8Array, field = 'key'): KeyType {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    throw new CertDeskError('INVALID_INPUT', `${field}: the public key cannot be parsed`, { field });
  }
  return keyTypeOf(key, field);
}

export async function exportPkcs8(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await subtle.exportKey('pkcs8', key));
}

export async function exportSpki(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await subtle.exportKey('spki', key));
}

/** Imports a DER PKCS#8 private key for signing; returns its type and the matching public key. */
export async function importPkcs8(pkcs8: Uint8Array, field = 'key'): Promise<KeyMaterial> {
  let obj: KeyObject;
  try {
    obj = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  } catch {
    throw new CertDeskError('INVALID_INPUT', `${field}: the private key cannot be parsed as PKCS#8`, { field });
  }
  const keyType = keyTypeOf(obj, field);
  const alg = importAlgorithm(keyType);
  const spki = createPublicKey(obj).export({ format: 'der', type: 'spki' });
  const privateKey = (await subtle.importKey('pkcs8', pkcs8, alg, true, ['sign'])) as CryptoKey;
  const publicKey = (await subtle.importKey('spki', spki, alg, true, ['verify'])) as CryptoKey;
  return { keyType, privateKey, publicKey };
}

/**
 * Reads a private key in any PEM form OpenSSL writes (PKCS#8, encrypted PKCS#8, traditional RSA/EC,
 * legacy Proc-Type encrypted) or DER PKCS#8, and returns it as DER PKCS#8, EC keys re-encoded with
 * their named curve (canonicalPkcs8) even when the input spelled the curve's parameters out. An
 * encrypted PKCS#8 key's KDF work is checked against KDF_WORK_BUDGET before decryption (pkcs8-encrypted.ts).
 * Throws KEY_BAD_PASSWORD, INVALID_INPUT (not a key, or a KDF over the budget), WEAK_KEY, UNSUPPORTED_KEY.
 */
export function privateKeyToPkcs8(data: Uint8Array, password: string | undefined, field = 'key'): Uint8Array {
  const text = Buffer.from(data).toString('latin1');
  const isPem = text.includes('-----BEGIN');
  const encrypted = /ENCRYPTED/.test(text);
  if (encrypted && password === undefined) {
    throw new CertDeskError('KEY_BAD_PASSWORD', `${field}: the private key is encrypted; give its password`, { field });
  }
  // OpenSSL runs whatever iteration count the file names: check it against the budget first.
  checkEncryptedKeyWork(data, field);
  try {
    const obj = isPem
      ? createPrivateKey({ key: text, format: 'pem', passphrase: password ?? '' })
      : createPrivateKey({ key: Buffer.from(data), format: 'der', type: 'pkcs8', passphrase: password ?? '' });
    keyTypeOf(obj, field);
    return canonicalPkcs8(obj.export({ format: 'der', type: 'pkcs8' }), field);
  } catch (e) {
    if (e instanceof CertDeskError) throw e;
    const msg = e instanceof Error ? e.message : '';
    if (encrypted || /bad decrypt|passphrase/i.test(msg)) {
      throw new CertDeskError('KEY_BAD_PASSWORD', `${field}: the private key could not be decrypted (wrong password?)`, { field });
    }
    throw new CertDeskError('INVALID_INPUT', `${field}: not a private key in PEM or DER PKCS#8 form`, { field });
  }
}

/**
 * True when the DER PKCS#8 private key and the DER SubjectPublicKeyInfo form a pair, compared by value
 * (key-compare.ts: RSA by n and e, EC by curve and point), so a key with explicit curve parameters or a
 * compressed point matches its named-curve certificate. False for an SPKI node:crypto cannot parse.
 * Throws UNSUPPORTED_KEY for an EC key whose explicit parameters are no named curve.
 */
export function keyMatchesSpki(pkcs8: Uint8Array, spki: Uint8Array, field = 'key'): boolean {
  const priv = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  let pub: KeyObject;
  try {
    pub = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    return false;
  }
  return sameKeyValue(priv, pub, field);
}
