// Reads PKCS#10 certificate requests (PEM or DER), checks their self-signature and key strength.
import type { KeyType, San } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { x509 } from './provider.js';
import { keyTypeOfSpki } from './keys.js';
import { dnFromName } from './names.js';
import { isPem, pemBlocks } from './pem.js';
import { sansFromCertificate } from './sans.js';

export interface ParsedCsr {
  csr: x509.Pkcs10CertificateRequest;
  subject: string;
  keyType: KeyType;
  sans: San[];
}

export async function parseCsr(data: Uint8Array, field = 'csr'): Promise<ParsedCsr> {
  let der: Uint8Array = data;
  if (isPem(data)) {
    const block = pemBlocks(Buffer.from(data).toString('latin1')).find((b) => b.label === 'CERTIFICATE REQUEST' || b.label === 'NEW CERTIFICATE REQUEST');
    if (!block) throw new CertDeskError('CSR_INVALID', `${field}: no "BEGIN CERTIFICATE REQUEST" block found`, { field });
    der = block.der;
  }
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(der);
  } catch {
    throw new CertDeskError('CSR_INVALID', `${field}: not a PKCS#10 certificate request (PEM or DER)`, { field });
  }
  const keyType = keyTypeOfSpki(new Uint8Array(csr.publicKey.rawData), `${field} public key`);
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
  return { csr, subject: dnFromName(csr.subjectName), keyType, sans };
}
