// Password-based encryption and MACs for PKCS#12: PBES2 (PBKDF2 + AES/3DES-CBC), the legacy
// pbeWithSHAAnd3-KeyTripleDES-CBC and, read only, the RC2 schemes (pkcs12-rc2.ts). Ciphers come from
// node:crypto because WebCrypto has no DES.
import { createCipheriv, createDecipheriv, createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import { CertDeskError } from '../../../shared/errors.js';
import { pkijs } from './provider.js';
import {
  OID,
  type Asn1,
  algorithmIdentifier,
  childrenOf,
  integer,
  malformed,
  octetString,
  octetsOf,
  parseWith,
  pfxError,
  positiveIntOf,
  sequence,
  unsupported,
} from './pkcs12-asn1.js';
import { KDF_ID, bmpPassword, digestLength, pkcs12Kdf, type KdfId, type Pkcs12Hash } from './pkcs12-kdf.js';
import { meterKdf } from './kdf-budget.js';
import { readPbkdf2Params } from './pkcs12-plan.js';
import { unsupportedAlgorithm } from './pkcs12-algorithm-names.js';
import { gpgsmMisderives } from './pkcs12-gpgsm.js';

const pbkdf2Async = promisify(pbkdf2);

/** Salt sizes for what we write: RFC 8018 asks for at least 8 bytes; 16 costs nothing. */
const MODERN_SALT_BYTES = 16;
const LEGACY_SALT_BYTES = 16;

/**
 * Iteration counts above this in a file we read are refused: a hostile file could otherwise keep
 * the (single-threaded, pure JavaScript) PKCS#12 KDF busy for hours.
 */
export const MAX_READ_ITERATIONS = 10_000_000;

/**
 * A password in the two encodings PKCS#12 uses: UTF-8 bytes for PBKDF2 (what OpenSSL 3 does) and
 * a BMPString with terminator for the PKCS#12 KDF (legacy PBE and every MAC).
 */
export interface PfxPassword {
  readonly utf8: Uint8Array;
  readonly bmp: Uint8Array;
  /** Keys already derived (see KdfMemo); absent: every derivation runs. */
  readonly memo?: KdfMemo;
  /** Names this password in the memo's keys: SHA-256 of its UTF-8, so one memo never answers another password. */
  readonly memoTag?: string;
}

/**
 * Derived keys, by every input of their derivation (password, KDF, hash, purpose, iterations, length, salt). buildPfx hands its memo to the read-back check, which then finds the keys the write
 * derived instead of running the same deterministic derivations a second time: the check still reads
 * every salt and count from the file, and an input that differs from the write's misses and is derived.
 * Holds secrets: the owner zeroes it with clearMemo when done.
 */
export type KdfMemo = Map<string, Uint8Array>;

export function pfxPassword(password: string, memo?: KdfMemo): PfxPassword {
  const utf8 = Buffer.from(password, 'utf8');
  return { utf8, bmp: bmpPassword(password), ...(memo ? { memo, memoTag: createHash('sha256').update(utf8).digest('hex') } : {}) };
}

/** Zeroes and forgets every key in the memo. */
export function clearMemo(memo: KdfMemo): void {
  for (const key of memo.values()) key.fill(0);
  memo.clear();
}

function memoKey(password: PfxPassword, parts: (string | number)[], salt: Uint8Array): string {
  return `${password.memoTag}|${parts.join('|')}|${Buffer.from(salt).toString('hex')}`;
}

/** RFC 7292 B.2 with `password`'s BMPString, from its memo when derived before. */
function pkcs12KdfOf(password: PfxPassword, hash: Pkcs12Hash, salt: Uint8Array, id: KdfId, iterations: number, length: number): Uint8Array {
  const k = password.memo && memoKey(password, ['pkcs12', hash, id, iterations, length], salt);
  const known = k ? password.memo!.get(k) : undefined;
  if (known) return known;
  const key = pkcs12Kdf(hash, password.bmp, salt, id, iterations, length);
  if (k) password.memo!.set(k, key);
  return key;
}

/** PBKDF2 (RFC 8018 5.2, node:crypto) with `password`'s UTF-8, from its memo when derived before; `meter` counts a derivation that runs. */
async function pbkdf2Of(password: PfxPassword, salt: Uint8Array, iterations: number, length: number, hash: Pkcs12Hash, meter?: () => void): Promise<Uint8Array> {
  const k = password.memo && memoKey(password, ['pbkdf2', hash, iterations, length], salt);
  const known = k ? password.memo!.get(k) : undefined;
  if (known) return known;
  meter?.();
  const key = await pbkdf2Async(password.utf8, salt, iterations, length, hash);
  if (k) password.memo!.set(k, key);
  return key;
}

/**
 * OpenSSL's NULL password: the PKCS#12 KDF gets zero bytes, not even the terminator. Files made
 * with an empty password carry a MAC keyed either this way or with "" (two zero bytes).
 */
export const NULL_PASSWORD: PfxPassword = { utf8: new Uint8Array(0), bmp: new Uint8Array(0) };

export interface Encrypted {
  /** The AlgorithmIdentifier to store next to the ciphertext. */
  readonly algorithm: asn1js.Sequence;
  readonly ciphertext: Uint8Array;
}

interface CipherSpec {
  readonly name: string; // node:crypto cipher name
  readonly keyLength: number;
  readonly ivLength: number;
}

const PBES2_CIPHERS: Readonly<Record<string, CipherSpec>> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16, ivLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24, ivLength: 16 },
  [OID.aes256Cbc]: { name: 'aes-256-cbc', keyLength: 32, ivLength: 16 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24, ivLength: 8 },
};

