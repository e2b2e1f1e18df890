// One budget for the key-derivation work a single imported file may cause (PKCS#12 MACs and
// encrypted bags, encrypted PKCS#8 keys), in work units that reflect cost, checked before the work.
import { CertDeskError, type ErrorCode } from '../../../shared/errors.js';

export type KdfHash = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'md5';

/**
 * The work unit: one iteration of native PBKDF2-HMAC-SHA256 for one output block (measured at
 * 0.15 us with Node 20 on the development machine). One round of our JavaScript PKCS#12 KDF
 * (pkcs12-kdf.ts) for one output block measured 0.53 us there, so it counts 4 units; SHA-384/512
 * count more. (Its SHA-1 and SHA-256 rounds take 0.3 to 0.4 us since they run noble's compression function
 * directly; the weight stays, so the budget errs on the side of refusing a file.) scrypt is costed per
 * N x r x p (RFC 7914), 3 units each.
 */
const UNITS_PER_ROUND: Readonly<Record<'pkcs12' | 'pbkdf2' | 'scrypt', Readonly<Record<KdfHash, number>>>> = {
  pkcs12: { md5: 4, sha1: 4, sha224: 4, sha256: 4, sha384: 6, sha512: 6 },
  pbkdf2: { md5: 1, sha1: 1, sha224: 1, sha256: 1, sha384: 2, sha512: 2 },
  scrypt: { md5: 3, sha1: 3, sha224: 3, sha256: 3, sha384: 3, sha512: 3 },
};

const DIGEST_BYTES: Readonly<Record<KdfHash, number>> = { md5: 16, sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

/**
 * Work units one file may ask for: 2^26 = 67,108,864, about 9 s of one idle core. It admits OpenSSL's
 * `pkcs12 -export -iter 8388608` (two PBKDF2-SHA256 safes and a SHA-256 MAC at 2^23: 50,331,648)
 * and refuses one legacy 3DES bag at 10,000,000 iterations (120,000,000).
 */
export const KDF_WORK_BUDGET = 2 ** 26;

/** One key derivation a file asks for. `kdf` 'pkcs12' is RFC 7292 appendix B, 'pbkdf2' RFC 8018 5.2. */
export interface KdfStep {
  /** Where in the file, e.g. "MAC" or "SafeContents 2 bag 1". */
  readonly what: string;
  readonly kdf: 'pkcs12' | 'pbkdf2' | 'scrypt';
  readonly hash: KdfHash;
  /** The iteration count (for scrypt: N * r * p). */
  readonly iterations: number;
  /** Bytes derived (key, IV or MAC key); one derivation per entry. */
  readonly bytes: number;
}

/** Work units of one step: iterations x output blocks x the per-round weight. */
export function stepUnits(step: KdfStep): number {
  const blocks = step.kdf === 'scrypt' ? 1 : Math.max(1, Math.ceil(step.bytes / DIGEST_BYTES[step.hash]));
  return step.iterations * blocks * UNITS_PER_ROUND[step.kdf][step.hash];
}

/**
 * Work actually done by this thread's KDF calls since it started (pkcs12-kdf.ts and the PBKDF2 of
 * pkcs12-cipher.ts add to it). Tests read the difference around a call; nothing else depends on it.
 */
export const kdfMeter = { units: 0 };

export function meterKdf(step: KdfStep): void {
  kdfMeter.units += stepUnits(step);
}

const fmt = (n: number): string => n.toLocaleString('en-US');

function describeStep(s: KdfStep): string {
  if (s.kdf === 'scrypt') return `scrypt with N x r x p = ${fmt(s.iterations)}`;
  return `${fmt(s.iterations)} ${s.kdf === 'pkcs12' ? 'PKCS#12-KDF' : 'PBKDF2'} iterations`;
}

/**
 * Tracks a file's key-derivation work against KDF_WORK_BUDGET. `ensure` refuses, before any of it
 * runs, steps that would take the file over the budget; `spend` records steps as they run.
 */
export class KdfBudget {
  private spent = 0;

  /**
   * @param subject what the file is, for the message ("the PKCS#12 file", "key")
   * @param code the error code thrown when the budget would be exceeded
   */
  constructor(
    private readonly subject: string,
    private readonly code: ErrorCode,
    readonly limit: number = KDF_WORK_BUDGET,
  ) {}

  get used(): number {
    return this.spent;
  }

  /** Throws `code` naming the budget and the costliest steps when spent + steps would exceed it. */
  ensure(steps: readonly KdfStep[]): void {
    const total = this.spent + steps.reduce((n, s) => n + stepUnits(s), 0);
    if (total <= this.limit) return;
    const costly = [...steps].sort((a, b) => stepUnits(b) - stepUnits(a));
    const named = costly.slice(0, 3).map((s) => `${s.what}: ${describeStep(s)}`);
    const more = costly.length > 3 ? `, and ${costly.length - 3} more` : '';
    throw new CertDeskError(
      this.code,
      `${this.subject} asks for ${fmt(total)} units of key-derivation work (${named.join('; ')}${more}), above the budget of ${fmt(this.limit)} per file ` +
        '(1 unit = one PBKDF2-HMAC-SHA256 iteration; a round of the PKCS#12 KDF counts 4)',
      { budget: this.limit, requested: total },
    );
  }

  /** Checks, then records, steps about to run. */
  spend(steps: readonly KdfStep[]): void {
    this.ensure(steps);
    this.spent += steps.reduce((n, s) => n + stepUnits(s), 0);
  }
}
