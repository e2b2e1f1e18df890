// IIS client certificate mapping (system.webServer/security/authentication/
// iisClientCertificateMappingAuthentication). CertDesk writes the elements to paste into web.config or
// IIS Manager's Configuration Editor; the Windows account's password is added on the server only.
import { CertDeskError } from '../../../shared/errors.js';
import { commonName, parseDn } from '../pki/names.js';
import { pkijs } from '../pki/provider.js';

const USER_PLACEHOLDER = 'DOMAIN\\user';

const PASSWORD_NOTE =
  '<!-- Add the password attribute of this Windows account on the server (IIS Manager encrypts it); CertDesk never writes it. -->';

function invalid(field: string, message: string): CertDeskError {
  return new CertDeskError('INVALID_INPUT', `${field}: ${message}`, { field });
}

/** Escapes an XML attribute value (double-quoted). */
function attr(value: string, field: string): string {
  if (/[\u0000-\u001f\u007f\ufffe\uffff]/.test(value)) throw invalid(field, 'contains a control character');
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(field, 'empty');
  return value;
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
    throw invalid('certificate', 'not a DER X.509 certificate');
  }
  return Buffer.from(der).toString('base64');
}

/** An <add> element for oneToOneMappings, preceded by a comment about the password attribute. */
export function iisOneToOneSnippet(o: { der: Uint8Array; userName?: string }): string {
  const user = o.userName === undefined ? USER_PLACEHOLDER : text(o.userName, 'userName');
  const cert = iisCertificateBase64(o.der);
  return `${PASSWORD_NOTE}\n<add enabled="true" userName="${attr(user, 'userName')}" certificate="${cert}" />\n`;
}

function cnOf(dn: string, field: string): string {
  const cn = commonName(parseDn(dn, field));
  if (cn === null) throw invalid(field, 'has no CN attribute to match on');
  return cn;
}

/**
 * A manyToOneMappings <add> with rules: every certificate whose issuer CN and subject CN match is
 * mapped to one account. issuer is an RFC 4514 name; subject is an RFC 4514 name (its CN is used) or
 * a CN pattern with IIS wildcards (`*`) when it contains no `=`.
 */
export function iisManyToOneRule(o: { name: string; issuer: string; subject: string; userName?: string }): string {
  const name = text(o.name, 'name');
  const user = o.userName === undefined ? USER_PLACEHOLDER : text(o.userName, 'userName');
  const issuerCn = cnOf(text(o.issuer, 'issuer'), 'issuer');
  const subject = text(o.subject, 'subject');
  const subjectCn = subject.includes('=') ? cnOf(subject, 'subject') : subject;
  const rule = (field: 'Issuer' | 'Subject', value: string, where: string): string =>
    `    <add certificateField="${field}" certificateSubField="CN" matchCriteria="${attr(value, where)}" compareCaseSensitive="true" />`;
  return [
    PASSWORD_NOTE,
    `<add name="${attr(name, 'name')}" enabled="true" permissionMode="Allow" userName="${attr(user, 'userName')}">`,
    '  <rules>',
    rule('Issuer', issuerCn, 'issuer'),
    rule('Subject', subjectCn, 'subject'),
    '  </rules>',
    '</add>',
    '',
  ].join('\n');
}