const TRIPLE_DES: CipherSpec = { name: 'des-ede3-cbc', keyLength: 24, ivLength: 8 };

/** PBKDF2 pseudo-random functions; absent means hmacWithSHA1 (RFC 8018). */
const PBKDF2_PRFS: Readonly<Record<string, Pkcs12Hash>> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  [OID.hmacWithSha256]: 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

/** Digest algorithms a MacData may name. */
export const MAC_DIGESTS: Readonly<Record<string, Pkcs12Hash>> = {
  [OID.sha1]: 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  [OID.sha256]: 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

function runCipher(spec: CipherSpec, key: Uint8Array, iv: Uint8Array, plain: Uint8Array): Uint8Array {
  const c = createCipheriv(spec.name, key, iv);
  return Buffer.concat([c.update(plain), c.final()]);
}

/** CBC padding that does not check out means a wrong key, hence a wrong password. */
function runDecipher(spec: CipherSpec, key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, what: string): Uint8Array {
  if (iv.length !== spec.ivLength) throw malformed(`${what}: the IV has the wrong length`);
  try {
    const d = createDecipheriv(spec.name, key, iv);
    return Buffer.concat([d.update(ciphertext), d.final()]);
  } catch {
    throw pfxError('PFX_BAD_PASSWORD', `${what} could not be decrypted: wrong password`);
  }
}

/** PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC, as OpenSSL 3 writes by default. */
export async function encryptModern(plain: Uint8Array, password: PfxPassword, iterations: number): Promise<Encrypted> {
  const salt = randomBytes(MODERN_SALT_BYTES);
  const iv = randomBytes(16);
  const spec = PBES2_CIPHERS[OID.aes256Cbc]!;
  const key = await pbkdf2Of(password, salt, iterations, spec.keyLength, 'sha256');
  const pbkdf2Params = new pkijs.PBKDF2Params({
    salt: octetString(salt),
    iterationCount: iterations,
    prf: new pkijs.AlgorithmIdentifier({ algorithmId: OID.hmacWithSha256, algorithmParams: new asn1js.Null() }),
  });
  const pbes2Params = new pkijs.PBES2Params({
    keyDerivationFunc: new pkijs.AlgorithmIdentifier({ algorithmId: OID.pbkdf2, algorithmParams: pbkdf2Params.toSchema() }),
    encryptionScheme: new pkijs.AlgorithmIdentifier({ algorithmId: OID.aes256Cbc, algorithmParams: octetString(iv) }),
  });
  return { algorithm: algorithmIdentifier(OID.pbes2, pbes2Params.toSchema()), ciphertext: runCipher(spec, key, iv, plain) };
}

function legacyKeyAndIv(password: PfxPassword, salt: Uint8Array, iterations: number, spec: CipherSpec = TRIPLE_DES): { key: Uint8Array; iv: Uint8Array } {
  return {
    key: pkcs12KdfOf(password, 'sha1', salt, KDF_ID.key, iterations, spec.keyLength),
    iv: pkcs12KdfOf(password, 'sha1', salt, KDF_ID.iv, iterations, spec.ivLength),
  };
}

/** Salts drawn for one legacy encryption before giving up; each draw hits gpgsm's fault with p ~ 1/128. */
const MAX_LEGACY_SALT_DRAWS = 32;

/**
 * pbeWithSHAAnd3-KeyTripleDES-CBC (RFC 7292 appendix C), for readers that know nothing newer.
 * Draws salts (16 bytes, from `drawSalt`) until one gives a key gpgsm 2.2 derives like RFC 7292
 * does (pkcs12-gpgsm.ts): about 1 draw in 128 is discarded. Throws CertDeskError INTERNAL if
 * MAX_LEGACY_SALT_DRAWS draws all fail, which random salts do with probability ~2^-224.
 */
export function encryptLegacy(
  plain: Uint8Array,
  password: PfxPassword,
  iterations: number,
  drawSalt: () => Uint8Array = () => randomBytes(LEGACY_SALT_BYTES),
): Encrypted {
  for (let draw = 0; draw < MAX_LEGACY_SALT_DRAWS; draw++) {
    const salt = drawSalt();
    const key = pkcs12KdfOf(password, 'sha1', salt, KDF_ID.key, iterations, TRIPLE_DES.keyLength);
    if (gpgsmMisderives(password.bmp, salt, key.subarray(0, digestLength('sha1')), key.length)) continue;
    const iv = pkcs12KdfOf(password, 'sha1', salt, KDF_ID.iv, iterations, TRIPLE_DES.ivLength);
    const params = sequence(octetString(salt), integer(iterations));
    return { algorithm: algorithmIdentifier(OID.pbeSha1TripleDes, params), ciphertext: runCipher(TRIPLE_DES, key, iv, plain) };
  }
  throw new CertDeskError('INTERNAL', `legacy PKCS#12 encryption: no salt out of ${MAX_LEGACY_SALT_DRAWS} avoids the gpgsm 2.2 key derivation fault`);
}

function checkReadIterations(iterations: number, what: string): void {
  if (iterations > MAX_READ_ITERATIONS) {
    throw pfxError('PFX_UNSUPPORTED', `${what}: iteration count ${iterations} is above the ${MAX_READ_ITERATIONS} CertDesk accepts`);
  }
}

async function decryptPbes2(params: Asn1 | undefined, ciphertext: Uint8Array, password: PfxPassword, what: string): Promise<Uint8Array> {
  const pbes2 = parseWith(`${what} PBES2 parameters`, () => new pkijs.PBES2Params({ schema: params }));
  const kdf = pbes2.keyDerivationFunc;
  if (kdf.algorithmId !== OID.pbkdf2) throw unsupportedAlgorithm(`key derivation function for ${what}`, kdf.algorithmId);
  const p = parseWith(`${what} PBKDF2 parameters`, () => new pkijs.PBKDF2Params({ schema: kdf.algorithmParams }));
  if (p.salt instanceof pkijs.AlgorithmIdentifier) throw unsupported('PBKDF2 salt source', p.salt.algorithmId);
  const salt = octetsOf(p.salt, `${what} PBKDF2 salt`);
  const prfOid = p.prf?.algorithmId ?? '1.2.840.113549.2.7';
  const prf = PBKDF2_PRFS[prfOid];
  if (!prf) throw unsupportedAlgorithm(`PBKDF2 pseudo-random function for ${what}`, prfOid);
  const scheme = pbes2.encryptionScheme;
  const spec = PBES2_CIPHERS[scheme.algorithmId];
  if (!spec) throw unsupportedAlgorithm(`PBES2 cipher for ${what}`, scheme.algorithmId);
  // pkijs reads INTEGERs of 2^23 and up as 0: the counts come from readPbkdf2Params (any length).
  const counts = readPbkdf2Params(kdf.algorithmParams, what);
  if (counts.keyLength !== undefined && counts.keyLength !== spec.keyLength) throw malformed(`${what}: PBKDF2 key length does not fit the cipher`);
  checkReadIterations(counts.iterations, what);
  const iv = octetsOf(scheme.algorithmParams, `${what} IV`);
  const key = await pbkdf2Of(password, salt, counts.iterations, spec.keyLength, prf, () =>
    meterKdf({ what, kdf: 'pbkdf2', hash: prf, iterations: counts.iterations, bytes: spec.keyLength }),
  );
  return runDecipher(spec, key, iv, ciphertext, what);
}

/** The key and IV of a PKCS#12 PBE scheme (RFC 7292 appendix C), from its parameters (salt, iterations) as read from the file. */
function legacyKeyAndIvOf(params: Asn1 | undefined, password: PfxPassword, what: string, spec: CipherSpec): { key: Uint8Array; iv: Uint8Array } {
  if (!params) throw malformed(`${what}: PBE parameters are missing`);
  const [saltBlock, iterationsBlock] = childrenOf(params, `${what} PBE parameters`);
  const salt = octetsOf(saltBlock, `${what} PBE salt`);
  const iterations = positiveIntOf(iterationsBlock, `${what} PBE iteration count`);
  checkReadIterations(iterations, what);
  return legacyKeyAndIv(password, salt, iterations, spec);
}

/** Decrypts `ciphertext` per `algorithm` (an AlgorithmIdentifier read from the file). */
export async function decryptWith(
  algorithm: InstanceType<typeof pkijs.AlgorithmIdentifier>,
  ciphertext: Uint8Array,
  password: PfxPassword,
  what: string,
): Promise<Uint8Array> {
  switch (algorithm.algorithmId) {
    case OID.pbes2:
      return decryptPbes2(algorithm.algorithmParams, ciphertext, password, what);
    case OID.pbeSha1TripleDes: {
      const { key, iv } = legacyKeyAndIvOf(algorithm.algorithmParams, password, what, TRIPLE_DES);
      return runDecipher(TRIPLE_DES, key, iv, ciphertext, what);
    }
    default: {
      // RC2 (read only) comes from node-forge, loaded only for a file that uses it.
      const { RC2_PBE_SCHEMES, decryptRc2Pbe } = await import('./pkcs12-rc2.js');
      const rc2 = RC2_PBE_SCHEMES[algorithm.algorithmId];
      if (rc2) {
        const { key, iv } = legacyKeyAndIvOf(algorithm.algorithmParams, password, what, rc2);
        return decryptRc2Pbe(key, iv, ciphertext, what);
      }
      throw unsupportedAlgorithm(`encryption algorithm for ${what}`, algorithm.algorithmId);
    }
  }
}

export interface MacInput {
  readonly hash: Pkcs12Hash;
  readonly salt: Uint8Array;
  readonly iterations: number;
}

/**
 * The PKCS#12 MAC: HMAC keyed with the appendix B KDF (ID 3), over the AuthenticatedSafe content. `password`
 * is a PfxPassword (its memo is used) or its BMPString bytes.
 */
export function computeMac(input: MacInput, password: PfxPassword | Uint8Array, data: Uint8Array): Uint8Array {
  const p = password instanceof Uint8Array ? { utf8: new Uint8Array(0), bmp: password } : password;
  const key = pkcs12KdfOf(p, input.hash, input.salt, KDF_ID.mac, input.iterations, digestLength(input.hash));
  return createHmac(input.hash, key).update(data).digest();
}

export function macMatches(input: MacInput, password: PfxPassword | Uint8Array, data: Uint8Array, expected: Uint8Array): boolean {
  const actual = computeMac(input, password, data);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function checkMacIterations(iterations: number): void {
  checkReadIterations(iterations, 'MAC');
}
