// Certs-only PKCS#7 (.p7b): the chain in one file, as Windows' certificate import wizard and many
// appliances take it. A degenerate SignedData (RFC 2315 / RFC 5652): no signers, no digest algorithms,
// empty id-data content. Certificates keep the caller's order (leaf first, root last).
import { CertDeskError } from '../../../shared/errors.js';
import { toPem } from '../pki/pem.js';
import { pkijs } from '../pki/provider.js';

const ID_DATA = '1.2.840.113549.1.7.1';
const ID_SIGNED_DATA = '1.2.840.113549.1.7.2';

function parseCertificate(der: Uint8Array, field: string): pkijs.Certificate {
  try {
    if (!(der instanceof Uint8Array) || der.length === 0) throw new Error('empty');
    return pkijs.Certificate.fromBER(der);
  } catch {
    throw new CertDeskError('INVALID_INPUT', `${field}: not a DER X.509 certificate`, { field });
  }
}

/**
 * DER ContentInfo holding a certs-only SignedData (RFC 5652 5.1) of the DER certificates `certs`, in their order.
 * Throws CertDeskError INVALID_INPUT: `certs: at least one certificate is required`, `certs[i]: not a DER X.509 certificate`.
 */
export function buildP7b(certs: Uint8Array[]): Uint8Array {
  if (!Array.isArray(certs) || certs.length === 0) {
    throw new CertDeskError('INVALID_INPUT', 'certs: at least one certificate is required', { field: 'certs' });
  }
  return buildP7bOf(certs.map((der, i) => parseCertificate(der, `certs[${i}]`)));
}

/**
 * buildP7b of certificates already parsed by pkijs (a batch parses its chain once; the objects are only read, so
 * they may be reused for every bundle). The same bytes as buildP7b of their DER. Throws INVALID_INPUT for an empty list.
 */
export function buildP7bOf(certs: pkijs.Certificate[]): Uint8Array {
  if (certs.length === 0) throw new CertDeskError('INVALID_INPUT', 'certs: at least one certificate is required', { field: 'certs' });
  const signed = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: ID_DATA }),
    certificates: certs,
    signerInfos: [],
  });
  const info = new pkijs.ContentInfo({ contentType: ID_SIGNED_DATA, content: signed.toSchema() });
  return new Uint8Array(info.toSchema().toBER(false));
}

/** The same, PEM-armoured with the label OpenSSL and Windows expect (`-----BEGIN PKCS7-----`). */
export function p7bPem(der: Uint8Array): string {
  return toPem(der, 'PKCS7');
}
