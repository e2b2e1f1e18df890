// Apple configuration profile (.mobileconfig) for iOS, iPadOS and macOS: the PFX and the CA certificates
// in one file the user installs from AirDrop or mail. Unsigned (the device shows "Not Verified").
// The PFX password is deliberately left out: the device asks for it during installation, so a
// forwarded profile is useless without the password that travels separately.
// The plist (Apple's XML property list format, PropertyList-1.0.dtd) is serialised by xmlbuilder2: markup
// in a holder or organisation name is escaped, never interpreted; text XML cannot carry is refused.
import { randomUUID } from 'node:crypto';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { CertDeskError } from '../../../shared/errors.js';
import { safeName } from '../file-names.js';
import { literal, xmlText } from './xml-text.js';
import { mobileconfigCa, type MobileconfigCa } from './mobileconfig-ca.js';

export interface MobileconfigInput {
  pfx: Uint8Array;
  pfxFileName: string;
  /**
   * The CA certificates, root last: DER, or read already by mobileconfigCa (a batch reads its chain once).
   * Self-signed ones become root payloads, others intermediates.
   */
  caCertificates: (Uint8Array | MobileconfigCa)[];
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

const uuid = (): string => randomUUID().toUpperCase();

class Data {
  constructor(readonly bytes: Uint8Array) {}
}

type Value = string | number | boolean | Data | Value[] | { [key: string]: Value };

/** Base64 wrapped at 52 characters, as Apple's own tools write <data>. */
function base64Lines(bytes: Uint8Array): string {
  const lines = Buffer.from(bytes).toString('base64').match(/.{1,52}/g) ?? [];
  return `\n${lines.join('\n')}\n`;
}

/** Adds `value` under `parent` as plist elements: string, integer, true/false, data, array, dict (key, value...). */
function addValue(parent: XMLBuilder, value: Value): void {
  if (typeof value === 'string') parent.ele('string').txt(literal(value));
  else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`plist integer expected, got ${value}`);
    parent.ele('integer').txt(String(value));
  } else if (typeof value === 'boolean') parent.ele(value ? 'true' : 'false');
  else if (value instanceof Data) parent.ele('data').txt(base64Lines(value.bytes));
  else if (Array.isArray(value)) {
    const array = parent.ele('array');
    for (const v of value) addValue(array, v);
  } else {
    const dict = parent.ele('dict');
    for (const [k, v] of Object.entries(value)) {
      dict.ele('key').txt(literal(k));
      addValue(dict, v);
    }
  }
}

function caPayload(ca: Uint8Array | MobileconfigCa, i: number, base: string): Record<string, Value> {
  const { der, root, cn } = ca instanceof Uint8Array ? mobileconfigCa(ca, i) : ca;
  return {
    PayloadType: root ? 'com.apple.security.root' : 'com.apple.security.pkcs1',
    PayloadVersion: 1,
    PayloadIdentifier: `${base}.ca${i + 1}`,
    PayloadUUID: uuid(),
    PayloadDisplayName: cn,
    PayloadDescription: root ? `Trusts the root certificate authority ${cn}` : `Adds the intermediate certificate authority ${cn}`,
    PayloadCertificateFileName: `${safeName(cn, `ca-${i + 1}`)}.cer`,
    PayloadContent: new Data(der),
  };
}

/**
 * The .mobileconfig XML plist: a Configuration profile whose PayloadContent is the PKCS#12 payload (the PFX,
 * no password) and one com.apple.security.root or .pkcs1 payload per CA certificate. Apple "Configuration
 * Profile Reference". Throws CertDeskError INVALID_INPUT naming the field: pfx empty; pfxFileName, holder or
 * organization empty or with a character XML cannot carry (controls other than TAB and LF); identifier not
 * reverse-DNS; a CA certificate that is not DER X.509.
 */
export function buildMobileconfig(o: MobileconfigInput): string {
  if (!(o.pfx instanceof Uint8Array) || o.pfx.length === 0) throw invalid('pfx', 'empty');
  const pfxFileName = xmlText(o.pfxFileName, 'pfxFileName');
  const holder = xmlText(o.holder, 'holder');
  // A blank organisation (a CA without O) is left out like a missing one.
  const organization = o.organization === null || o.organization.trim() === '' ? null : xmlText(o.organization, 'organization');
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
      ...o.caCertificates.map((ca, i) => caPayload(ca, i, base)),
    ],
  };
  const doc = create({ version: '1.0', encoding: 'UTF-8' }).dtd({
    name: 'plist',
    pubID: '-//Apple//DTD PLIST 1.0//EN',
    sysID: 'http://www.apple.com/DTDs/PropertyList-1.0.dtd',
  });
  addValue(doc.ele('plist', { version: '1.0' }), profile);
  return `${doc.end({ prettyPrint: true, indent: '\t', wellFormed: true })}\n`;
}
