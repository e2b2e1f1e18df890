// Kerberos principal names in certificates (PKINIT, RFC 4556 3.2.2): the KRB5PrincipalName otherName
// (id-pkinit-san, 1.3.6.1.5.2.2) that names a KDC as krbtgt/REALM@REALM. @peculiar/x509 has no generic
// otherName builder, so the value is encoded here with asn1js (Kerberos' ASN.1 module uses EXPLICIT tags):
//   KRB5PrincipalName ::= SEQUENCE { realm [0] Realm, principalName [1] PrincipalName }
//   PrincipalName ::= SEQUENCE { name-type [0] Int32, name-string [1] SEQUENCE OF KerberosString }
//   Realm, KerberosString ::= GeneralString (IA5 characters, RFC 4120 5.2.1)
import * as asn1js from 'asn1js';
import { CertDeskError } from '../../../shared/errors.js';

export const KRB5_PRINCIPAL_OID = '1.3.6.1.5.2.2';
/** RFC 4120 6.2: NT-PRINCIPAL (a user) and NT-SRV-INST (a service with instance, like krbtgt/REALM). */
export const NT_PRINCIPAL = 1;
export const NT_SRV_INST = 2;

export interface KerberosPrincipal {
  nameType: number;
  components: string[];
  realm: string;
}

