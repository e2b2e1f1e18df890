// Apple configuration profile (.mobileconfig) for iOS, iPadOS and macOS: the PFX and the CA certificates
// in one file the user installs from AirDrop or mail. Unsigned (the device shows "Not Verified").
// The PFX password is deliberately left out: the device asks for it during installation, so a
// forwarded profile is useless without the password that travels separately.
import { randomUUID } from 'node:crypto';
import { CertDeskError } from '../../../shared/errors.js';
import { commonNameOf } from '../pki/names.js';
import { x509 } from '../pki/provider.js';

export interface MobileconfigInput {
  pfx: Uint8Array;
  pfxFileName: string;
  /** DER CA certificates, root last. Self-signed ones become root payloads, others intermediates. */
  caCertificates: Uint8Array[];
  holder: string;
  /** PayloadOrganization, shown on the install screen; null or blank leaves it out. */
  organization: string | null;
  /**
   * Top-level PayloadIdentifier (reverse DNS). Installing a profile with the same identifier replaces
   * the earlier one, so a renewal can reuse it. Default: local.certdesk.<random UUID>.
   */
  identifier?: string;
}

function invalid(field: string, message: string): CertDeskError {
  return new CertDeskError('INVALID_INPUT', `${field}: ${message}`, { field });
}

function str(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(field, 'empty');
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(value)) throw invalid(field, 'contains a control character');
  return value;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const uuid = (): string => randomUUID().toUpperCase();

class Data {
  constructor(readonly bytes: Uint8Array) {}
}

/** Base64 wrapped at 52 characters, as Apple's own tools write <data>. */
function data(bytes: Uint8Array, indent: string): string {
  const lines = Buffer.from(bytes).toString('base64').match(/.{1,52}/g) ?? [];
  return `<data>\n${lines.map((l) => `${indent}${l}\n`).join('')}${indent}</data>`;
}

type Value = string | number | boolean | Data | Value[] | { [key: string]: Value };

function plist(value: Value, indent: string): string {
  if (typeof value === 'string') return `<string>${esc(value)}</string>`;
  if (typeof value === 'number') return `<integer>${value}</integer>`;
  if (typeof value === 'boolean') return value ? '<true/>' : '<false/>';
  const inner = `${indent}\t`;
  if (Array.isArray(value)) return `<array>\n${value.map((v) => `${inner}${plist(v, inner)}\n`).join('')}${indent}</array>`;
  if (value instanceof Data) return data(value.bytes, indent);
  const entries = Object.entries(value);
  return `<dict>\n${entries.map(([k, v]) => `${inner}<key>${esc(k)}</key>\n${inner}${plist(v, inner)}\n`).join('')}${indent}</dict>`;
}

function caPayload(der: Uint8Array, i: number, base: string): Record<string, Value> {
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(der);
  } catch {
    throw invalid(`caCertificates[${i}]`, 'not a DER X.509 certificate');
  }
  // Self-signed by name: a root's issuer equals its subject (the signature is the device's business).
  const root = Buffer.from(cert.subjectName.toArrayBuffer()).equals(Buffer.from(cert.issuerName.toArrayBuffer()));
  const cn = commonNameOf(cert.subjectName) ?? `CA ${i + 1}`;
  return {
    PayloadType: root ? 'com.apple.security.root' : 'com.apple.security.pkcs1',
    PayloadVersion: 1,
    PayloadIdentifier: `${base}.ca${i + 1}`,
    PayloadUUID: uuid(),
    PayloadDisplayName: cn,
    PayloadDescription: root ? `Trusts the root certificate authority ${cn}` : `Adds the intermediate certificate authority ${cn}`,
    PayloadCertificateFileName: `${cn.replace(/[^A-Za-z0-9._-]+/g, '_')}.cer`,
    PayloadContent: new Data(der),
  };
}

export function buildMobileconfig(o: MobileconfigInput): string {
  if (!(o.pfx instanceof Uint8Array) || o.pfx.length === 0) throw invalid('pfx', 'empty');
  const pfxFileName = str(o.pfxFileName, 'pfxFileName');
  const holder = str(o.holder, 'holder');
  // A blank organisation (a CA without O) is left out like a missing one.
  const organization = o.organization === null || o.organization.trim() === '' ? null : str(o.organization, 'organization');
  if (!Array.isArray(o.caCertificates)) throw invalid('caCertificates', 'must be a list of DER certificates');
  const base = o.identifier ?? `local.certdesk.${uuid()}`;
  if (!/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(base)) {
    throw invalid('identifier', 'must be reverse-DNS style (letters, digits and hyphens separated by dots)');
  }
  const profile: Record<string, Value> = {
    PayloadType: 'Configuration',
    PayloadVersion: 1,
    PayloadIdentifier: base,
    PayloadUUID: uuid(),
    PayloadDisplayName: `Certificate for ${holder}`,
    PayloadDescription: `Installs the client certificate of ${holder} and the certificate authorities it chains to. You will be asked for the certificate password, which you received separately.`,
    ...(organization === null ? {} : { PayloadOrganization: organization }),
    PayloadContent: [
      {
        PayloadType: 'com.apple.security.pkcs12',
        PayloadVersion: 1,
        PayloadIdentifier: `${base}.identity`,
        PayloadUUID: uuid(),
        PayloadDisplayName: holder,
        PayloadDescription: `Client certificate and private key of ${holder}`,
        PayloadCertificateFileName: pfxFileName,
        PayloadContent: new Data(o.pfx),
      },
      ...o.caCertificates.map((der, i) => caPayload(der, i, base)),
    ],
  };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    plist(profile, ''),
    '</plist>',
    '',
  ].join('\n');
}
