// PKCS#12 (PFX, RFC 7292) export and import of one private key with its certificate and chain.
//
// Layout written (as OpenSSL does): an AuthenticatedSafe holding an EncryptedData with the cert
// bags (leaf first, then the chain) and a plain Data with one PKCS8ShroudedKeyBag, protected by a
// PKCS#12 MAC. 'modern' = PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) + HMAC-SHA256;
// 'legacy' = pbeWithSHAAnd3-KeyTripleDES-CBC + HMAC-SHA1, for old Apple, Android, Windows and Java.
import { X509Certificate, createHash, createPrivateKey, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import { CertDeskError } from '../../../shared/errors.js';
import {
  OID,
  type Asn1,
  algorithmIdentifier,
  derOf,
  derSetOf,
  explicit,
  integer,
  octetString,
  oid,
  sequence,
} from './pkcs12-asn1.js';
import {
  type Encrypted,
  MAX_READ_ITERATIONS,
  type MacInput,
  type KdfMemo,
  type PfxPassword,
  clearMemo,
  computeMac,
  encryptLegacy,
  encryptModern,
  pfxPassword,
} from './pkcs12-cipher.js';
import { parsePfx, parsePfxWith, spkiOfCertificate } from './pkcs12-parse.js';
import { canonicalSpki } from './key-compare.js';
import { KDF_WORK_BUDGET, type KdfStep, stepUnits } from './kdf-budget.js';

export { parsePfx };

export type PfxEncryption = 'modern' | 'legacy';

export interface PfxBuildOptions {
  privateKeyPkcs8: Uint8Array; // DER PKCS#8 PrivateKeyInfo (RSA or EC P-256/P-384)
  certificate: Uint8Array; // DER leaf certificate matching the key
  chain: Uint8Array[]; // DER issuing chain, nearest issuer first (may be empty)
  password: string; // may contain non-ASCII
  encryption: PfxEncryption;
  friendlyName: string; // set on both the key bag and the leaf cert bag
  iterations?: number; // default 10_000; never below 10_000
}

export interface PfxContents {
  privateKeyPkcs8: Uint8Array; // the (single) private key, DER PKCS#8
  certificate: Uint8Array; // the certificate whose public key matches the private key
  chain: Uint8Array[]; // the other certificates in the file
  friendlyName: string | null;
}

export const MIN_PFX_ITERATIONS = 10_000;

/**
 * Legacy files default to the minimum: their readers are old or embedded devices, the 3DES and
 * SHA-1 KDF gains little from more rounds, and our pure JavaScript PKCS#12 KDF runs it 14 times
 * per export (write and read-back), about 0.2 s at 10 000 but 2 s at 100 000.
 */
// Iterations slow down guessing a weak password; CertDesk's generated passwords carry about 95 bits and a set
// one must pass the profile's rule, so 10,000 (five times OpenSSL 3's default of 2,048) is ample, and keeps
// batches and old phones fast. Callers may ask for more.
const DEFAULT_ITERATIONS: Readonly<Record<PfxEncryption, number>> = { modern: 10_000, legacy: 10_000 };

const PROFILES: Readonly<Record<PfxEncryption, { macHash: MacInput['hash']; macOid: string; macSaltBytes: number }>> = {
  modern: { macHash: 'sha256', macOid: OID.sha256, macSaltBytes: 16 },
  legacy: { macHash: 'sha1', macOid: OID.sha1, macSaltBytes: 16 },
};

const ACCEPTED_CURVES = new Set(['prime256v1', 'secp384r1']);

/**
 * Builds the PKCS#12 file (layout above) and reads it back (checkReadBack) before returning its DER.
 * Every key derivation runs once: the read-back finds the write's keys in a memo (pkcs12-cipher.ts
 * KdfMemo), zeroed at the end. Throws INVALID_INPUT, KEY_MISMATCH, UNSUPPORTED_KEY for bad options and
 * INTERNAL when the file does not read back to exactly what went in.
 */
export async function buildPfx(o: PfxBuildOptions): Promise<Uint8Array> {
  const iterations = checkOptions(o);
  const memo: KdfMemo = new Map();
  try {
    return await buildPfxWith(o, iterations, pfxPassword(o.password, memo));
  } finally {
    clearMemo(memo);
  }
}

async function buildPfxWith(o: PfxBuildOptions, iterations: number, password: PfxPassword): Promise<Uint8Array> {
  const encrypt = (plain: Uint8Array): Promise<Encrypted> =>
    o.encryption === 'modern' ? encryptModern(plain, password, iterations) : Promise.resolve(encryptLegacy(plain, password, iterations));
  // localKeyId ties the key bag to the leaf cert bag for readers that pair them that way (Windows).
  const localKeyId = createHash('sha1').update(o.certificate).digest();

  const certBags = [certBag(o.certificate, leafAttributes(o.friendlyName, localKeyId)), ...o.chain.map((c) => certBag(c))];
  const certs = await encrypt(derOf(sequence(...certBags)));
  const key = await encrypt(o.privateKeyPkcs8);
  const keyBag = safeBag(OID.shroudedKeyBag, sequence(key.algorithm, octetString(key.ciphertext)), leafAttributes(o.friendlyName, localKeyId));

  const authSafe = derOf(
    sequence(contentInfo(OID.encryptedData, encryptedData(certs)), contentInfo(OID.data, octetString(derOf(sequence(keyBag))))),
  );
  const pfx = derOf(sequence(integer(3), contentInfo(OID.data, octetString(authSafe)), macData(o.encryption, password, authSafe, iterations)));
  await checkReadBack(pfx, o, password.memo);
  return pfx;
}

/**
 * The most iterations a file of this profile may use so that reading it back (ours or any reader
 * with the same rule) stays within KDF_WORK_BUDGET: two encrypted parts and the MAC, all at the
 * same count; and never above MAX_READ_ITERATIONS.
 */
export function maxExportIterations(encryption: PfxEncryption): number {
  const perIteration: KdfStep[] =
    encryption === 'modern'
      ? [
          { what: 'certificates', kdf: 'pbkdf2', hash: 'sha256', iterations: 1, bytes: 32 },
          { what: 'key', kdf: 'pbkdf2', hash: 'sha256', iterations: 1, bytes: 32 },
          { what: 'MAC', kdf: 'pkcs12', hash: 'sha256', iterations: 1, bytes: 32 },
        ]
      : [
          ...['certificates', 'key'].flatMap((what): KdfStep[] => [
            { what, kdf: 'pkcs12', hash: 'sha1', iterations: 1, bytes: 24 },
            { what, kdf: 'pkcs12', hash: 'sha1', iterations: 1, bytes: 8 },
          ]),
          { what: 'MAC', kdf: 'pkcs12', hash: 'sha1', iterations: 1, bytes: 20 },
        ];
  const units = perIteration.reduce((n, s) => n + stepUnits(s), 0);
  return Math.min(MAX_READ_ITERATIONS, Math.floor(KDF_WORK_BUDGET / units));
}

function invalid(message: string): CertDeskError {
  return new CertDeskError('INVALID_INPUT', message);
}

/** Validates the options (never echoing the password) and returns the iteration count to use. */
function checkOptions(o: PfxBuildOptions): number {
  if (o.encryption !== 'modern' && o.encryption !== 'legacy') throw invalid('PKCS#12 encryption must be "modern" or "legacy"');
  if (typeof o.password !== 'string' || o.password.length === 0) throw invalid('a PKCS#12 export needs a non-empty password');
  // A lone surrogate has no UTF-8 form, so PBKDF2 and the PKCS#12 KDF would disagree on the password.
  if (Buffer.from(o.password, 'utf8').toString('utf8') !== o.password) throw invalid('the PKCS#12 password is not valid Unicode text');
  if (typeof o.friendlyName !== 'string') throw invalid('friendlyName must be a string');
  if (!Array.isArray(o.chain)) throw invalid('chain must be an array of DER certificates');
  const iterations = o.iterations ?? DEFAULT_ITERATIONS[o.encryption];
  const max = maxExportIterations(o.encryption);
  if (!Number.isSafeInteger(iterations) || iterations < MIN_PFX_ITERATIONS || iterations > max) {
    throw invalid(`PKCS#12 iterations for ${o.encryption} encryption must be an integer from ${MIN_PFX_ITERATIONS} to ${max}`);
  }
  const keySpki = checkPrivateKey(o.privateKeyPkcs8);
  const leafSpki = spkiOfCertificate(certificateInput(o.certificate, 'certificate'));
  o.chain.forEach((c, i) => certificateInput(c, `chain[${i}]`));
  if (!leafSpki || !leafSpki.equals(keySpki)) throw new CertDeskError('KEY_MISMATCH', 'the private key does not belong to the certificate');
  return iterations;
}

/** Accepts RSA and EC P-256/P-384 PKCS#8 keys; returns the key's SubjectPublicKeyInfo. */
function checkPrivateKey(pkcs8: unknown): Buffer {
  if (!(pkcs8 instanceof Uint8Array)) throw invalid('privateKeyPkcs8 must be DER bytes');
  let details;
  try {
    details = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  } catch {
    throw invalid('privateKeyPkcs8 is not a DER PKCS#8 private key');
  }
  const type = details.asymmetricKeyType;
  const curve = details.asymmetricKeyDetails?.namedCurve;
  if (type !== 'rsa' && !(type === 'ec' && curve !== undefined && ACCEPTED_CURVES.has(curve))) {
    throw new CertDeskError('UNSUPPORTED_KEY', `PKCS#12 export supports RSA and EC P-256/P-384 keys, not ${type}${curve ? ` ${curve}` : ''}`);
  }
  return canonicalSpki(details);
}

function certificateInput(der: unknown, field: string): X509Certificate {
  if (!(der instanceof Uint8Array)) throw invalid(`${field} must be DER bytes`);
  try {
    return new X509Certificate(Buffer.from(der));
  } catch {
    throw invalid(`${field} is not a DER X.509 certificate`);
  }
}

/**
 * Reads the file back with the same code an import uses and checks that it returns exactly what
 * went in, the key matching the certificate. A failure here is a bug in this module, not bad input.
 */
async function checkReadBack(pfx: Uint8Array, o: PfxBuildOptions, memo?: KdfMemo): Promise<void> {
  let back: PfxContents;
  try {
    back = await parsePfxWith(pfx, o.password, memo);
  } catch (e) {
    const code = e instanceof CertDeskError ? e.code : 'unexpected error';
    throw new CertDeskError('INTERNAL', `PKCS#12 self-check failed: the new file does not read back (${code})`);
  }
  // The same bytes as the options, whose key and certificate checkOptions found to pair (KEY_MISMATCH), and the
  // parser paired them again (a leaf is the certificate holding the key's public key): no key is loaded a third time.
  const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(b);
  const ok =
    same(back.privateKeyPkcs8, o.privateKeyPkcs8) &&
    same(back.certificate, o.certificate) &&
    back.chain.length === o.chain.length &&
    back.chain.every((c, i) => same(c, o.chain[i]!));
  back.privateKeyPkcs8.fill(0); // the read-back's decrypted copy
  if (!ok) throw new CertDeskError('INTERNAL', 'PKCS#12 self-check failed: the new file does not hold the key and certificates given');
}

// ---- ASN.1 builders (RFC 7292 section 4); every OCTET STRING here is a single primitive one ----

function contentInfo(contentType: string, content: Asn1): asn1js.Sequence {
  return sequence(oid(contentType), explicit(0, content));
}

/** EncryptedData (RFC 5652 8) with version 0 and the ciphertext as a primitive [0] IMPLICIT OCTET STRING. */
function encryptedData(e: Encrypted): asn1js.Sequence {
  const content = new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: e.ciphertext.slice() });
  return sequence(integer(0), sequence(oid(OID.data), e.algorithm, content));
}

