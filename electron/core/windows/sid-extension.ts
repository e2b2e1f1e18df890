// The Microsoft SID security extension ("szOID_NTDS_CA_SECURITY_EXT"): binds a certificate to an Active Directory
// account by its SID, the strong mapping KB5014754 introduced. Encoding per [MS-WCCE] 2.2.2.7.7.4, as Windows
// CAs write it and as Heimdal (hx509_cert_get_object_sid) and Samba's KDC read it: exactly one GeneralName, an
// otherName of type 1.3.6.1.4.1.311.25.2.1 whose value is the SID's string form in an OCTET STRING, [0] EXPLICIT:
//   30 L  A0 L  06 0A 2B06010401823719 0201  A0 L  04 L "S-1-5-21-..."
import * as asn1js from 'asn1js';
import { CertDeskError } from '../../../shared/errors.js';
import { x509 } from '../pki/provider.js';
import { checkSid } from './sid.js';

/** szOID_NTDS_CA_SECURITY_EXT. */
export const SID_EXTENSION_OID = '1.3.6.1.4.1.311.25.2';
/** szOID_NTDS_OBJECTSID: the otherName type inside it. */
export const SID_OTHERNAME_OID = '1.3.6.1.4.1.311.25.2.1';
/** The SAN URI prefix of [MS-PKCA] 3.1.5.2.1.6 (the SID as a URI, an alternative to the extension). */
export const SID_URI_PREFIX = 'tag:microsoft.com,2022-09-14:sid:';

const contextTag = (n: number, value: asn1js.BaseBlock[]): asn1js.Constructed => new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: n }, value });

/** The DER extnValue of the SID extension for `sid` (checked with checkSid: INVALID_INPUT when it is not a SID). */
export function sidExtensionValue(sid: string): Uint8Array {
  const text = checkSid(sid);
  const octets = new asn1js.OctetString({ valueHex: new TextEncoder().encode(text) });
  const otherName = contextTag(0, [new asn1js.ObjectIdentifier({ value: SID_OTHERNAME_OID }), contextTag(0, [octets])]);
  return new Uint8Array(new asn1js.Sequence({ value: [otherName] }).toBER());
}

/** The non-critical SID extension ([MS-WCCE] 2.2.2.7.7.4) for `sid`; INVALID_INPUT when it is not a SID. */
export function sidExtension(sid: string): x509.Extension {
  return new x509.Extension(SID_EXTENSION_OID, false, sidExtensionValue(sid));
}

/** The SAN URI carrying the SID ([MS-PKCA] 3.1.5.2.1.6): `tag:microsoft.com,2022-09-14:sid:<SID>`. */
export function sidUri(sid: string): string {
  return SID_URI_PREFIX + checkSid(sid);
}

/**
 * The SID a DER certificate's SID extension carries, or null when it has none. Reads the structure strictly
 * (one otherName of type 1.3.6.1.4.1.311.25.2.1 holding an OCTET STRING in [0] EXPLICIT, nothing after it) and
 * checks the text with checkSid. Throws CertDeskError INVALID_INPUT naming what is wrong with the extension.
 */
export function readSidExtension(der: Uint8Array): string | null {
  return readSidExtensionOf(new x509.X509Certificate(der));
}

/** readSidExtension of a certificate already parsed (a bundle parses its certificate once); throws as readSidExtension does. */
export function readSidExtensionOf(cert: x509.X509Certificate): string | null {
  const ext = cert.getExtension(SID_EXTENSION_OID);
  if (!ext) return null;
  const bad = (problem: string): CertDeskError => new CertDeskError('INVALID_INPUT', `SID extension (${SID_EXTENSION_OID}): ${problem}`, { field: 'sidExtension' });
  const value = new Uint8Array(ext.value);
  const parsed = asn1js.fromBER(value);
  if (parsed.offset !== value.byteLength || !(parsed.result instanceof asn1js.Sequence)) throw bad('not a DER SEQUENCE');
  const names = parsed.result.valueBlock.value;
  if (names.length !== 1) throw bad(`holds ${names.length} names; exactly one otherName is expected`);
  const on = names[0]!;
  if (!(on instanceof asn1js.Constructed) || on.idBlock.tagClass !== 3 || on.idBlock.tagNumber !== 0) throw bad('its name is not an otherName ([0])');
  const [oid, wrapped, ...rest] = on.valueBlock.value;
  if (!(oid instanceof asn1js.ObjectIdentifier) || oid.getValue() !== SID_OTHERNAME_OID) throw bad(`the otherName type is not ${SID_OTHERNAME_OID}`);
  if (rest.length || !(wrapped instanceof asn1js.Constructed) || wrapped.idBlock.tagClass !== 3 || wrapped.idBlock.tagNumber !== 0) throw bad('the otherName value is not [0] EXPLICIT');
  const inner = wrapped.valueBlock.value;
  if (inner.length !== 1 || !(inner[0] instanceof asn1js.OctetString)) throw bad('the otherName value is not an OCTET STRING');
  const bytes = inner[0].valueBlock.valueHexView;
  if (!bytes.every((b) => b >= 0x20 && b < 0x7f)) throw bad('the SID text is not printable ASCII');
  return checkSid(Buffer.from(bytes).toString('latin1'), 'SID extension');
}
