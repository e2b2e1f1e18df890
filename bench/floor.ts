// The cryptographic floor of one batch certificate (benchmark, not a test): the work no implementation of
// the same file can skip, timed on this machine in this run with the primitives CertDesk itself uses.
// Per certificate: the key pair (node:crypto generateKeyPair), the certificate's signature (WebCrypto, as
// @peculiar/x509 signs), and every key derivation the PFX needs at its iteration count (RFC 7292):
//   modern: PBKDF2-HMAC-SHA256 (node:crypto) for the certificate bag and for the key bag, and the MAC key
//           by the appendix B KDF with SHA-256 (pki/pkcs12-kdf.ts);
//   legacy: the appendix B KDF with SHA-1 for each bag's 3DES key (24 bytes: two hash chains) and IV,
//           and for the MAC key.
// The floor is the sum of those times on one core divided by the cores the batch uses. The appendix B KDF has no
// native implementation in Node.js (CertDesk runs it in JavaScript, pki/pkcs12-kdf.ts), so the floor is also given
// with each of its runs at OpenSSL 3's own speed (`openssl kdf ... PKCS12KDF`, CPU per round): what a native KDF
// would leave. Each part is measured
// twice: as wall time, which a loaded machine stretches (4.9 to 20.8 ms for the same P-256 floor), and as CPU
// time (process.cpuUsage over the repetitions: every thread of this process, so the libuv thread that runs an
// async key generation or PBKDF2 counts, and the waiting main thread does not), which load barely moves.
import { execFileSync } from 'node:child_process';
import { generateKeyPair, pbkdf2, randomBytes, webcrypto } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { KeyType, PfxEncryption } from '../shared/domain.js';
import { KDF_ID, bmpPassword, pkcs12Kdf } from '../electron/core/pki/pkcs12-kdf.js';

const pbkdf2Async = promisify(pbkdf2);
const generateKeyPairAsync = promisify(generateKeyPair);

export const PFX_ITERATIONS = 10_000;
const PASSWORD = 'Bench-Password-1-abcdefghijkl';

/** One certificate's unavoidable steps in milliseconds, one core; `floorMs` is their sum over `cores`. */
export interface FloorParts {
  keygenMs: number;
  signMs: number;
  /** Each KDF run of one PFX, by what it protects. */
  kdfMs: Record<string, number>;
  oneCoreMs: number;
  floorMs: number;
}

/** The floor of one certificate as wall time (the top-level figures) and as CPU time (`cpu`). */
export interface Floor extends FloorParts {
  keyType: KeyType;
  encryption: PfxEncryption;
  cores: number;
  /** The same parts as CPU milliseconds of every thread of this process: comparable across machine load. */
  cpu: FloorParts;
  /** `cpu` with every appendix B KDF run at the CPU cost of OpenSSL 3's PKCS12KDF (opensslKdfRoundUs); null where /proc cannot tell a child's CPU (not Linux). */
  cpuOpensslKdf: FloorParts | null;
  /** CPU microseconds per round of OpenSSL 3's PKCS12KDF, by hash. */
  opensslKdfRoundUs: Partial<Record<'sha1' | 'sha256', number>>;
}

interface Timed {
  wallMs: number;
  cpuMs: number;
}

/** Mean wall and CPU (process.cpuUsage: user + system, all threads) milliseconds of `run` over `samples` sequential runs, after one warm-up run. */
async function timeOf(samples: number, run: () => unknown): Promise<Timed> {
  await run();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < samples; i++) await run();
  const wallMs = (performance.now() - started) / samples;
  const cpu = process.cpuUsage(cpuBefore);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 / samples };
}

function keygen(keyType: KeyType): Promise<unknown> {
  if (keyType.startsWith('rsa-')) return generateKeyPairAsync('rsa', { modulusLength: Number(keyType.slice(4)), publicExponent: 0x10001 });
  return generateKeyPairAsync('ec', { namedCurve: keyType === 'ec-p384' ? 'P-384' : 'P-256' });
}

/** One key derivation of a PFX; `pkcs12` is set for an appendix B KDF run: its hash and how many hash chains of PFX_ITERATIONS rounds it makes (B.2: one per u bytes of output). */
interface PfxKdf {
  what: string;
  run: () => unknown;
  pkcs12?: { hash: 'sha1' | 'sha256'; chains: number };
}

/** The PFX's key derivations, run once per certificate each. */
function pfxKdfs(encryption: PfxEncryption): PfxKdf[] {
  const bmp = bmpPassword(PASSWORD);
  const salt = randomBytes(16);
  if (encryption === 'modern') {
    return [
      { what: 'certificates PBKDF2-SHA256', run: () => pbkdf2Async(PASSWORD, salt, PFX_ITERATIONS, 32, 'sha256') },
      { what: 'key PBKDF2-SHA256', run: () => pbkdf2Async(PASSWORD, salt, PFX_ITERATIONS, 32, 'sha256') },
      { what: 'MAC PKCS#12-KDF SHA-256', run: () => pkcs12Kdf('sha256', bmp, salt, KDF_ID.mac, PFX_ITERATIONS, 32), pkcs12: { hash: 'sha256', chains: 1 } },
    ];
  }
  return [
    ...['certificates', 'key'].flatMap((what): PfxKdf[] => [
      { what: `${what} 3DES key PKCS#12-KDF SHA-1`, run: () => pkcs12Kdf('sha1', bmp, salt, KDF_ID.key, PFX_ITERATIONS, 24), pkcs12: { hash: 'sha1', chains: 2 } },
      { what: `${what} IV PKCS#12-KDF SHA-1`, run: () => pkcs12Kdf('sha1', bmp, salt, KDF_ID.iv, PFX_ITERATIONS, 8), pkcs12: { hash: 'sha1', chains: 1 } },
    ]),
    { what: 'MAC PKCS#12-KDF SHA-1', run: () => pkcs12Kdf('sha1', bmp, salt, KDF_ID.mac, PFX_ITERATIONS, 20), pkcs12: { hash: 'sha1', chains: 1 } },
  ];
}

