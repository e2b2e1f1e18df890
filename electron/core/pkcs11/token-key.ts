// The signing side of a token key: a CryptoKey look-alike (pki/external-key.ts) whose signatures the token
// makes. The hash is computed here, in Node, and the token applies only the raw mechanism every token has:
// CKM_RSA_PKCS over a DER DigestInfo (RSASSA-PKCS1-v1_5, RFC 8017 section 9.2 with its note 1 prefixes) for
// RSA, CKM_ECDSA over the hash for EC (PKCS#11 v2.40 current mechanisms 2.3.6, 2.1.6). CKM_ECDSA returns r || s,
// which is what WebCrypto returns, so @peculiar/x509 and crl-der.ts encode both the same way.
import { createHash } from 'node:crypto';
import type { KeyType } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { EXTERNAL_SIGN, hashOf, type ExternalPrivateKey, type SignAlgorithm } from '../pki/external-key.js';

/** The DER DigestInfo prefixes of RFC 8017 section 9.2, note 1 (AlgorithmIdentifier with NULL parameters, then the OCTET STRING header). */
const DIGEST_INFO_PREFIX: Record<string, string> = {
  'SHA-256': '3031300d060960864801650304020105000420',
  'SHA-384': '3041300d060960864801650304020205000430',
  'SHA-512': '3051300d060960864801650304020305000440',
};

const NODE_HASH: Record<string, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

/** RSASSA-PKCS1-v1_5's DigestInfo for `data` (what CKM_RSA_PKCS pads and signs). INTERNAL for another hash. */
export function digestInfo(hash: string, data: Uint8Array): Buffer {
  const prefix = DIGEST_INFO_PREFIX[hash];
  if (!prefix) throw new CertDeskError('INTERNAL', `token signing: hash ${hash} is not supported (SHA-256, SHA-384, SHA-512)`, {});
  return Buffer.concat([Buffer.from(prefix, 'hex'), createHash(NODE_HASH[hash]!).update(data).digest()]);
}

/** Raw mechanisms a token key signs with: the CKM_ numbers (pkcs11js constants), given by the caller. */
export interface RawMechanisms {
  rsaPkcs: number;
  ecdsa: number;
}

/**
 * A token key as @peculiar/x509 signs with it. `signRaw(mechanism, input)` is the token's C_Sign (the session
 * lives elsewhere: pkcs11/token-signer.ts). `algorithm` is what WebCrypto reports for the same key, so the
 * certificate's signature algorithm is the same as with a key in the vault (keys.ts signingAlgorithm).
 */
export function tokenPrivateKey(keyType: KeyType, mechanisms: RawMechanisms, signRaw: (mechanism: number, input: Buffer) => Buffer): ExternalPrivateKey {
  const ec = keyType === 'ec-p256' || keyType === 'ec-p384';
  const algorithm: ExternalPrivateKey['algorithm'] = ec
    ? { name: 'ECDSA', namedCurve: keyType === 'ec-p256' ? 'P-256' : 'P-384' }
    : { name: 'RSASSA-PKCS1-v1_5', hash: { name: 'SHA-256' }, modulusLength: Number(keyType.slice(4)), publicExponent: new Uint8Array([1, 0, 1]) };
  const sign = async (alg: SignAlgorithm, data: Uint8Array): Promise<Uint8Array> => {
    if (ec) {
      const hash = hashOf(alg, keyType === 'ec-p256' ? 'SHA-256' : 'SHA-384');
      const digest = createHash(NODE_HASH[hash] ?? 'sha256').update(data).digest();
      const rs = signRaw(mechanisms.ecdsa, digest);
      const expected = keyType === 'ec-p256' ? 64 : 96;
      if (rs.length !== expected) throw new CertDeskError('PKCS11_MODULE_FAILED', `the token returned a ${rs.length}-byte ECDSA signature, not the ${expected} bytes of r || s`, {});
      return new Uint8Array(rs);
    }
    return new Uint8Array(signRaw(mechanisms.rsaPkcs, digestInfo(hashOf(alg, 'SHA-256'), data)));
  };
  return Object.freeze({ algorithm, type: 'private', extractable: false, usages: ['sign'], [EXTERNAL_SIGN]: sign }) as ExternalPrivateKey;
}
