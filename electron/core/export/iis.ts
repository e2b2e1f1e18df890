// IIS client certificate mapping (system.webServer/security/authentication/
// iisClientCertificateMappingAuthentication). CertDesk writes the elements to paste into web.config or
// IIS Manager's Configuration Editor; the Windows account's password is added on the server only.
// The XML is serialised by xmlbuilder2 (markup in names is escaped, never interpreted); comments hold fixed
// text only, never user data, so no name can close a comment and inject an element.
import { fragment } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { CertDeskError } from '../../../shared/errors.js';
import { commonName, dnFromName, parseDn } from '../pki/names.js';
import { pkijs, x509 } from '../pki/provider.js';
import { literal, xmlAttribute } from './xml-text.js';

const USER_PLACEHOLDER = 'DOMAIN\\user';

const PASSWORD_NOTE = ' Add the password attribute of this Windows account on the server (IIS Manager encrypts it); CertDesk never writes it. ';

/** The snippets' serialisation: two-space indent, checked well-formed by xmlbuilder2, no XML declaration. */
function serialise(xml: XMLBuilder): string {
  return `${xml.end({ headless: true, prettyPrint: true, indent: '  ', wellFormed: true, spaceBeforeSlash: true })}\n`;
}

/**
 * The certificate as IIS wants it in certificate="": Base64 of the DER on one line, without PEM header
 * or line breaks (a line-wrapped value fails with 0x80093102 / 0x8009310b).
 */
export function iisCertificateBase64(der: Uint8Array): string {
  try {
    if (!(der instanceof Uint8Array) || der.length === 0) throw new Error('empty');
    pkijs.Certificate.fromBER(der);
  } catch {
    throw new CertDeskError('INVALID_INPUT', 'certificate: not a DER X.509 certificate', { field: 'certificate' });
  }
  return Buffer.from(der).toString('base64');
}

function addOneToOne(parent: XMLBuilder, o: { der: Uint8Array; userName?: string }, base64?: string): void {
  const user = o.userName === undefined ? USER_PLACEHOLDER : xmlAttribute(o.userName, 'userName');
  const cert = base64 ?? iisCertificateBase64(o.der);
  parent.com(PASSWORD_NOTE);
  parent.ele('add', { enabled: 'true', userName: literal(user), certificate: cert });
}

/**
 * An <add> element for oneToOneMappings (certificate="" single-line Base64, userName the Windows account or
 * the placeholder DOMAIN\user), preceded by a comment about the password attribute. Throws CertDeskError
 * INVALID_INPUT naming the field: certificate not DER, userName empty or with a control character.
 */
export function iisOneToOneSnippet(o: { der: Uint8Array; userName?: string }): string {
  const xml = fragment();
  addOneToOne(xml, o);
  return serialise(xml);
}

function cnOf(dn: string, field: string): string {
  const cn = commonName(parseDn(dn, field));
  if (cn === null) throw new CertDeskError('INVALID_INPUT', `${field}: has no CN attribute to match on`, { field });
  return cn;
}

interface ManyToOne {
  name: string;
  issuer: string;
  subject: string;
  userName?: string;
}

function addManyToOne(parent: XMLBuilder, o: ManyToOne): void {
  const name = xmlAttribute(o.name, 'name');
  const user = o.userName === undefined ? USER_PLACEHOLDER : xmlAttribute(o.userName, 'userName');
  const issuerCn = xmlAttribute(cnOf(xmlAttribute(o.issuer, 'issuer'), 'issuer'), 'issuer');
  const subject = xmlAttribute(o.subject, 'subject');
  const subjectCn = subject.includes('=') ? xmlAttribute(cnOf(subject, 'subject'), 'subject') : subject;
  parent.com(PASSWORD_NOTE);
  const rules = parent.ele('add', { name: literal(name), enabled: 'true', permissionMode: 'Allow', userName: literal(user) }).ele('rules');
  const rule = (field: 'Issuer' | 'Subject', value: string): void => {
    rules.ele('add', { certificateField: field, certificateSubField: 'CN', matchCriteria: literal(value), compareCaseSensitive: 'true' });
  };
  rule('Issuer', issuerCn);
  rule('Subject', subjectCn);
}

/**
 * A manyToOneMappings <add> with rules: every certificate whose issuer CN and subject CN match is
 * mapped to one account. issuer is an RFC 4514 name; subject is an RFC 4514 name (its CN is used) or
 * a CN pattern with IIS wildcards (`*`) when it contains no `=`. Throws CertDeskError INVALID_INPUT naming
 * the field (empty, a control character, no CN) or INVALID_NAME for a malformed name.
 */
export function iisManyToOneRule(o: ManyToOne): string {
  const xml = fragment();
  addManyToOne(xml, o);
  return serialise(xml);
}

/**
 * iis-mapping.xml of a hand-over bundle: one <iisClientCertificateMappingAuthentication> element (the
 * web.config section, well-formed on its own) holding the one-to-one mapping of the certificate and a
 * many-to-one rule named `name` for its issuer CN and subject CN. `issuer` and `subject` are RFC 4514 names.
 * No password. Throws as iisOneToOneSnippet and iisManyToOneRule do.
 */
export function iisMappingXml(o: { der: Uint8Array; name: string; issuer: string; subject: string }): string {
  return mappingXml(iisCertificateBase64(o.der), o);
}

/**
 * iisMappingXml of a certificate already parsed (bundle-content.ts: export/parsed-certificate.ts), its issuer and
 * subject written from it as RFC 4514 names (pki/names.ts dnFromName). Same output, same errors, without parsing
 * the DER again.
 */
export function iisMappingXmlOf(cert: { der: Uint8Array; x509: x509.X509Certificate }, name: string): string {
  const o = { der: cert.der, name, issuer: dnFromName(cert.x509.issuerName), subject: dnFromName(cert.x509.subjectName) };
  return mappingXml(Buffer.from(cert.der).toString('base64'), o);
}

function mappingXml(base64: string, o: { der: Uint8Array; name: string; issuer: string; subject: string }): string {
  const xml = fragment();
  xml.com(' CertDesk: IIS client certificate mapping, for system.webServer/security/authentication ');
  const section = xml.ele('iisClientCertificateMappingAuthentication', {
    enabled: 'true',
    oneToOneCertificateMappingsEnabled: 'true',
    manyToOneCertificateMappingsEnabled: 'true',
  });
  addOneToOne(section.ele('oneToOneMappings'), { der: o.der }, base64);
  addManyToOne(section.ele('manyToOneMappings'), { name: o.name, issuer: o.issuer, subject: o.subject });
  xml.com(` The certificate as single-line Base64 (web.config certificate=""): ${base64.length} characters `);
  return serialise(xml);
}
