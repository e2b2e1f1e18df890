// Reads PKCS#10 certificate requests (PEM or DER), checks their self-signature and key strength.
import type { KeyType, San } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { x509 } from './provider.js';
import { keyTypeOfSpki } from './keys.js';
import { dnFromName } from './names.js';
import { isPem, pemBlocks } from './pem.js';
import { sansFromCertificate } from './sans.js';

/**
 * A checked request as plain data, so it can cross from a worker thread: a large request takes a while
 * to parse. Rebuild the library objects with `new x509.Name(subjectDer)` and `new x509.PublicKey(spki)`.
 */
export interface CsrInfo {
  /** The subject as text (RFC 4514 order as written in the request). */
  subject: string;
  /** The subject Name, DER. */
  subjectDer: Uint8Array;
  /** The SubjectPublicKeyInfo, DER. */
  spki: Uint8Array;
  keyType: KeyType;
  sans: San[];
}

/**
 * Parses a PEM or DER PKCS#10 request (RFC 2986), checks its key type and strength and its self-signature,
 * and reads its subject alternative names. Throws CertDeskError CSR_INVALID (not a request, unreadable
 * SANs), CSR_BAD_SIGNATURE, or WEAK_KEY / UNSUPPORTED_KEY / INVALID_INPUT for the public key.
 * `field` names the input in messages. See readCsrOffThread (workers/off-thread.ts) for large input.
 */
export async function readCsr(data: Uint8Array, field = 'csr'): Promise<CsrInfo> {
  let der: Uint8Array = data;
  if (isPem(data)) {
    const block = pemBlocks(Buffer.from(data).toString('latin1'), field).find((b) => b.label === 'CERTIFICATE REQUEST' || b.label === 'NEW CERTIFICATE REQUEST');
    if (!block) throw new CertDeskError('CSR_INVALID', `${field}: no "BEGIN CERTIFICATE REQUEST" block found`, { field });
    der = block.der;
  }
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(der);
  } catch {
    throw new CertDeskError('CSR_INVALID', `${field}: not a PKCS#10 certificate request (PEM or DER)`, { field });
  }
  const spki = new Uint8Array(csr.publicKey.rawData);
  const keyType = keyTypeOfSpki(spki, `${field} public key`);
  let valid = false;
  try {
    valid = await csr.verify();
  } catch {
    valid = false;
  }
  if (!valid) throw new CertDeskError('CSR_BAD_SIGNATURE', `${field}: the request's self-signature does not verify (altered or corrupt request)`, { field });
  const sanExt = csr.extensions.find((e): e is x509.SubjectAlternativeNameExtension => e instanceof x509.SubjectAlternativeNameExtension);
  let sans: San[];
  try {
    sans = sansFromCertificate(sanExt);
  } catch (e) {
    throw new CertDeskError('CSR_INVALID', `${field}: the subject alternative names cannot be read: ${(e as Error).message}`, { field });
  }
  return { subject: dnFromName(csr.subjectName), subjectDer: new Uint8Array(csr.subjectName.toArrayBuffer()), spki, keyType, sans };
}