/** CPU milliseconds of this process's waited-for children so far (Linux: /proc/self/stat cutime + cstime, in ticks of 10 ms). */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10; // fields 16 and 17 of proc(5), counted from the state (field 3)
}

const roundUsMeasured = new Map<'sha1' | 'sha256', number>();

/**
 * CPU microseconds per round of OpenSSL 3's own PKCS12KDF (`openssl kdf`): the difference between the CPU of a run
 * of `rounds` rounds and of a run of one round (process start and all), divided by the rounds between them. Measured
 * once per hash per bench run (about 0.3 s each); the tick of 10 ms makes it good to about 5%.
 */
function opensslKdfRoundUs(hash: 'sha1' | 'sha256', rounds = 3_000_000): number {
  const known = roundUsMeasured.get(hash);
  if (known !== undefined) return known;
  const run = (iterations: number) => {
    const before = childrenCpuMs();
    const args = ['kdf', '-keylen', '20', '-kdfopt', `digest:${hash.toUpperCase()}`, '-kdfopt', 'pass:floor', '-kdfopt', 'hexsalt:0011223344556677', '-kdfopt', `iter:${iterations}`, '-kdfopt', 'id:3', 'PKCS12KDF'];
    execFileSync('openssl', args, { stdio: 'ignore' });
    return childrenCpuMs() - before;
  };
  const us = ((run(rounds) - run(1)) * 1000) / (rounds - 1);
  roundUsMeasured.set(hash, us);
  return us;
}

/**
 * Times the floor of one certificate of `keyType` in a PFX of `encryption`, signed by a CA key of `caKeyType`.
 * `samples` scales the repetitions; key pairs and signatures get 10 times as many. An RSA key's time varies with its
 * prime search: the mean of 48 RSA-2048 keys moved by 5% between two runs, and the RSA ratio with it; 160 keys take
 * about 22 s.
 * Returns the parts in wall milliseconds and, under `cpu`, in CPU milliseconds (see timeOf).
 */
export async function measureFloor(keyType: KeyType, encryption: PfxEncryption, caKeyType: KeyType, cores: number, samples = 16): Promise<Floor> {
  const keyPair = await timeOf(samples * 10, () => keygen(keyType));
  const rsaCa = caKeyType.startsWith('rsa-');
  const algorithm = rsaCa ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } : { name: 'ECDSA', hash: 'SHA-256' };
  const ca = rsaCa
    ? await webcrypto.subtle.generateKey({ ...algorithm, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, false, ['sign', 'verify'])
    : await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const tbs = randomBytes(700); // about the size of a user certificate's TBSCertificate
  const sign = await timeOf(samples * 10, () => webcrypto.subtle.sign(algorithm, (ca as webcrypto.CryptoKeyPair).privateKey, tbs));
  const kdfs: [PfxKdf, Timed][] = [];
  for (const kdf of pfxKdfs(encryption)) kdfs.push([kdf, await timeOf(samples, kdf.run)]);
  const roundUs: Partial<Record<'sha1' | 'sha256', number>> = {};
  const childCpuKnown = existsSync('/proc/self/stat');
  if (childCpuKnown) for (const [{ pkcs12 }] of kdfs) if (pkcs12) roundUs[pkcs12.hash] ??= opensslKdfRoundUs(pkcs12.hash);
  const parts = (msOf: (kdf: PfxKdf, t: Timed) => number, of: keyof Timed): FloorParts => {
    const kdfMs = Object.fromEntries(kdfs.map(([kdf, t]) => [kdf.what, msOf(kdf, t)]));
    const oneCoreMs = keyPair[of] + sign[of] + Object.values(kdfMs).reduce((a, b) => a + b, 0);
    return { keygenMs: keyPair[of], signMs: sign[of], kdfMs, oneCoreMs, floorMs: oneCoreMs / cores };
  };
  const opensslMs = (kdf: PfxKdf, t: Timed) => (kdf.pkcs12 ? (kdf.pkcs12.chains * PFX_ITERATIONS * roundUs[kdf.pkcs12.hash]!) / 1000 : t.cpuMs);
  return {
    keyType,
    encryption,
    cores,
    ...parts((_, t) => t.wallMs, 'wallMs'),
    cpu: parts((_, t) => t.cpuMs, 'cpuMs'),
    cpuOpensslKdf: childCpuKnown ? parts(opensslMs, 'cpuMs') : null,
    opensslKdfRoundUs: roundUs,
  };
}
