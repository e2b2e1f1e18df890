// What key derivation a PKCS#12 AlgorithmIdentifier or MacData asks for, read from the ASN.1
// without running it, so a file's whole KDF work can be counted before any of it is done.
import * as asn1js from 'asn1js';
import { OID, type Asn1, childrenOf, malformed, oidOf, positiveIntOf } from './pkcs12-asn1.js';
import { integerInRange } from './der-integer.js';
import type { KdfHash, KdfStep } from './kdf-budget.js';

/** PBKDF2 pseudo-random functions (RFC 8018 B.1.2); absent means hmacWithSHA1. */
export const PBKDF2_PRF_HASHES: Readonly<Record<string, KdfHash>> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  [OID.hmacWithSha256]: 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

/** Key lengths of the PBES2 ciphers OpenSSL writes, to size the PBKDF2 output when keyLength is absent. */
const PBES2_KEY_BYTES: Readonly<Record<string, number>> = {
  '2.16.840.1.101.3.4.1.2': 16,
  '2.16.840.1.101.3.4.1.22': 24,
  [OID.aes256Cbc]: 32,
  '1.2.840.113549.3.7': 24,
};

/** RFC 7292 appendix C: pbeWithSHAAnd* key and IV lengths in bytes (RC4 has no IV). */
const PKCS12_PBE: Readonly<Record<string, { key: number; iv: number }>> = {
  '1.2.840.113549.1.12.1.1': { key: 16, iv: 0 },
  '1.2.840.113549.1.12.1.2': { key: 5, iv: 0 },
  [OID.pbeSha1TripleDes]: { key: 24, iv: 8 },
  '1.2.840.113549.1.12.1.4': { key: 16, iv: 8 },
  '1.2.840.113549.1.12.1.5': { key: 16, iv: 8 },
  '1.2.840.113549.1.12.1.6': { key: 5, iv: 8 },
};

export interface Pbkdf2Params {
  readonly salt: Asn1;
  readonly iterations: number;
  /** Absent when the file leaves it to the cipher. */
  readonly keyLength: number | undefined;
  /** The PRF's OID; hmacWithSHA1 when absent (RFC 8018 A.2). */
  readonly prfOid: string;
}

/** PBKDF2-params (RFC 8018 A.2) read with every INTEGER of any length. Throws PFX_MALFORMED. */
export function readPbkdf2Params(params: Asn1 | undefined, what: string): Pbkdf2Params {
  if (!params) throw malformed(`${what}: PBKDF2 parameters are missing`);
  const [salt, iterationsBlock, ...rest] = childrenOf(params, `${what} PBKDF2 parameters`);
  if (!salt) throw malformed(`${what}: PBKDF2 salt is missing`);
  const iterations = positiveIntOf(iterationsBlock, `${what} PBKDF2 iteration count`);
  let keyLength: number | undefined;
  if (rest[0] instanceof asn1js.Integer) {
    keyLength = integerInRange(rest.shift(), 1, 1024, (problem) => malformed(`${what} PBKDF2 key length ${problem}`));
  }
  const prf = rest[0];
  const prfOid = prf ? oidOf(childrenOf(prf, `${what} PBKDF2 PRF`)[0], `${what} PBKDF2 PRF`) : '1.2.840.113549.2.7';
  return { salt, iterations, keyLength, prfOid };
}

/**
 * The KDF steps decrypting with `algorithm` (an AlgorithmIdentifier SEQUENCE from the file) runs:
 * PBES2/PBKDF2 (RFC 8018 6.2) or a PKCS#12 PBE (RFC 7292 appendix C, key then IV). An algorithm
 * CertDesk does not decrypt yields no steps: the decryption refuses it before any work.
 * Throws PFX_MALFORMED for parameters that do not parse.
 */
export function algorithmSteps(oid: string, params: Asn1 | undefined, what: string): KdfStep[] {
  if (oid === OID.pbes2) {
    if (!params) throw malformed(`${what}: PBES2 parameters are missing`);
    const [kdf, scheme] = childrenOf(params, `${what} PBES2 parameters`);
    if (!kdf || !scheme) throw malformed(`${what}: PBES2 parameters are incomplete`);
    const [kdfOid, kdfParams] = childrenOf(kdf, `${what} key derivation function`);
    if (oidOf(kdfOid, `${what} key derivation function`) !== OID.pbkdf2) return [];
    const p = readPbkdf2Params(kdfParams, what);
    const hash = PBKDF2_PRF_HASHES[p.prfOid];
    const cipherOid = oidOf(childrenOf(scheme, `${what} cipher`)[0], `${what} cipher`);
    const bytes = p.keyLength ?? PBES2_KEY_BYTES[cipherOid];
    if (!hash || bytes === undefined) return [];
    return [{ what, kdf: 'pbkdf2', hash, iterations: p.iterations, bytes }];
  }
  const pbe = PKCS12_PBE[oid];
  if (!pbe) return [];
  if (!params) throw malformed(`${what}: PBE parameters are missing`);
  const iterations = positiveIntOf(childrenOf(params, `${what} PBE parameters`)[1], `${what} PBE iteration count`);
  const key: KdfStep = { what: `${what} key`, kdf: 'pkcs12', hash: 'sha1', iterations, bytes: pbe.key };
  return pbe.iv ? [key, { ...key, what: `${what} IV`, bytes: pbe.iv }] : [key];
}

/** The MAC key derivation (RFC 7292 B.4), once per password candidate tried. */
export function macSteps(hash: KdfHash, iterations: number, candidates: number): KdfStep[] {
  const bytes = { md5: 16, sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 }[hash];
  return Array.from({ length: candidates }, () => ({ what: 'MAC', kdf: 'pkcs12' as const, hash, iterations, bytes }));
}
