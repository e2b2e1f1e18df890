// Distinguished names: RFC 4514 strings <-> RDN lists <-> x509.Name / DER.
// We parse and print DNs ourselves: @peculiar/x509's Name string form lists RDNs in encoding
// order joined by ", ", and its parser picks PrintableString whenever a value happens to fit.
import { codePointName, deceptiveCharacter } from './deceptive-characters.js';
import * as asn1js from 'asn1js';
import { CertDeskError } from '../../../shared/errors.js';
import { x509 } from './provider.js';

export interface DnAttribute {
  /** Canonical short name (CN, O, E, serialNumber, ...) or the dotted OID for types without one. */
  type: string;
  oid: string;
  value: string;
}
/** A relative distinguished name: one attribute, or several for a multi-valued RDN (`CN=a+UID=b`). */
export type Rdn = DnAttribute[];

type StringKind = 'printable' | 'ia5' | 'utf8';

interface AttrSpec {
  name: string;
  oid: string;
  aliases: string[];
  kind: StringKind;
  /** Upper bound in characters (RFC 5280 Appendix A / X.520). */
  max?: number;
}

const spec = (name: string, oid: string, aliases: string[], kind: StringKind, max?: number): AttrSpec =>
  max === undefined ? { name, oid, aliases, kind } : { name, oid, aliases, kind, max };

const SPECS: AttrSpec[] = [
  spec('CN', '2.5.4.3', ['commonName'], 'utf8', 64),
  spec('C', '2.5.4.6', ['countryName'], 'printable', 2),
  spec('ST', '2.5.4.8', ['stateOrProvinceName'], 'utf8', 128),
  spec('L', '2.5.4.7', ['localityName'], 'utf8', 128),
  spec('O', '2.5.4.10', ['organizationName'], 'utf8', 64),
  spec('OU', '2.5.4.11', ['organizationalUnitName'], 'utf8', 64),
  spec('E', '1.2.840.113549.1.9.1', ['emailAddress'], 'ia5', 255),
  spec('DC', '0.9.2342.19200300.100.1.25', ['domainComponent'], 'ia5', 63),
  spec('serialNumber', '2.5.4.5', [], 'printable', 64),
  spec('UID', '0.9.2342.19200300.100.1.1', ['userId'], 'utf8'),
  spec('title', '2.5.4.12', [], 'utf8', 64),
  spec('GN', '2.5.4.42', ['givenName'], 'utf8'),
  // SN is surname (2.5.4.4), not serialNumber (2.5.4.5): a classic mix-up.
  spec('SN', '2.5.4.4', ['surname'], 'utf8'),
  spec('STREET', '2.5.4.9', ['streetAddress'], 'utf8', 128),
  spec('postalCode', '2.5.4.17', [], 'utf8', 40),
  spec('initials', '2.5.4.43', [], 'utf8'),
  spec('pseudonym', '2.5.4.65', [], 'utf8', 128),
];

const BY_NAME = new Map<string, AttrSpec>();
const BY_OID = new Map<string, AttrSpec>();
for (const s of SPECS) {
  BY_OID.set(s.oid, s);
  for (const n of [s.name, ...s.aliases]) BY_NAME.set(n.toLowerCase(), s);
}

const OID_RE = /^[0-2](\.(0|[1-9]\d*))+$/;
const PRINTABLE_RE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
/** Characters RFC 4514 lets follow a backslash (besides two hex digits). */
const ESCAPABLE = ',+"\\<>;=# ';

function nameError(field: string, message: string, value?: string): CertDeskError {
  return new CertDeskError('INVALID_NAME', `${field}: ${message}`, value === undefined ? { field } : { field, value });
}

function specFor(oid: string): AttrSpec {
  return BY_OID.get(oid) ?? { name: oid, oid, aliases: [], kind: 'utf8' };
}

