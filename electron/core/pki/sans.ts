// Subject alternative names: validation, canonical form, and conversion to/from @peculiar/x509.
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { SAN_TYPES, type San, type SanType } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { readGeneralNames } from './general-names.js';
import { parsePrincipal, principalText } from '../windows/kerberos.js';
import type { x509 } from './provider.js';

function sanError(type: string, value: string, problem: string): CertDeskError {
  return new CertDeskError('INVALID_NAME', `${type} SAN "${value}": ${problem}`, { field: 'sans', type, value });
}

const LABEL_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const DOT_ATOM_RE = new RegExp(`^${ATEXT}(?:\\.${ATEXT})*$`);
const PRINTABLE_RE = /^[A-Za-z0-9 '()+,\-./:=?]+$/;

/** Lower-cased, IDN labels in punycode, LDH-checked host name (no wildcard). Returns an error text or the name. */
function hostName(name: string): { ok: string } | { problem: string } {
  let host = name.toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  // domainToASCII only for IDNs: for ASCII it would also apply WHATWG's IPv4 rules ("1.2.3" -> "1.2.0.3").
  if (/[^\x00-\x7f]/.test(host)) {
    const ascii = domainToASCII(host);
    if (ascii === '') return { problem: 'not a valid internationalised domain name' };
    host = ascii;
  }
  if (host === '') return { problem: 'empty domain name' };
  if (host.length > 253) return { problem: `${host.length} characters long; the maximum is 253` };
  for (const label of host.split('.')) {
    if (label === '') return { problem: 'empty label (two dots in a row)' };
    if (label.length > 63) return { problem: `label "${label}" is ${label.length} characters long; the maximum is 63` };
    if (!LABEL_RE.test(label)) return { problem: `label "${label}" is not letters, digits and inner hyphens` };
  }
  return { ok: host };
}

function normalizeDns(value: string): string {
  const wildcard = value.startsWith('*.');
  const rest = wildcard ? value.slice(2) : value;
  if (rest.includes('*')) throw sanError('dns', value, 'a wildcard is allowed only as a single leading "*." label');
  if (isIP(rest)) throw sanError('dns', value, 'this is an IP address: use an ip SAN');
  const host = hostName(rest);
  if ('problem' in host) throw sanError('dns', value, host.problem);
  const out = wildcard ? `*.${host.ok}` : host.ok;
  if (out.length > 253) throw sanError('dns', value, `${out.length} characters long; the maximum is 253`);
  return out;
}

function normalizeEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) throw sanError('email', value, 'not an address of the form local@domain');
  const local = value.slice(0, at);
  if (/[^\x00-\x7f]/.test(local)) throw sanError('email', value, 'the local part must be ASCII (internationalised mailboxes are not supported)');
  if (local.length > 64) throw sanError('email', value, `the local part is ${local.length} characters long; the maximum is 64`);
  if (!DOT_ATOM_RE.test(local)) throw sanError('email', value, `the local part "${local}" has characters or dots an address cannot have unquoted`);
  const host = hostName(value.slice(at + 1));
  if ('problem' in host) throw sanError('email', value, `domain: ${host.problem}`);
  const out = `${local}@${host.ok}`;
  if (out.length > 254) throw sanError('email', value, `${out.length} characters long; the maximum is 254`);
  return out;
}

function normalizeUpn(value: string): string {
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) throw sanError('upn', value, 'not a name of the form user@domain');
  const user = value.slice(0, at);
  if (/[\s\u0000-\u001f\u007f]/.test(user)) throw sanError('upn', value, 'the user part contains white space or control characters');
  // Windows matches the UPN suffix as written, so keep it (lower-cased) rather than converting IDNs.
  const domain = value.slice(at + 1).toLowerCase();
  const host = hostName(domain);
  if ('problem' in host) throw sanError('upn', value, `domain: ${host.problem}`);
  return `${user}@${domain.replace(/\.$/, '')}`;
}

function normalizeIp(value: string): string {
  const version = isIP(value);
  if (version === 4) return value;
  if (version !== 6) throw sanError('ip', value, 'not an IPv4 or IPv6 address');
  if (value.includes('%')) throw sanError('ip', value, 'zone identifiers (%...) cannot be put in a certificate');
  // The WHATWG serialiser gives the compressed lower-case form, and writes an embedded IPv4 part
  // in hex ("::ffff:1.2.3.4" -> "::ffff:102:304"), which @peculiar/x509 would otherwise mis-encode.
  return new URL(`http://[${value}]/`).hostname.slice(1, -1);
}

function normalizeUri(value: string): string {
  if (/\s/.test(value)) throw sanError('uri', value, 'contains white space');
  if (/[^\x00-\x7f]/.test(value)) throw sanError('uri', value, 'must be ASCII (percent-encode other characters)');
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.+)$/.exec(value);
  let parsed = false;
  try {
    new URL(value);
    parsed = true;
  } catch {
    parsed = false;
  }
  if (!m || !parsed) throw sanError('uri', value, 'not an absolute URI with a scheme (like https://host/path or urn:...)');
  return `${m[1]!.toLowerCase()}:${m[2]}`;
}

