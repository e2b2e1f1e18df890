// A private key that signs somewhere else (a PKCS#11 token, electron/core/pkcs11/): a CryptoKey look-alike that
// @peculiar/x509 and crl-der.ts pass to `subtle.sign` like any other key. provider.ts's crypto provider sends a
// signature with such a key to its own sign function and every other call to Node's WebCrypto. Kept free of
// native imports: the worker threads load provider.ts too.

/** The property that marks an external key and holds its sign function. */
export const EXTERNAL_SIGN: unique symbol = Symbol.for('certdesk.externalSign');

/** The WebCrypto algorithm a signature is asked with: name, and hash as a string or { name }. */
export interface SignAlgorithm {
  name: string;
  hash?: string | { name: string };
}

/**
 * A CryptoKey look-alike for a key that never leaves its device. `algorithm` is what WebCrypto would report
 * for the same key (RSASSA-PKCS1-v1_5 with its hash, or ECDSA with its curve), so @peculiar/x509 picks the
 * same signature algorithm identifier. The sign function returns what WebCrypto's sign returns: PKCS#1 v1.5
 * signature bytes for RSA, r || s for ECDSA.
 */
export interface ExternalPrivateKey {
  readonly algorithm: Record<string, unknown> & { name: string };
  readonly type: 'private';
  readonly extractable: false;
  readonly usages: ['sign'];
  readonly [EXTERNAL_SIGN]: (algorithm: SignAlgorithm, data: Uint8Array) => Promise<Uint8Array>;
}

/** Whether `key` is an external key (see ExternalPrivateKey). */
export function isExternalKey(key: unknown): key is ExternalPrivateKey {
  return typeof key === 'object' && key !== null && typeof (key as Partial<ExternalPrivateKey>)[EXTERNAL_SIGN] === 'function';
}

/** The hash a signature algorithm names ("SHA-256"), or `fallback`. */
export function hashOf(algorithm: SignAlgorithm, fallback: string): string {
  const h = algorithm.hash;
  return typeof h === 'string' ? h : (h?.name ?? fallback);
}
