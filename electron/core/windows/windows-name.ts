// An X.501 Name written the way Windows writes it for altSecurityIdentities' X509:<I> part: CertNameToStr with
// CERT_X500_NAME_STR (Microsoft, "CertNameToStrA function (wincrypt.h)"; the keyword table and quoting rules as
// [MS-OSCO] 2.2.1.1 repeats them), RDNs most significant first (KB5014754's example
// `X509:<I>DC=com,DC=contoso,CN=CONTOSO-DC-CA<SR>...`), "," between RDNs.
import * as asn1js from 'asn1js';
import { CertDeskError } from '../../../shared/errors.js';

/** The keywords CertNameToStr writes for CERT_X500_NAME_STR; any other attribute type is `OID.` and its dotted form. */
export const WINDOWS_NAME_KEYWORDS: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'E',
  '2.5.4.6': 'C',
  '2.5.4.8': 'S',
  '2.5.4.9': 'STREET',
  '2.5.4.12': 'T',
  '2.5.4.42': 'G',
  '2.5.4.43': 'I',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'SERIALNUMBER',
  '0.9.2342.19200300.100.1.25': 'DC',
  '2.5.4.13': 'Description',
  '2.5.4.17': 'PostalCode',
  '2.5.4.18': 'POBox',
  '2.5.4.20': 'Phone',
};

/** Characters that would break the one-line string (a line break, any control character, a line separator, a lone surrogate). */
const UNSAFE = /[\p{Cc}\p{Cs}\u2028\u2029]/u;

/** A value as CertNameToStr quotes it: in double quotes (inner quotes doubled) when empty, when it holds , + = " < > # ; or starts or ends with a space. */
function quoted(value: string): string {
  return value === '' || /[,+="<>#;]|^ | $/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const STRING_TYPES = [asn1js.Utf8String, asn1js.PrintableString, asn1js.IA5String, asn1js.TeletexString, asn1js.BmpString, asn1js.UniversalString, asn1js.VisibleString, asn1js.NumericString];

const codePoint = (c: string): string => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** An attribute value as CertNameToStr writes it: a character string quoted where needed, anything else `#` and the hex of its DER. Throws when a string holds an UNSAFE character. */
function valueText(v: asn1js.BaseBlock, key: string, oid: string): string {
  for (const T of STRING_TYPES) {
    if (!(v instanceof T)) continue;
    const text = (v as InstanceType<typeof asn1js.Utf8String>).getValue();
    const bad = UNSAFE.exec(text);
    if (bad) {
      const what = `${key === `OID.${oid}` ? key : `${key} (${oid})`}`;
      throw new CertDeskError('INVALID_NAME', `issuer: the ${what} value holds ${codePoint(bad[0])} (a control character or line break), which cannot be written safely in an altSecurityIdentities string`, { field: 'issuer', attribute: oid, unsafe: true });
    }
    return quoted(text);
  }
  return `#${Buffer.from(v.toBER()).toString('hex').toUpperCase()}`;
}

/**
 * An issuer name as altSecurityIdentities' `<I>` part expects it (CertNameToStr, CERT_X500_NAME_STR): the RDNs in
 * the order the certificate encodes them, most significant first (`O=CertDesk,CN=CertDesk Test CA` for the RFC 4514
 * `CN=CertDesk Test CA,O=CertDesk`), joined by "," without spaces; a multi-valued RDN's values joined by " + ";
 * Windows' keywords (WINDOWS_NAME_KEYWORDS: S for stateOrProvinceName, E for emailAddress, I for initials, ...),
 * `OID.1.2.3` for any other type; a value in double quotes (a `"` doubled) when it is empty, holds , + = " < > # ;
 * or starts or ends with a space; a value that is not a character string as `#` and the hex of its DER. `nameDer`
 * is a DER Name. Throws CertDeskError INVALID_NAME when it is not one, and INVALID_NAME with details
 * `{ field: 'issuer', attribute: OID, unsafe: true }` naming the attribute when a value holds a control character,
 * line break, line separator or lone surrogate: such a string could not be written on one line nor compared.
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
          const dotted = oid.getValue();
          const key = WINDOWS_NAME_KEYWORDS[dotted] ?? `OID.${dotted}`;
          return `${key}=${valueText(value, key, dotted)}`;
        })
        .join(' + ');
    })
    .join(',');
}
