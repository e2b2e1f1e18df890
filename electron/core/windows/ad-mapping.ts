// Explicit certificate mappings for Active Directory's altSecurityIdentities attribute: the strong forms of
// KB5014754 ("Certificate-based authentication changes on Windows domain controllers", Microsoft, 2022-05,
// table "altSecurityIdentities mappings"), which a domain controller in full enforcement accepts for a
// certificate without the SID extension:
//   X509:<I>IssuerName<SR>SerialNumber   "X509IssuerSerialNumber", strong
//   X509:<SKI>SubjectKeyIdentifier       "X509SKI", strong
//   X509:<SHA1-PUKEY>SHA1PublicKey       "X509SHA1PublicKey", strong
// (the weak forms <I><S>, <S> and <RFC822> are not produced). [MS-PKCA] 3.1.5.2.1.5 lists the same three as strong.
// What the domain controller compares them with (kerberos.dll, KerbBuildAltSecId): the issuer by CertNameToStr
// with CERT_X500_NAME_STR (RDNs in encoding order), the SKI extension and the 20-byte KerbGetCertificateHash as
// CRYPT_STRING_HEXRAW (lower-case hex). KerbGetCertificateHash is CryptHashPublicKeyInfo(CALG_SHA1) over the
// certificate's SubjectPublicKeyInfo on Windows 8 / Server 2012 and later (the certificate's SHA-1 thumbprint
// before that), hence SHA-1 of the DER SubjectPublicKeyInfo here. Samba 4.24 accepts the <I>..<SR> form written
// this way (issue 12's Samba harness: `X509:<I>O=CertDesk,CN=CertDesk Test CA<SR>81706F5E4D3C2B1A`).
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import { CertDeskError } from '../../../shared/errors.js';
import { pkijs, x509 } from '../pki/provider.js';
import { readSidExtension } from './sid-extension.js';

/** The attribute names Windows writes in an X.500 name string (CertNameToStr, CERT_X500_NAME_STR). */
const WINDOWS_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'S',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.42': 'G',
  '1.2.840.113549.1.9.1': 'E',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

/** A value as CertNameToStr quotes it: in double quotes (inner quotes doubled) when it holds , + = " < > # ; or a line break, or starts or ends with a space. */
function windowsValue(value: string): string {
  return /[,+="<>#;\r\n]|^ | $/.test(value) || value === '' ? `"${value.replace(/"/g, '""')}"` : value;
}

const STRING_TYPES = [asn1js.Utf8String, asn1js.PrintableString, asn1js.IA5String, asn1js.TeletexString, asn1js.BmpString, asn1js.UniversalString, asn1js.VisibleString, asn1js.NumericString];

/** An attribute value as CertNameToStr writes it: a character string quoted where needed, anything else `#` and the hex of its DER. */
function valueText(v: asn1js.BaseBlock): string {
  for (const T of STRING_TYPES) if (v instanceof T) return windowsValue((v as InstanceType<typeof asn1js.Utf8String>).getValue());
  return `#${Buffer.from(v.toBER()).toString('hex').toUpperCase()}`;
}

/**
 * An issuer name as altSecurityIdentities' `<I>` part expects it: the RDNs in the order the certificate encodes
 * them (most significant first, as Windows' X.500 form writes them: `O=CertDesk,CN=CertDesk Test CA` for the
 * RFC 4514 `CN=CertDesk Test CA,O=CertDesk`), joined by "," without spaces, a multi-valued RDN's attributes by
 * "+", Windows' attribute names (S for stateOrProvinceName, E for emailAddress), OIDs for others. Any issuer a
 * certificate may carry is written (imported CAs included): the name is read, not checked. `nameDer` is a DER
 * Name; throws CertDeskError INVALID_NAME when it is not one.
 */
export function windowsIssuerName(nameDer: Uint8Array): string {
  const parsed = asn1js.fromBER(nameDer);
  const bad = () => new CertDeskError('INVALID_NAME', 'issuer: not a DER-encoded X.501 Name', { field: 'issuer' });
  if (parsed.offset !== nameDer.byteLength || !(parsed.result instanceof asn1js.Sequence)) throw bad();
  return parsed.result.valueBlock.value
    .map((set) => {
      if (!(set instanceof asn1js.Set)) throw bad();
      return set.valueBlock.value
        .map((atv) => {
          const [oid, value] = atv instanceof asn1js.Sequence ? atv.valueBlock.value : [];
          if (!(oid instanceof asn1js.ObjectIdentifier) || !value) throw bad();
          return `${WINDOWS_NAMES[oid.getValue()] ?? oid.getValue()}=${valueText(value)}`;
        })
        .join('+');
    })
    .join(',');
}

/** What an administrator may put in an account's altSecurityIdentities for one certificate, and its SID if it carries one. */
export interface AdMapping {
  /** `X509:<I>issuer<SR>serial`: the serial's bytes in reverse order, upper-case hex. */
  issuerSerial: string;
  /** `X509:<SKI>hex` of the subjectKeyIdentifier extension; null when the certificate has none. */
  ski: string | null;
  /** `X509:<SHA1-PUKEY>hex`: SHA-1 of the DER SubjectPublicKeyInfo. */
  sha1PublicKey: string;
  /** The SID of its SID extension (sid-extension.ts), null without one. */
  sid: string | null;
}

/**
 * The explicit mapping strings of a DER certificate (KB5014754). The serial is read from the certificate's DER
 * INTEGER content bytes (a leading 00 pad included, as Windows stores it) and written reversed; the SKI is the
 * extension's key identifier, lower-case hex as KB5014754's examples; SHA1-PUKEY is the SHA-1 of the
 * SubjectPublicKeyInfo (tag, algorithm and key). Throws when the bytes are not a certificate, INVALID_NAME for
 * an unreadable issuer name, INVALID_INPUT for a malformed SID extension.
 */
export function adMappingOf(der: Uint8Array): AdMapping {
  const cert = new x509.X509Certificate(der);
  const tbs = pkijs.Certificate.fromBER(der);
  const serial = Buffer.from(tbs.serialNumber.valueBlock.valueHexView).reverse().toString('hex').toUpperCase();
  const issuer = windowsIssuerName(new Uint8Array(cert.issuerName.toArrayBuffer()));
  const skiExt = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  const spki = new Uint8Array(cert.publicKey.rawData);
  return {
    issuerSerial: `X509:<I>${issuer}<SR>${serial}`,
    ski: skiExt ? `X509:<SKI>${skiExt.keyId.toLowerCase()}` : null,
    sha1PublicKey: `X509:<SHA1-PUKEY>${createHash('sha1').update(spki).digest('hex')}`,
    sid: readSidExtension(der),
  };
}

/** The mapping strings of `m` in the order KB5014754 lists them (issuer and serial first), leaving out a missing SKI. */
export function mappingStrings(m: AdMapping): string[] {
  return [m.issuerSerial, ...(m.ski ? [m.ski] : []), m.sha1PublicKey];
}
