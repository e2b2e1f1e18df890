// Explicit certificate mappings for Active Directory's altSecurityIdentities attribute: the strong forms of
// KB5014754 ("Certificate-based authentication changes on Windows domain controllers", Microsoft, 2022-05,
// table "altSecurityIdentities mappings"), which a domain controller in full enforcement accepts for a
// certificate without the SID extension:
//   X509:<I>IssuerName<SR>SerialNumber   "X509IssuerSerialNumber", strong
//   X509:<SKI>SubjectKeyIdentifier       "X509SKI", strong
//   X509:<SHA1-PUKEY>SHA1PublicKey       "X509SHA1PublicKey", strong
// (the weak forms <I><S>, <S> and <RFC822> are not produced). [MS-PKCA] 3.1.5.2.1.5 lists the same three as strong.
// The issuer is written by windows-name.ts as Windows' CertNameToStr writes it (CERT_X500_NAME_STR, most
// significant RDN first); the SKI as lower-case hex (KB5014754's examples).
// X509:<SHA1-PUKEY> holds the SHA-1 of the whole DER certificate (its thumbprint), not of the public key: the one
// KDC we can test, Samba 4.24.7 (SAMBA-NOTES.md, test/interop/samba-pkinit.test.ts step 3c), matches this form
// against the certificate's SHA-1 thumbprint and refuses the SHA-1 of the SubjectPublicKeyInfo; Microsoft's older
// altSecurityIdentities documentation labels the form "SHA1 Hash" (of the certificate), and Entra ID's
// certificateUserIds takes the same value in its X509:<SHA1-PUKEY> form. One value that works where we can prove it
// beats one that matches only a reading of the name.
import { createHash } from 'node:crypto';
import { CertDeskError } from '../../../shared/errors.js';
import { pkijs, x509 } from '../pki/provider.js';
import { readSidExtensionOf } from './sid-extension.js';
import { windowsIssuerName } from './windows-name.js';

export { windowsIssuerName } from './windows-name.js';

/** What an administrator may put in an account's altSecurityIdentities for one certificate, and its SID if it carries one. */
export interface AdMapping {
  /** `X509:<I>issuer<SR>serial`: the serial's bytes in reverse order, upper-case hex; null when the issuer cannot be written safely (see issuerSerialProblem). */
  issuerSerial: string | null;
  /** Why issuerSerial is null: names the issuer attribute whose value cannot be written safely; null when it is given. */
  issuerSerialProblem: string | null;
  /** `X509:<SKI>hex` of the subjectKeyIdentifier extension; null when the certificate has none. */
  ski: string | null;
  /** `X509:<SHA1-PUKEY>hex`: the certificate's SHA-1 thumbprint (SHA-1 of the whole DER certificate), lower-case hex. */
  sha1PublicKey: string;
  /** The SID of its SID extension (sid-extension.ts), null without one. */
  sid: string | null;
}

/**
 * The explicit mapping strings of a DER end-entity certificate (KB5014754). The serial is read from the
 * certificate's DER INTEGER content bytes (a leading 00 pad included, as Windows stores it) and written reversed;
 * the SKI is the extension's key identifier, lower-case hex; SHA1-PUKEY is the SHA-1 of the whole DER certificate
 * (see the file comment: what Samba 4.24 matches). When an issuer attribute holds a value that cannot be written
 * safely (windows-name.ts: a control character, a line break), `issuerSerial` is null and `issuerSerialProblem`
 * says which attribute; the other forms are still given. Throws when the bytes are not a certificate,
 * INVALID_INPUT for a CA certificate (basicConstraints cA: a CA is published to NTAuth, not mapped to an account)
 * or a malformed SID extension, INVALID_NAME for an issuer that is not a DER Name.
 */
export function adMappingOf(der: Uint8Array): AdMapping {
  const cert = new x509.X509Certificate(der);
  let tbs: pkijs.Certificate | undefined;
  return adMappingOfParsed({ der, x509: cert, get pkijs() { return (tbs ??= pkijs.Certificate.fromBER(der)); } });
}

/** A certificate already parsed: its DER and both views of it (export/parsed-certificate.ts ParsedCertificate is one). */
export interface ParsedCertificateParts {
  der: Uint8Array;
  x509: x509.X509Certificate;
  /** Read only after the CA check, so it may be parsed on first use. */
  readonly pkijs: pkijs.Certificate;
}

/** adMappingOf of a certificate parsed once (a bundle's ad-mapping.txt and .ps1 share it); same result, same errors. */
export function adMappingOfParsed(parsed: ParsedCertificateParts): AdMapping {
  const { der, x509: cert } = parsed;
  if (cert.getExtension(x509.BasicConstraintsExtension)?.ca) {
    throw new CertDeskError('INVALID_INPUT', `ad-mapping: "${cert.subject.slice(0, 200)}" is a CA certificate: altSecurityIdentities maps a user's or computer's own certificate; a CA goes into the NTAuth store (certutil -dspublish -f ca.cer NTAuthCA)`, { field: 'certificates' });
  }
  const serial = Buffer.from(parsed.pkijs.serialNumber.valueBlock.valueHexView).reverse().toString('hex').toUpperCase();
  let issuerSerial: string | null = null;
  let issuerSerialProblem: string | null = null;
  try {
    issuerSerial = `X509:<I>${windowsIssuerName(new Uint8Array(cert.issuerName.toArrayBuffer()))}<SR>${serial}`;
  } catch (e) {
    if (!(e instanceof CertDeskError) || e.details?.unsafe !== true) throw e;
    issuerSerialProblem = `X509:<I>..<SR> left out: ${e.message}; use X509:<SKI> or X509:<SHA1-PUKEY>`;
  }
  const skiExt = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  return {
    issuerSerial,
    issuerSerialProblem,
    ski: skiExt ? `X509:<SKI>${skiExt.keyId.toLowerCase()}` : null,
    sha1PublicKey: `X509:<SHA1-PUKEY>${createHash('sha1').update(der).digest('hex')}`,
    sid: readSidExtensionOf(cert),
  };
}

/** The mapping strings of `m` in the order KB5014754 lists them (issuer and serial first), leaving out a missing one. */
export function mappingStrings(m: AdMapping): string[] {
  return [...(m.issuerSerial ? [m.issuerSerial] : []), ...(m.ski ? [m.ski] : []), m.sha1PublicKey];
}
