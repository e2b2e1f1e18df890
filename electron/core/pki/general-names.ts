// Reads a subjectAltName extension (GeneralNames, RFC 5280 4.2.1.6) from its raw DER, so that the bytes of
// the IA5String name forms are seen as they arrived: @peculiar/x509 reads IA5String bytes as Latin-1, which
// turns a raw UTF-8 "räksmörgås.se" into "rÃ¤ksmÃ¶rgÃ¥s.se" and so into a different domain.
import * as asn1js from 'asn1js';
import type { San } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';

const UPN_OID = '1.3.6.1.4.1.311.20.2.3';
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const FORMS: Record<number, string> = { 1: 'rfc822Name', 2: 'dNSName', 6: 'uniformResourceIdentifier' };

function nameError(field: string, message: string, form: string): CertDeskError {
  return new CertDeskError('INVALID_NAME', `${field}: ${message}`, { field, form });
}

const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes.subarray(0, 32)).toString('hex').replace(/(..)(?!$)/g, '$1 ') + (bytes.length > 32 ? ' ...' : '');

/** The bytes as UTF-8 text; INVALID_NAME naming the form and position when they are not valid UTF-8. */
function utf8Of(bytes: Uint8Array, field: string, form: string, index: number): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw nameError(field, `${form} #${index + 1} is neither ASCII nor valid UTF-8 (bytes ${hexOf(bytes)})`, form);
  }
}

const isAscii = (bytes: Uint8Array): boolean => bytes.every((b) => b < 0x80);

/**
 * One IA5String name form, decided per form: a dNSName with non-ASCII bytes is decoded as UTF-8 (invalid UTF-8
 * is refused) and returned as the Unicode name, which sans.ts normalizeSan converts to its A-label (UTS #46,
 * node:url domainToASCII); an rfc822Name may have a non-ASCII domain (decoded the same way) but not a non-ASCII
 * local part (that is SmtpUTF8Mailbox, RFC 9598, a different name form); a URI must be ASCII (RFC 3986).
 */
function ia5Name(tag: number, bytes: Uint8Array, field: string, index: number): San {
  const form = FORMS[tag]!;
  const text = isAscii(bytes) ? Buffer.from(bytes).toString('latin1') : utf8Of(bytes, field, form, index);
  if (tag === 2) return { type: 'dns', value: text };
  if (tag === 6) {
    if (!isAscii(bytes)) throw nameError(field, `${form} #${index + 1} "${text}" has non-ASCII characters; a URI must be ASCII (percent-encoded, RFC 3986)`, form);
    return { type: 'uri', value: text };
  }
  const at = text.lastIndexOf('@');
  const local = at < 0 ? text : text.slice(0, at);
  if (/[^\x00-\x7f]/.test(local)) {
    throw nameError(field, `${form} #${index + 1} "${text}" has a non-ASCII local part (an internationalised mailbox is an SmtpUTF8Mailbox, RFC 9598, not an rfc822Name)`, form);
  }
  return { type: 'email', value: text };
}

function ipName(bytes: Uint8Array, field: string, index: number): San {
  if (bytes.length === 4) return { type: 'ip', value: [...bytes].join('.') };
  if (bytes.length === 16) {
    const groups: string[] = [];
    for (let k = 0; k < 16; k += 2) groups.push(((bytes[k]! << 8) | bytes[k + 1]!).toString(16));
    // The compressed canonical form, as sans.ts normalizeIp writes it.
    return { type: 'ip', value: new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1) };
  }
  throw nameError(field, `iPAddress #${index + 1} is ${bytes.length} bytes long (4 for IPv4 or 16 for IPv6)`, 'iPAddress');
}

/** otherName: only the Microsoft UPN (a UTF8String in [0] EXPLICIT) is read; other types are skipped (null). */
function otherName(block: asn1js.Constructed, field: string, index: number): San | null {
  const [oid, value] = block.valueBlock.value;
  if (!(oid instanceof asn1js.ObjectIdentifier)) throw nameError(field, `otherName #${index + 1} has no type identifier`, 'otherName');
  if (oid.getValue() !== UPN_OID) return null;
  const inner = value instanceof asn1js.Constructed ? value.valueBlock.value[0] : undefined;
  if (!(inner instanceof asn1js.Utf8String)) throw nameError(field, `the UPN otherName #${index + 1} does not hold a UTF8String`, 'otherName');
  return { type: 'upn', value: utf8Of(inner.valueBlock.valueHexView, field, 'UPN otherName', index) };
}

/**
 * The names of a DER GeneralNames (the extnValue of a subjectAltName extension) that CertDesk knows: rfc822Name
 * (email), dNSName (dns), uniformResourceIdentifier (uri), iPAddress (ip, canonical text) and the UPN otherName
 * (upn), in encoding order. directoryName, registeredID, x400Address, ediPartyName and other otherNames are
 * skipped. IA5String bytes are never reinterpreted (see ia5Name). Throws CertDeskError INVALID_NAME naming the
 * form and its position (#1 is the first name) for a name that breaks these rules, or when the DER is not a
 * GeneralNames; `field` starts every message.
 */
export function readGeneralNames(der: Uint8Array, field: string): San[] {
  const parsed = asn1js.fromBER(der);
  if (parsed.offset !== der.byteLength || !(parsed.result instanceof asn1js.Sequence)) {
    throw nameError(field, 'the subjectAltName extension is not a DER GeneralNames sequence', 'GeneralNames');
  }
  const out: San[] = [];
  parsed.result.valueBlock.value.forEach((gn, index) => {
    const { tagClass, tagNumber, isConstructed } = gn.idBlock;
    if (tagClass !== 3) throw nameError(field, `name #${index + 1} is not a context-tagged GeneralName`, 'GeneralNames');
    if (tagNumber === 0) {
      if (!(gn instanceof asn1js.Constructed)) throw nameError(field, `otherName #${index + 1} is not a constructed value`, 'otherName');
      const san = otherName(gn, field, index);
      if (san) out.push(san);
      return;
    }
    if (tagNumber === 1 || tagNumber === 2 || tagNumber === 6 || tagNumber === 7) {
      if (isConstructed || !(gn instanceof asn1js.Primitive)) throw nameError(field, `name #${index + 1} (tag [${tagNumber}]) must be a primitive string`, 'GeneralNames');
      const bytes = gn.valueBlock.valueHexView;
      out.push(tagNumber === 7 ? ipName(bytes, field, index) : ia5Name(tagNumber, bytes, field, index));
    }
  });
  return out;
}