function resolveType(raw: string, field: string): AttrSpec {
  const known = BY_NAME.get(raw.toLowerCase());
  if (known) return known;
  if (/^[\d.]+$/.test(raw)) {
    if (!OID_RE.test(raw)) throw nameError(field, `invalid OID "${raw}" as attribute type`, raw);
    return specFor(raw);
  }
  throw nameError(
    field,
    `unknown attribute type "${raw}" (use CN, O, OU, C, ST, L, E, DC, serialNumber, UID, title, GN, SN, street, postalCode, initials, pseudonym or a dotted OID)`,
    raw,
  );
}


/** Validates one value for its type and returns it in canonical form (C upper-cased). */
function checkValue(s: AttrSpec, value: string, field: string): string {
  if (value === '') throw nameError(field, `empty value for ${s.name}`);
  const ctrl = /\p{Cc}/u.exec(value);
  if (ctrl) throw nameError(field, `control character ${codePointName(ctrl[0])} in the value of ${s.name}`, value);
  const deceptive = deceptiveCharacter(value);
  if (deceptive) throw nameError(field, `${deceptive.what} in the value of ${s.name} (it can make a name display as another)`, value);
  if (s.oid === '2.5.4.6') {
    if (!/^[A-Za-z]{2}$/.test(value)) throw nameError(field, `C must be a two-letter country code (ISO 3166), got "${value}"`, value);
    return value.toUpperCase();
  }
  if (s.kind === 'printable' && !PRINTABLE_RE.test(value)) {
    const bad = [...value].find((ch) => !PRINTABLE_RE.test(ch));
    throw nameError(
      field,
      `${s.name} "${value}" contains "${bad}", which a PrintableString cannot hold (A-Z a-z 0-9 space ' ( ) + , - . / : = ?)`,
      value,
    );
  }
  if (s.kind === 'ia5' && !/^[\x00-\x7f]*$/.test(value)) {
    throw nameError(field, `${s.name} "${value}" must be ASCII (it is encoded as an IA5String)`, value);
  }
  const length = [...value].length;
  if (s.max !== undefined && length > s.max) {
    throw nameError(field, `${s.name} is ${length} characters long; the maximum is ${s.max} (RFC 5280)`, value);
  }
  return value;
}

function stringBlock(kind: StringKind, value: string): asn1js.BaseBlock {
  if (kind === 'printable') return new asn1js.PrintableString({ value });
  if (kind === 'ia5') return new asn1js.IA5String({ value });
  return new asn1js.Utf8String({ value });
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** DER wants the members of a SET OF (a multi-valued RDN) sorted by their encodings (X.690 11.6). */
function sortRdn(rdn: Rdn): Rdn {
  if (rdn.length < 2) return rdn;
  const keyed = rdn.map((a) => {
    const atv = new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: a.oid }), stringBlock(specFor(a.oid).kind, a.value)] });
    return { a, der: new Uint8Array(atv.toBER()) };
  });
  return keyed.sort((x, y) => compareBytes(x.der, y.der)).map((k) => k.a);
}

function checkRdn(rdn: Rdn, field: string): void {
  if (rdn.length === 0) throw nameError(field, 'empty RDN');
  const seen = new Set<string>();
  for (const a of rdn) {
    if (seen.has(a.oid)) throw nameError(field, `${specFor(a.oid).name} appears more than once in one multi-valued RDN`, a.value);
    seen.add(a.oid);
  }
}

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses an RFC 4514 string. RFC 4514 writes the most specific RDN first, so the result is
 * reversed into encoding order: `CN=Alice,O=Example,C=DE` gives [[C=DE],[O=Example],[CN=Alice]].
 * Members of a multi-valued RDN come back in DER order.
 */