const COMPONENT_RE = /^[\x21-\x7e]+$/;
const REALM_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Reads `name[/instance...]@REALM` (RFC 1964 2.1.1 text form, without escapes): components are printable ASCII
 * without `/`, `@` or `\`; the realm is letters, digits, `.`, `_` and `-`, at most 255 characters. Name type:
 * NT-SRV-INST for two or more components (krbtgt/REALM, RFC 4556 3.2.2), NT-PRINCIPAL for one. Throws
 * CertDeskError INVALID_NAME naming the part that is wrong.
 */
export function parsePrincipal(text: string, field = 'krb5'): KerberosPrincipal {
  const value = text.trim();
  const bad = (problem: string): CertDeskError => new CertDeskError('INVALID_NAME', `${field} SAN "${value.slice(0, 200)}": ${problem}`, { field: 'sans', type: 'krb5', value });
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) throw bad('not a principal of the form name/instance@REALM');
  const realm = value.slice(at + 1);
  if (!REALM_RE.test(realm) || realm.length > 255) throw bad(`realm "${realm}" is not letters, digits, ".", "_" and "-" (at most 255)`);
  const components = value.slice(0, at).split('/');
  components.forEach((c, i) => {
    if (c === '') throw bad(`name component ${i + 1} is empty`);
    if (!COMPONENT_RE.test(c) || /[@\\]/.test(c)) throw bad(`name component ${i + 1} "${c}" must be printable ASCII without "@", "\\" or spaces`);
  });
  return { nameType: components.length > 1 ? NT_SRV_INST : NT_PRINCIPAL, components, realm };
}

/** The principal's text form, `a/b@REALM`. */
export function principalText(p: KerberosPrincipal): string {
  return `${p.components.join('/')}@${p.realm}`;
}

/**
 * The KDC's principal for a realm: krbtgt/REALM@REALM (RFC 4120 7.3, RFC 4556 3.2.2). The realm is upper-cased:
 * an Active Directory realm is its DNS domain in upper case, and Kerberos compares realms exactly, so
 * "corp.example.com" would name no realm a DC serves. Throws CertDeskError INVALID_NAME naming the realm (as
 * upper-cased) when it is not letters, digits, `.`, `_` and `-` (at most 255), as parsePrincipal requires.
 */
export function kdcPrincipal(realm: string): string {
  const r = realm.trim().toUpperCase();
  // The realm on its own first: inside krbtgt/R@R an "@" or "/" in it would be reported as some other part.
  if (!REALM_RE.test(r) || r.length > 255) {
    throw new CertDeskError('INVALID_NAME', `realm "${r.slice(0, 200)}" is not letters, digits, ".", "_" and "-" (at most 255), starting with a letter or digit`, { field: 'realm', type: 'krb5', value: r });
  }
  return principalText(parsePrincipal(`krbtgt/${r}@${r}`, 'realm'));
}

/**
 * The realm a domain controller's DNS name implies: the name without its first label, upper case
 * (dc1.example.test -> EXAMPLE.TEST; Active Directory's realm is its DNS domain). Throws CertDeskError
 * INVALID_INPUT when the name has a single label (no domain to take the realm from).
 */
export function realmFromDnsName(dns: string): string {
  const labels = dns.replace(/\.$/, '').split('.');
  if (labels.length < 2) {
    throw new CertDeskError('INVALID_INPUT', `realm: cannot derive a Kerberos realm from "${dns}" (a single label); give the realm (--realm EXAMPLE.TEST)`, { field: 'realm' });
  }
  return labels.slice(1).join('.').toUpperCase();
}

const gs = (s: string): asn1js.GeneralString => new asn1js.GeneralString({ value: s });
const explicit = (n: number, v: asn1js.BaseBlock): asn1js.Constructed => new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: n }, value: [v] });

/** The DER of the GeneralName otherName ([0]) carrying `principal` as a KRB5PrincipalName (RFC 4556 3.2.2). */
export function krb5PrincipalGeneralName(principal: string): Uint8Array {
  const p = parsePrincipal(principal);
  const krb5Name = new asn1js.Sequence({
    value: [
      explicit(0, gs(p.realm)),
      explicit(1, new asn1js.Sequence({ value: [explicit(0, new asn1js.Integer({ value: p.nameType })), explicit(1, new asn1js.Sequence({ value: p.components.map(gs) }))] })),
    ],
  });
  const otherName = new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.ObjectIdentifier({ value: KRB5_PRINCIPAL_OID }), explicit(0, krb5Name)] });
  return new Uint8Array(otherName.toBER());
}

/**
 * The KRB5PrincipalName otherNames of a DER GeneralNames (a subjectAltName's extnValue), in order; other names
 * are skipped. Throws CertDeskError INVALID_NAME when such an otherName does not have the RFC 4556 structure.
 */
export function readKrb5Principals(generalNamesDer: Uint8Array): KerberosPrincipal[] {
  const bad = (problem: string): CertDeskError => new CertDeskError('INVALID_NAME', `subjectAltName KRB5PrincipalName: ${problem}`, { field: 'subjectAltName' });
  const parsed = asn1js.fromBER(generalNamesDer);
  if (!(parsed.result instanceof asn1js.Sequence)) throw bad('the extension is not a GeneralNames sequence');
  const out: KerberosPrincipal[] = [];
  for (const gn of parsed.result.valueBlock.value) {
    if (gn.idBlock.tagClass !== 3 || gn.idBlock.tagNumber !== 0 || !(gn instanceof asn1js.Constructed)) continue;
    const [oid, value] = gn.valueBlock.value;
    if (!(oid instanceof asn1js.ObjectIdentifier) || oid.getValue() !== KRB5_PRINCIPAL_OID) continue;
    const seq = value instanceof asn1js.Constructed ? value.valueBlock.value[0] : undefined;
    if (!(seq instanceof asn1js.Sequence) || seq.valueBlock.value.length !== 2) throw bad('not a SEQUENCE { realm [0], principalName [1] }');
    const inner = (b: asn1js.BaseBlock | undefined, tag: number): asn1js.BaseBlock => {
      if (!(b instanceof asn1js.Constructed) || b.idBlock.tagNumber !== tag || b.valueBlock.value.length !== 1) throw bad(`field [${tag}] missing or not EXPLICIT`);
      return b.valueBlock.value[0]!;
    };
    const realm = inner(seq.valueBlock.value[0], 0);
    const name = inner(seq.valueBlock.value[1], 1);
    if (!(realm instanceof asn1js.GeneralString) || !(name instanceof asn1js.Sequence) || name.valueBlock.value.length !== 2) throw bad('realm or principalName has the wrong type');
    const type = inner(name.valueBlock.value[0], 0);
    const strings = inner(name.valueBlock.value[1], 1);
    if (!(type instanceof asn1js.Integer) || !(strings instanceof asn1js.Sequence)) throw bad('name-type or name-string has the wrong type');
    const components = strings.valueBlock.value.map((s) => {
      if (!(s instanceof asn1js.GeneralString)) throw bad('a name-string element is not a GeneralString');
      return s.getValue();
    });
    out.push({ nameType: type.valueBlock.valueDec, components, realm: realm.getValue() });
  }
  return out;
}
