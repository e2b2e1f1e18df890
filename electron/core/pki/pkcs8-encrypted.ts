// The key-derivation work an encrypted PKCS#8 private key (RFC 5958 EncryptedPrivateKeyInfo) asks
// for, read before OpenSSL is handed the password: PBKDF2 (RFC 8018 5.2), scrypt (RFC 7914),
// PBKDF1 (RFC 8018 5.1, PBES1) and the PKCS#12 PBEs (RFC 7292 appendix C).
import * as asn1js from 'asn1js';
import { CertDeskError } from '../../../shared/errors.js';
import { integerInRange } from './der-integer.js';
import { KdfBudget, type KdfStep } from './kdf-budget.js';
import { OID, type Asn1, childrenOf, oidOf } from './pkcs12-asn1.js';
import { PBKDF2_PRF_HASHES, algorithmSteps, readPbkdf2Params } from './pkcs12-plan.js';
import { isPem, pemBlocks } from './pem.js';

const SCRYPT = '1.3.6.1.4.1.11591.4.11';

/** PBES1 (RFC 8018 A.3): PBKDF1 with MD2/MD5/SHA-1; iterations of the bare hash. */
const PBES1_HASHES: Readonly<Record<string, 'md5' | 'sha1'>> = {
  '1.2.840.113549.1.5.1': 'md5', // pbeWithMD2AndDES-CBC (MD2 costed like MD5)
  '1.2.840.113549.1.5.4': 'md5', // pbeWithMD2AndRC2-CBC
  '1.2.840.113549.1.5.3': 'md5',
  '1.2.840.113549.1.5.6': 'md5',
  '1.2.840.113549.1.5.10': 'sha1',
  '1.2.840.113549.1.5.11': 'sha1',
};

/**
 * The EncryptedPrivateKeyInfo in `data` (PEM "ENCRYPTED PRIVATE KEY" or DER), or null when the
 * input is something else: a plain or traditional key, or bytes OpenSSL will refuse anyway.
 */
function encryptedKeyInfo(data: Uint8Array, field: string): Asn1 | null {
  const der = isPem(data) ? pemBlocks(Buffer.from(data).toString('latin1'), field).find((b) => b.label === 'ENCRYPTED PRIVATE KEY')?.der : data;
  if (!der) return null;
  const decoded = asn1js.fromBER(der);
  if (decoded.offset === -1 || decoded.result.error !== '' || !(decoded.result instanceof asn1js.Sequence)) return null;
  const [algorithm, encrypted, ...rest] = decoded.result.valueBlock.value;
  return algorithm instanceof asn1js.Sequence && encrypted instanceof asn1js.OctetString && rest.length === 0 ? decoded.result : null;
}

function stepsOf(root: Asn1, what: string): KdfStep[] {
  const algorithm = childrenOf(root, what)[0]!;
  const [oidBlock, params] = childrenOf(algorithm, `${what} algorithm`);
  const oid = oidOf(oidBlock, `${what} algorithm`);
  const pbes1 = PBES1_HASHES[oid];
  if (pbes1) {
    const iterations = integerInRange(childrenOf(params!, what)[1], 1, Number.MAX_SAFE_INTEGER, (p) => new Error(p));
    return [{ what, kdf: 'pbkdf2', hash: pbes1, iterations, bytes: 16 }];
  }
  if (oid === OID.pbes2 && params) {
    const [kdf] = childrenOf(params, what);
    const [kdfOid, kdfParams] = childrenOf(kdf!, what);
    const kdfName = oidOf(kdfOid, what);
    if (kdfName === SCRYPT) {
      // scrypt-params ::= SEQUENCE { salt, costParameter N, blockSize r, parallelizationParameter p, keyLength OPTIONAL }
      const [, n, r, p] = childrenOf(kdfParams!, what);
      const read = (block: unknown): number => integerInRange(block, 1, 2 ** 32, (problem) => new Error(problem));
      const work = BigInt(read(n)) * BigInt(read(r)) * BigInt(read(p));
      return [{ what, kdf: 'scrypt', hash: 'sha256', iterations: work > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(work), bytes: 32 }];
    }
    if (kdfName === OID.pbkdf2) {
      // Costed even for a PRF CertDesk's PKCS#12 reader does not know: OpenSSL may still run it.
      const p = readPbkdf2Params(kdfParams, what);
      return [{ what, kdf: 'pbkdf2', hash: PBKDF2_PRF_HASHES[p.prfOid] ?? 'sha512', iterations: p.iterations, bytes: p.keyLength ?? 32 }];
    }
    return [];
  }
  return algorithmSteps(oid, params, what);
}

/**
 * Refuses, before any decryption, an encrypted PKCS#8 key whose KDF would take more than
 * KDF_WORK_BUDGET work units (kdf-budget.ts): throws INVALID_INPUT naming `field`, the budget and
 * the iteration count asked for, or for parameters that cannot be read. Does nothing for input
 * that is not an EncryptedPrivateKeyInfo (plain or traditional keys, whose KDF is one round).
 */
export function checkEncryptedKeyWork(data: Uint8Array, field: string): void {
  let steps: KdfStep[];
  try {
    const info = encryptedKeyInfo(data, field);
    if (!info) return;
    steps = stepsOf(info, `${field} encryption`);
  } catch (e) {
    if (e instanceof CertDeskError && e.code === 'INVALID_INPUT') throw e;
    throw new CertDeskError('INVALID_INPUT', `${field}: the encrypted private key's encryption parameters cannot be read`, { field });
  }
  new KdfBudget(`${field}: the encrypted private key`, 'INVALID_INPUT').ensure(steps);
}
