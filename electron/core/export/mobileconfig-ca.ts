// What an Apple configuration profile's CA payload takes from a CA certificate (mobileconfig.ts), apart from the
// XML writer: a batch reads its chain once on the main thread (chain-files.ts), which then need not load xmlbuilder2.
import { CertDeskError } from '../../../shared/errors.js';
import { commonNameOf } from '../pki/names.js';
import { x509 } from '../pki/provider.js';
import { xmlText } from './xml-text.js';

function invalid(field: string, message: string): CertDeskError {
  return new CertDeskError('INVALID_INPUT', `${field}: ${message}`, { field });
}

/** What a CA certificate's payload takes from it: plain data, so a batch reads its chain once and hands it to workers. */
export interface MobileconfigCa {
  der: Uint8Array;
  /** Self-signed by name: its issuer equals its subject (the signature is the device's business). */
  root: boolean;
  /** Its subject CN (checked as XML text), else `CA <i+1>`. */
  cn: string;
}

/**
 * The payload facts of the DER CA certificate at position `i` of the chain. Throws CertDeskError INVALID_INPUT
 * naming `caCertificates[i]`: not a DER X.509 certificate, or a CN XML cannot carry.
 */
export function mobileconfigCa(der: Uint8Array, i: number): MobileconfigCa {
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(der);
  } catch {
    throw invalid(`caCertificates[${i}]`, 'not a DER X.509 certificate');
  }
  const root = Buffer.from(cert.subjectName.toArrayBuffer()).equals(Buffer.from(cert.issuerName.toArrayBuffer()));
  return { der, root, cn: xmlText(commonNameOf(cert.subjectName) ?? `CA ${i + 1}`, `caCertificates[${i}]`) };
}