export function parseDn(text: string, field = 'subject'): Rdn[] {
  if (text.trim() === '') throw nameError(field, 'empty distinguished name');
  const written: Rdn[] = [];
  let current: Rdn = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    let j = i;
    while (j < n && text[j] !== '=' && text[j] !== ',' && text[j] !== '+') j++;
    const rawType = text.slice(i, j).trim();
    if (j >= n || text[j] !== '=') {
      if (rawType !== '') throw nameError(field, `missing "=" after "${rawType}"`, rawType);
      throw nameError(field, j >= n ? 'empty RDN' : `empty RDN before "${text[j]}" at position ${j + 1}`);
    }
    if (rawType === '') throw nameError(field, `missing attribute type before "=" at position ${j + 1}`);
    const s = resolveType(rawType, field);

    // Value: unescaped leading/trailing spaces are dropped; escapes become raw UTF-8 bytes.
    i = j + 1;
    while (text[i] === ' ') i++;
    if (text[i] === '#') {
      throw nameError(field, `the value of ${s.name} starts with "#": hex-encoded (#...) values are not supported (write \\# for a literal "#")`);
    }
    const bytes: number[] = [];
    let keep = 0;
    while (i < n && text[i] !== ',' && text[i] !== '+') {
      const c = text[i]!;
      if (c === '\\') {
        const hex = text.slice(i + 1, i + 3);
        if (/^[0-9a-fA-F]{2}$/.test(hex)) {
          bytes.push(parseInt(hex, 16));
          i += 3;
        } else {
          const e = text[i + 1];
          if (e === undefined) throw nameError(field, `dangling "\\" at the end of the value of ${s.name}`);
          if (!ESCAPABLE.includes(e)) throw nameError(field, `invalid escape "\\${e}" in the value of ${s.name}`);
          bytes.push(e.charCodeAt(0));
          i += 2;
        }
        keep = bytes.length;
        continue;
      }
      if ('";<>'.includes(c)) throw nameError(field, `unescaped "${c}" in the value of ${s.name} (write \\${c})`);
      const ch = String.fromCodePoint(text.codePointAt(i)!);
      bytes.push(...utf8.encode(ch));
      if (c !== ' ') keep = bytes.length;
      i += ch.length;
    }
    let value: string;
    try {
      value = strictUtf8.decode(Uint8Array.from(bytes.slice(0, keep)));
    } catch {
      throw nameError(field, `the hex escapes in the value of ${s.name} are not valid UTF-8`);
    }
    current.push({ type: s.name, oid: s.oid, value: checkValue(s, value, field) });

    if (i >= n) break;
    const sep = text[i];
    i++;
    if (sep === ',') {
      written.push(current);
      current = [];
    }
    if (text.slice(i).trim() === '') throw nameError(field, `ends with "${sep}"`);
  }
  written.push(current);
  return written.reverse().map((rdn) => {
    checkRdn(rdn, field);
    return sortRdn(rdn);
  });
}