function safeBag(bagId: string, value: Asn1, attributes?: asn1js.Set): asn1js.Sequence {
  const bag = sequence(oid(bagId), explicit(0, value));
  if (attributes) bag.valueBlock.value.push(attributes);
  return bag;
}

function certBag(der: Uint8Array, attributes?: asn1js.Set): asn1js.Sequence {
  return safeBag(OID.certBag, sequence(oid(OID.x509Certificate), explicit(0, octetString(der))), attributes);
}

function attribute(type: string, value: Asn1): asn1js.Sequence {
  return sequence(oid(type), new asn1js.Set({ value: [value] }));
}

/** friendlyName (omitted when empty) and localKeyId, for the key bag and the leaf cert bag only. */
function leafAttributes(friendlyName: string, localKeyId: Uint8Array): asn1js.Set {
  const attributes = [attribute(OID.localKeyId, octetString(localKeyId))];
  if (friendlyName !== '') attributes.push(attribute(OID.friendlyName, new asn1js.BmpString({ value: friendlyName })));
  return derSetOf(attributes);
}

function macData(profile: PfxEncryption, password: PfxPassword, authSafe: Uint8Array, iterations: number): asn1js.Sequence {
  const { macHash, macOid, macSaltBytes } = PROFILES[profile];
  const salt = randomBytes(macSaltBytes);
  const mac = computeMac({ hash: macHash, salt, iterations }, password, authSafe);
  // The digest AlgorithmIdentifier carries an explicit NULL, as OpenSSL, Java and Windows write it.
  const digestInfo = sequence(algorithmIdentifier(macOid, new asn1js.Null()), octetString(mac));
  return sequence(digestInfo, octetString(salt), integer(iterations));
}