function normalizeDevice(value: string): string {
  if (value.length < 1 || value.length > 64) throw sanError('device', value, 'a device identifier is 1 to 64 characters long');
  if (!PRINTABLE_RE.test(value)) {
    const bad = [...value].find((ch) => !PRINTABLE_RE.test(ch));
    throw sanError('device', value, `contains "${bad}"; use A-Z a-z 0-9 space ' ( ) + , - . / : = ?`);
  }
  return value;
}

/** Validates a SAN and returns its canonical form; throws INVALID_NAME naming the type and value. */
export function normalizeSan(san: San): San {
  const type = san.type as SanType;
  if (!SAN_TYPES.includes(type)) throw sanError(String(san.type), String(san.value), `unknown SAN type (use ${SAN_TYPES.join(', ')})`);
  if (typeof san.value !== 'string' || san.value.trim() === '') throw sanError(type, String(san.value ?? ''), 'empty value');
  const value = san.value.trim();
  switch (type) {
    case 'email':
      return { type, value: normalizeEmail(value) };
    case 'upn':
      return { type, value: normalizeUpn(value) };
    case 'dns':
      return { type, value: normalizeDns(value) };
    case 'ip':
      return { type, value: normalizeIp(value) };
    case 'uri':
      return { type, value: normalizeUri(value) };
    case 'device':
      return { type, value: normalizeDevice(value) };
    case 'krb5':
      return { type, value: principalText(parsePrincipal(value)) };
  }
}

/** IMEI check digit (Luhn); devices report the IMEI's last ("spare") digit as 0, so accept that too. */
function imeiCheckOk(digits: string): boolean {
  let sum = 0;
  for (let k = 0; k < 14; k++) {
    let d = Number(digits[k]) * (k % 2 === 1 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  const last = digits[14];
  return last === '0' || (10 - (sum % 10)) % 10 === Number(last);
}

/**
 * A URN for well-known device identifier forms, or null:
 * UUID -> urn:uuid:<lower-case> (RFC 4122), IMEI -> urn:gsma:imei:TAC-SNR-spare (RFC 7254),
 * EUI-48 MAC address -> urn:dev:mac:<12 lower-case hex digits> (RFC 9039).
 */
export function deviceIdUrn(id: string): string | null {
  const v = id.trim();
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) return `urn:uuid:${v.toLowerCase()}`;
  const imei = /^(\d{8})-?(\d{6})-?(\d)$/.exec(v);
  if (imei && imeiCheckOk(imei.slice(1).join(''))) return `urn:gsma:imei:${imei[1]}-${imei[2]}-${imei[3]}`;
  if (/^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i.test(v) || /^[0-9a-f]{12}$/i.test(v)) {
    return `urn:dev:mac:${v.replace(/[:-]/g, '').toLowerCase()}`;
  }
  return null;
}

/**
 * GeneralNames for the SAN extension, normalised and de-duplicated. @peculiar/x509 encodes 'upn'
 * as otherName 1.3.6.1.4.1.311.20.2.3 with a UTF8String in [0] EXPLICIT, as Windows expects.
 * A device id without a standard URN form is left out: issuance puts it in the subject's serialNumber.
 * A krb5 principal is left out too: buildCertificate (certificates.ts) appends its KRB5PrincipalName otherName.
 */
export function toGeneralNames(sans: San[]): x509.JsonGeneralName[] {
  const out: x509.JsonGeneralName[] = [];
  const seen = new Set<string>();
  for (const san of dedupeSans(sans)) {
    let gn: x509.JsonGeneralName | null;
    switch (san.type) {
      case 'email':
      case 'upn':
      case 'dns':
      case 'ip':
        gn = { type: san.type, value: san.value };
        break;
      case 'uri':
        gn = { type: 'url', value: san.value };
        break;
      case 'device': {
        const urn = deviceIdUrn(san.value);
        gn = urn ? { type: 'url', value: urn } : null;
        break;
      }
      case 'krb5':
        // An otherName @peculiar/x509 cannot build: certificates.ts adds it (windows/kerberos.ts).
        gn = null;
        break;
    }
    if (!gn || seen.has(`${gn.type}\u0000${gn.value}`)) continue;
    seen.add(`${gn.type}\u0000${gn.value}`);
    out.push(gn);
  }
  return out;
}

/**
 * SANs read back from a certificate's or CSR's extension (email, upn, dns, ip, uri), from the extension's raw
 * DER (general-names.ts readGeneralNames): IA5String bytes are never reinterpreted, a UTF-8 dNSName comes back as
 * its Unicode name (normalizeSan makes the A-label), other kinds are skipped, IP addresses are in canonical form.
 * Throws CertDeskError INVALID_NAME naming the name form and position.
 */
export function sansFromCertificate(ext: x509.Extension | undefined, field = 'subjectAltName'): San[] {
  return ext ? readGeneralNames(new Uint8Array(ext.value), field) : [];
}

/** Normalises each SAN (throwing on the first invalid one) and drops repeats, keeping the first. */
export function dedupeSans(sans: San[]): San[] {
  const seen = new Set<string>();
  const out: San[] = [];
  for (const san of sans) {
    const n = normalizeSan(san);
    const key = `${n.type}\u0000${n.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(n);
  }
  return out;
}