/** Escapes one attribute value for an RFC 4514 string (section 2.4). */
function escapeValue(value: string): string {
  let out = '';
  const chars = [...value];
  chars.forEach((ch, k) => {
    if (',+"\\<>;'.includes(ch)) out += `\\${ch}`;
    else if ((ch === ' ' && (k === 0 || k === chars.length - 1)) || (ch === '#' && k === 0)) out += `\\${ch}`;
    else if (/[\u0000-\u001f\u007f]/.test(ch)) out += `\\${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
    else out += ch;
  });
  return out;
}

/**
 * RFC 4514 string from RDNs in encoding order: most specific RDN first, no spaces after commas.
 * Like OpenSSL's `-nameopt RFC2253`, the members of a multi-valued RDN are reversed too, so the
 * output matches what OpenSSL prints for the same certificate.
 */
export function formatDn(rdns: Rdn[]): string {
  return [...rdns]
    .reverse()
    .map((rdn) => [...rdn].reverse().map((a) => `${BY_OID.get(a.oid)?.name ?? a.oid}=${escapeValue(a.value)}`).join('+'))
    .join(',');
}

/**
 * x509.Name with explicit string types: C and serialNumber PrintableString, E and DC IA5String,
 * everything else UTF8String (RFC 5280 4.1.2.6; x509's own string parser would pick PrintableString
 * for any value that fits).
 */
export function toX509Name(rdns: Rdn[]): x509.Name {
  const json: x509.JsonNameParams = rdns.map((rdn) => {
    checkRdn(rdn, 'name');
    const item: Record<string, x509.JsonAttributeObject[]> = {};
    for (const a of sortRdn(rdn)) {
      const s = specFor(a.oid);
      const value = checkValue(s, a.value, 'name');
      const obj: x509.JsonAttributeObject =
        s.kind === 'printable' ? { printableString: value } : s.kind === 'ia5' ? { ia5String: value } : { utf8String: value };
      // Keys are dotted OIDs, never integer-like, so insertion (DER) order is kept.
      item[a.oid] = [obj];
    }
    return item;
  });
  return new x509.Name(json);
}

const STRING_TYPES = [
  asn1js.Utf8String,
  asn1js.PrintableString,
  asn1js.IA5String,
  asn1js.TeletexString,
  asn1js.BmpString,
  asn1js.UniversalString,
  asn1js.NumericString,
  asn1js.VisibleString,
];

function hex(buf: ArrayBuffer): string {
  return Buffer.from(buf).toString('hex');
}

/** String types whose characters are all ASCII (X.680): their bytes are never read as Latin-1. */
const ASCII_TYPES = [asn1js.PrintableString, asn1js.IA5String, asn1js.NumericString, asn1js.VisibleString, asn1js.TeletexString];

/**
 * The text of a DirectoryString-like value from its bytes, or null when it is not a string or its bytes are
 * not what its type holds: ASCII for PrintableString, IA5String, NumericString, VisibleString and
 * TeletexString (only its ASCII subset is read), valid UTF-8 for UTF8String. BMPString and UniversalString are
 * decoded by asn1js.
 */
function stringValue(block: asn1js.AsnType): string | null {
  if (!STRING_TYPES.some((T) => block instanceof T)) return null;
  const bytes = (block as asn1js.BaseStringBlock).valueBlock.valueHexView;
  if (ASCII_TYPES.some((T) => block instanceof T)) return bytes.every((b) => b < 0x80) ? Buffer.from(bytes).toString('latin1') : null;
  if (block instanceof asn1js.Utf8String) {
    try {
      return strictUtf8.decode(bytes);
    } catch {
      return null;
    }
  }
  return (block as asn1js.BaseStringBlock).getValue();
}

/** INVALID_NAME when the name has more than one CN: which one is the holder would be up to each reader. */
export function checkOneCn(rdns: Rdn[], field: string): void {
  const n = rdns.flat().filter((a) => a.oid === '2.5.4.3').length;
  if (n > 1) throw nameError(field, `${n} CN (common name) attributes; at most one is allowed`);
}

/**
 * Reads a foreign DER Name (a CSR's subject) into RDNs in encoding order under the rules `issue` and
 * `ca create` apply to typed names: each value a character string its type can hold (ASCII types ASCII, UTF8String
 * valid UTF-8), the RFC 5280 Appendix A upper bounds (CN at most 64 characters, C two letters, ...), no control or
 * bidirectional formatting characters, no attribute twice in one RDN, at most one CN. An empty Name gives [].
 * Throws CertDeskError INVALID_NAME whose message starts with `field` and names the attribute.
 */
export function readSubject(der: Uint8Array, field: string): Rdn[] {
  const parsed = asn1js.fromBER(der);
  const bad = () => nameError(field, 'not a DER-encoded X.501 Name');
  if (parsed.offset !== der.byteLength || !(parsed.result instanceof asn1js.Sequence)) throw bad();
  const rdns: Rdn[] = parsed.result.valueBlock.value.map((set) => {
    if (!(set instanceof asn1js.Set) || set.valueBlock.value.length === 0) throw bad();
    const rdn: Rdn = set.valueBlock.value.map((atv) => {
      const [oidBlock, valueBlock] = atv instanceof asn1js.Sequence ? atv.valueBlock.value : [];
      if (!(oidBlock instanceof asn1js.ObjectIdentifier) || !valueBlock) throw bad();
      const s = specFor(oidBlock.getValue());
      const text = stringValue(valueBlock);
      if (text === null) {
        throw nameError(field, `the value of ${s.name} is not a character string its type can hold (bytes ${hex(valueBlock.toBER()).slice(0, 64)})`);
      }
      checkValue(s, text, field);
      return { type: s.name, oid: s.oid, value: text };
    });
    checkRdn(rdn, field);
    return rdn;
  });
  checkOneCn(rdns, field);
  return rdns;
}

/**
 * RFC 4514 display string of an encoded name: `cert.subjectName`, DER, or @peculiar/x509's own
 * string form (`cert.subject`, encoding order; prefer the Name or DER, which are lossless).
 * Types without a short name are written as dotted OIDs with their string value; values that are
 * not strings are written as `#` and the hex of their encoding.
 */
export function dnFromName(name: x509.Name | string | ArrayBuffer | Uint8Array): string {
  let der: ArrayBuffer | Uint8Array;
  try {
    der = name instanceof x509.Name ? name.toArrayBuffer() : typeof name === 'string' ? new x509.Name(name).toArrayBuffer() : name;
  } catch (e) {
    throw nameError('name', `cannot read the name (${e instanceof Error ? e.message : String(e)})`);
  }
  const parsed = asn1js.fromBER(der);
  const bad = () => nameError('name', 'not a DER-encoded X.501 Name');
  if (parsed.offset === -1 || parsed.offset !== der.byteLength || !(parsed.result instanceof asn1js.Sequence)) throw bad();
  // Written like formatDn (everything reversed); non-string values become "#" + hex of their encoding (unescaped).
  return [...parsed.result.valueBlock.value]
    .reverse()
    .map((set) => {
      if (!(set instanceof asn1js.Set) || set.valueBlock.value.length === 0) throw bad();
      return set.valueBlock.value
        .map((atv) => {
          const [oidBlock, valueBlock] = atv instanceof asn1js.Sequence ? atv.valueBlock.value : [];
          if (!(oidBlock instanceof asn1js.ObjectIdentifier) || !valueBlock) throw bad();
          const type = specFor(oidBlock.getValue()).name;
          // A value that is not a string, or whose bytes its string type cannot hold, is shown as its encoding.
          const text = stringValue(valueBlock);
          const value = text === null ? `#${hex(valueBlock.toBER())}` : escapeValue(text);
          return `${type}=${value}`;
        })
        .reverse()
        .join('+');
    })
    .join(',');
}

/** The most specific common name (the last CN in encoding order), or null. */
export function commonName(rdns: Rdn[]): string | null {
  for (let k = rdns.length - 1; k >= 0; k--) {
    const cn = rdns[k]!.find((a) => a.oid === '2.5.4.3');
    if (cn) return cn.value;
  }
  return null;
}

/**
 * The most specific CN of a parsed certificate's or request's name, without validating the rest (foreign names
 * may break our rules), read from its bytes: null when there is none or its bytes are not what its string type
 * holds (a PrintableString or IA5String with non-ASCII bytes is never read as Latin-1).
 */
export function commonNameOf(name: x509.Name): string | null {
  const parsed = asn1js.fromBER(name.toArrayBuffer());
  if (!(parsed.result instanceof asn1js.Sequence)) return null;
  let cn: string | null = null;
  for (const set of parsed.result.valueBlock.value) {
    for (const atv of set instanceof asn1js.Set ? set.valueBlock.value : []) {
      const [oid, value] = atv instanceof asn1js.Sequence ? atv.valueBlock.value : [];
      if (oid instanceof asn1js.ObjectIdentifier && oid.getValue() === '2.5.4.3' && value) cn = stringValue(value);
    }
  }
  return cn;
}
