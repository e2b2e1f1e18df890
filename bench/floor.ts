// The cryptographic floor of one batch certificate (benchmark, not a test): the work no implementation of
// the same file can skip, timed on this machine in this run with the primitives CertDesk itself uses.
// Per certificate: the key pair (node:crypto generateKeyPair), the certificate's signature (WebCrypto, as
// @peculiar/x509 signs), and every key derivation the PFX needs at its iteration count (RFC 7292):
//   modern: PBKDF2-HMAC-SHA256 (node:crypto) for the certificate bag and for the key bag, and the MAC key
//           by the appendix B KDF with SHA-256 (pki/pkcs12-kdf.ts);
//   legacy: the appendix B KDF with SHA-1 for each bag's 3DES key (24 bytes: two hash chains) and IV,
//           and for the MAC key.
// The floor is the sum of those times on one core divided by the cores the batch uses.
import { generateKeyPair, pbkdf2, randomBytes, webcrypto } from 'node:crypto';
import { promisify } from 'node:util';
import type { KeyType, PfxEncryption } from '../shared/domain.js';
import { KDF_ID, bmpPassword, pkcs12Kdf } from '../electron/core/pki/pkcs12-kdf.js';

const pbkdf2Async = promisify(pbkdf2);
const generateKeyPairAsync = promisify(generateKeyPair);

export const PFX_ITERATIONS = 10_000;
const PASSWORD = 'Bench-Password-1-abcdefghijkl';

/** Milliseconds per certificate, one core, for each unavoidable step; `floorMs` is their sum over `cores`. */
export interface Floor {
  keyType: KeyType;
  encryption: PfxEncryption;
  keygenMs: number;
  signMs: number;
  /** Each KDF run of one PFX, by what it protects. */
  kdfMs: Record<string, number>;
  oneCoreMs: number;
  cores: number;
  floorMs: number;
}

/** Mean milliseconds of `run` over `samples` runs, after one warm-up run. */
async function timeOf(samples: number, run: () => unknown): Promise<number> {
  await run();
  const started = performance.now();
  for (let i = 0; i < samples; i++) await run();
  return (performance.now() - started) / samples;
}

function keygen(keyType: KeyType): Promise<unknown> {
  if (keyType.startsWith('rsa-')) return generateKeyPairAsync('rsa', { modulusLength: Number(keyType.slice(4)), publicExponent: 0x10001 });
  return generateKeyPairAsync('ec', { namedCurve: keyType === 'ec-p384' ? 'P-384' : 'P-256' });
}

/** The PFX's key derivations: [what, run] pairs, run once per certificate each. */
function pfxKdfs(encryption: PfxEncryption): [string, () => unknown][] {
  const bmp = bmpPassword(PASSWORD);
  const salt = randomBytes(16);
  if (encryption === 'modern') {
    return [
      ['certificates PBKDF2-SHA256', () => pbkdf2Async(PASSWORD, salt, PFX_ITERATIONS, 32, 'sha256')],
      ['key PBKDF2-SHA256', () => pbkdf2Async(PASSWORD, salt, PFX_ITERATIONS, 32, 'sha256')],
      ['MAC PKCS#12-KDF SHA-256', () => pkcs12Kdf('sha256', bmp, salt, KDF_ID.mac, PFX_ITERATIONS, 32)],
    ];
  }
  return [
    ...['certificates', 'key'].flatMap((what): [string, () => unknown][] => [
      [`${what} 3DES key PKCS#12-KDF SHA-1`, () => pkcs12Kdf('sha1', bmp, salt, KDF_ID.key, PFX_ITERATIONS, 24)],
      [`${what} IV PKCS#12-KDF SHA-1`, () => pkcs12Kdf('sha1', bmp, salt, KDF_ID.iv, PFX_ITERATIONS, 8)],
    ]),
    ['MAC PKCS#12-KDF SHA-1', () => pkcs12Kdf('sha1', bmp, salt, KDF_ID.mac, PFX_ITERATIONS, 20)],
  ];
}

/**
 * Times the floor of one certificate of `keyType` in a PFX of `encryption`, signed by a CA key of `caKeyType`.
 * `samples` scales the repetitions (RSA key generation, whose time varies most, gets 3 times as many).
 */
export async function measureFloor(keyType: KeyType, encryption: PfxEncryption, caKeyType: KeyType, cores: number, samples = 16): Promise<Floor> {
  const keygenMs = await timeOf(keyType.startsWith('rsa-') ? samples * 3 : samples * 10, () => keygen(keyType));
  const rsaCa = caKeyType.startsWith('rsa-');
  const algorithm = rsaCa ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } : { name: 'ECDSA', hash: 'SHA-256' };
  const ca = rsaCa
    ? await webcrypto.subtle.generateKey({ ...algorithm, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, false, ['sign', 'verify'])
    : await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const tbs = randomBytes(700); // about the size of a user certificate's TBSCertificate
  const signMs = await timeOf(samples * 10, () => webcrypto.subtle.sign(algorithm, (ca as webcrypto.CryptoKeyPair).privateKey, tbs));
  const kdfMs: Record<string, number> = {};
  for (const [what, run] of pfxKdfs(encryption)) kdfMs[what] = await timeOf(samples, run);
  const oneCoreMs = keygenMs + signMs + Object.values(kdfMs).reduce((a, b) => a + b, 0);
  return { keyType, encryption, keygenMs, signMs, kdfMs, oneCoreMs, cores, floorMs: oneCoreMs / cores };
}
