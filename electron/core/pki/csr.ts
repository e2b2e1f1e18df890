// Reads PKCS#10 certificate requests (PEM or DER), checks their self-signature and key strength.
import * as asn1js from 'asn1js';
import type { KeyType, San } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { x509 } from './provider.js';
import { readGeneralNames } from './general-names.js';
import { dnFromName, readSubject, type Rdn } from './names.js';
import { isPem, pemBlocks } from './pem.js';
import { checkForeignPublicKey } from './public-key-checks.js';

/**
 * A checked request as plain data, so it can cross from a worker thread: a large request takes a while
 * to parse. Rebuild the library objects with `new x509.Name(subjectDer)` and `new x509.PublicKey(spki)`.
 */
export interface CsrInfo {
  /** The subject as text (RFC 4514 order as written in the request). */
  subject: string;
  /** The subject Name, DER. */
  subjectDer: Uint8Array;
  /** The subject's attributes in encoding order, checked by readSubject (names.ts). */
  subjectRdns: Rdn[];
  /** The SubjectPublicKeyInfo, DER. */
  spki: Uint8Array;
  keyType: KeyType;
  sans: San[];
}

/**
 * Parses a PEM or DER PKCS#10 request (RFC 2986) and checks, in this order: its public key (public-key-checks.ts:
 * type, size, RSA exponent and modulus; before the signature, so a key that is refused is named as such), its
 * self-signature, its subject (names.ts readSubject: RFC 5280 bounds, no control or bidirectional characters, at
 * most one CN) and its subject alternative names (general-names.ts: IA5String bytes never reinterpreted).
 * Throws CertDeskError CSR_INVALID (not a request, an unreadable extension), CSR_BAD_SIGNATURE, WEAK_KEY /
 * UNSUPPORTED_KEY / INVALID_INPUT for the public key, INVALID_NAME for the subject or a SAN.
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
  let sanExt: x509.Extension | undefined;
  try {
    csr = new x509.Pkcs10CertificateRequest(der);
    sanExt = csr.extensions.find((e) => e.type === SAN_OID);
  } catch {
    throw new CertDeskError('CSR_INVALID', `${field}: not a PKCS#10 certificate request (PEM or DER)`, { field });
  }
  const { subjectDer, spki } = rawParts(der, field);
  const keyType = checkForeignPublicKey(spki, `${field} public key`);
  let valid = false;
  try {
    valid = await csr.verify();
  } catch {
    valid = false;
  }
  if (!valid) throw new CertDeskError('CSR_BAD_SIGNATURE', `${field}: the request's self-signature does not verify (altered or corrupt request)`, { field });
  const subjectRdns = readSubject(subjectDer, `${field} subject`);
  const sans: San[] = sanExt ? readGeneralNames(new Uint8Array(sanExt.value), `${field} subjectAltName`) : [];
  return { subject: dnFromName(subjectDer), subjectDer, subjectRdns, spki, keyType, sans };
}

const SAN_OID = '2.5.29.17';

/**
 * The subject Name and SubjectPublicKeyInfo exactly as encoded in the request (RFC 2986 4.1): the library's
 * Name re-encodes decoded strings, and its PublicKey parses algorithm parameters lazily, throwing its own errors.
 */
function rawParts(der: Uint8Array, field: string): { subjectDer: Uint8Array; spki: Uint8Array } {
  const parsed = asn1js.fromBER(der);
  const info = parsed.result instanceof asn1js.Sequence ? parsed.result.valueBlock.value[0] : undefined;
  const [, subject, spki] = info instanceof asn1js.Sequence ? info.valueBlock.value : [];
  if (!(subject instanceof asn1js.Sequence) || !(spki instanceof asn1js.Sequence)) {
    throw new CertDeskError('CSR_INVALID', `${field}: the request has no subject Name or public key`, { field });
  }
  return { subjectDer: new Uint8Array(subject.valueBeforeDecodeView), spki: new Uint8Array(spki.valueBeforeDecodeView) };
}
