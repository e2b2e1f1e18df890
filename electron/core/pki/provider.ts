// Wires @peculiar/x509 and pkijs to Node's WebCrypto. Import this module before using either library.
// @peculiar/x509 gets a provider that is Node's WebCrypto except for `subtle.sign` with an external key (a key
// on a PKCS#11 token, pki/external-key.ts), which goes to that key's own sign function.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import * as pkijs from 'pkijs';
import { EXTERNAL_SIGN, isExternalKey, type SignAlgorithm } from './external-key.js';

export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;
export const subtle: webcrypto.SubtleCrypto = webcrypto.subtle;

/** Node's object with every method bound to it (Node's WebCrypto methods check their receiver), `overrides` first. */
function bound<T extends object>(target: T, overrides: Record<PropertyKey, unknown>): T {
  return new Proxy(target, {
    get(t, prop) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop];
      const v = Reflect.get(t, prop, t) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
}

/** subtle.sign: an external key signs itself; every other key is Node's WebCrypto's. */
async function sign(algorithm: SignAlgorithm, key: CryptoKey, data: ArrayBuffer | ArrayBufferView): Promise<ArrayBuffer> {
  if (!isExternalKey(key)) return webcrypto.subtle.sign(algorithm as never, key, data);
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const signature = await key[EXTERNAL_SIGN](algorithm, bytes);
  return signature.buffer.slice(signature.byteOffset, signature.byteOffset + signature.byteLength) as ArrayBuffer;
}

/** The crypto object @peculiar/x509 signs with (x509.cryptoProvider.get()). */
export const certdeskCrypto: webcrypto.Crypto = bound(webcrypto, { subtle: bound(webcrypto.subtle, { sign }) });

x509.cryptoProvider.set(certdeskCrypto as never);
pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as never }));

export { x509, pkijs };
