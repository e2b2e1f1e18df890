// A certificate parsed once for all the files of a hand-over bundle (bundle-content.ts): the @peculiar/x509 view
// (names, extensions) and, when a file asks for it, the pkijs view (the serial's DER bytes, PKCS#7), so no file
// builder parses the DER again.
import { CertDeskError } from '../../../shared/errors.js';
import { pkijs, x509 } from '../pki/provider.js';

/** One DER certificate with its parsed forms; `pkijs` is parsed on first use and kept. */
export class ParsedCertificate {
  /** The @peculiar/x509 certificate (RFC 5280 fields: names, extensions, validity). */
  readonly x509: x509.X509Certificate;
  #pkijs: pkijs.Certificate | undefined;

  /**
   * Parses `der` (an X.509 certificate, RFC 5280). Throws CertDeskError INVALID_INPUT `FIELD: not a DER X.509
   * certificate` (details.field) when it is empty or not a certificate.
   */
  constructor(
    readonly der: Uint8Array,
    readonly field = 'certificate',
  ) {
    try {
      if (!(der instanceof Uint8Array) || der.length === 0) throw new Error('empty');
      this.x509 = new x509.X509Certificate(der);
    } catch {
      throw notCertificate(field);
    }
  }

  /** The pkijs certificate of the same DER, parsed once. Throws INVALID_INPUT as the constructor does. */
  get pkijs(): pkijs.Certificate {
    if (!this.#pkijs) {
      try {
        this.#pkijs = pkijs.Certificate.fromBER(this.der);
      } catch {
        throw notCertificate(this.field);
      }
    }
    return this.#pkijs;
  }
}

function notCertificate(field: string): CertDeskError {
  return new CertDeskError('INVALID_INPUT', `${field}: not a DER X.509 certificate`, { field });
}
