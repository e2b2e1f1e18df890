// The parts of a CRL whose size grows with its entries, encoded in linear time: @peculiar/x509's
// X509CrlGenerator compares each new serial with every earlier one (quadratic: 100,000 entries would take
// hours), so crl.ts lets the library build the CRL's fixed part without entries, then splices the
// revokedCertificates sequence encoded here into its TBSCertList and signs that (RFC 5280 section 5.1).
// Hand-written DER: the libraries have no linear-time way to encode a long revoked list.
import { CertDeskError } from '../../../shared/errors.js';
import { x509, type CryptoKey } from './provider.js';

/** A DER length (X.690 8.1.3, definite form). */
function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** A DER TLV: tag byte, length, content. */
export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

/** The content of a non-negative INTEGER from hex (X.690 8.3: minimal, a leading 00 when the high bit is set). */
function unsignedInteger(hex: string): Buffer {
  let bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0 && bytes[i + 1]! < 0x80) i++;
  bytes = bytes.subarray(i);
  if (bytes.length === 0) return Buffer.from([0]);
  return bytes[0]! >= 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

/** The bytes a DER length takes (X.690 8.1.3, definite form). */
function lengthSize(n: number): number {
  if (n < 0x80) return 1;
  let bytes = 0;
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes++;
  return 1 + bytes;
}

/** Writes a DER length at `at`; returns the offset after it. */
function writeLength(out: Buffer, at: number, n: number): number {
  if (n < 0x80) {
    out[at] = n;
    return at + 1;
  }
  const size = lengthSize(n) - 1;
  out[at] = 0x80 | size;
  for (let i = size, v = n; i >= 1; i--, v = Math.floor(v / 256)) out[at + i] = v & 0xff;
  return at + 1 + size;
}

/**
 * The minimal content of a non-negative INTEGER (X.690 8.3) as lowercase hex: leading zero bytes dropped,
 * one 00 kept in front of a high first bit, "00" for zero. The same bytes unsignedInteger gives.
 */
function integerHex(hex: string): string {
  let h = hex.length % 2 ? `0${hex}` : hex;
  h = h.toLowerCase();
  let i = 0;
  while (i < h.length - 2 && h.charCodeAt(i) === 0x30 && h.charCodeAt(i + 1) === 0x30 && h.charCodeAt(i + 2) < 0x38) i += 2;
  h = h.slice(i);
  if (h.length === 0) return '00';
  return h.charCodeAt(0) >= 0x38 ? `00${h}` : h;
}

const HEX = /^[0-9a-fA-F]*$/;

/** Writes `n` as `width` ASCII digits at `at`. */
function writeDigits(out: Buffer, at: number, n: number, width: number): void {
  for (let i = width - 1; i >= 0; i--, n = Math.floor(n / 10)) out[at + i] = 0x30 + (n % 10);
}

/** The revocationDate's TLV size: RFC 5280 4.1.2.5, UTCTime (YYMMDDHHMMSSZ) through 2049, GeneralizedTime from 2050. */
function timeSize(year: number): number {
  return year >= 1950 && year < 2050 ? 15 : 17;
}

/** Writes the revocationDate TLV (whole seconds, "Z") at `at`; returns the offset after it. */
function writeTime(out: Buffer, at: number, d: Date, year: number): number {
  const utc = year >= 1950 && year < 2050;
  out[at] = utc ? 0x17 : 0x18;
  out[at + 1] = utc ? 13 : 15;
  const yearDigits = utc ? 2 : 4;
  writeDigits(out, at + 2, utc ? year % 100 : year, yearDigits);
  let p = at + 2 + yearDigits;
  for (const v of [d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]) {
    writeDigits(out, p, v, 2);
    p += 2;
  }
  out[p] = 0x5a; // "Z"
  return p + 1;
}

/** id-ce-cRLReasons (2.5.29.21) as the DER of its OID. */
const CRL_REASON_OID = Buffer.from('0603551d15', 'hex');

/** crlEntryExtensions with one reasonCode extension (RFC 5280 5.3.1); the last byte is the code. */
const REASON_EXTENSIONS = tlv(0x30, tlv(0x30, Buffer.concat([CRL_REASON_OID, tlv(0x04, tlv(0x0a, Buffer.from([0])))])));

export interface DerCrlEntry {
  /** Hex serial. */
  serial: string;
  revokedAt: Date;
  /** RFC 5280 5.3.1 CRLReason code; null: no reasonCode extension. */
  reasonCode: number | null;
}

/**
 * revokedCertificates (RFC 5280 5.1.2.6): SEQUENCE OF SEQUENCE { userCertificate, revocationDate,
 * crlEntryExtensions }, as DER. Two passes over the entries: their sizes, then every byte written into one
 * buffer (no per-entry buffers: at 100,000 entries the allocations and copies were most of the cost).
 * Throws CertDeskError INVALID_INPUT naming the entry for a serial that is not hex, a date that is not a
 * date or a reason code outside 0..127, and for a serial listed twice (equal as numbers: "0abc" and "abc").
 */
export function revokedCertificatesDer(entries: DerCrlEntry[]): Buffer {
  const serials: string[] = new Array(entries.length);
  const years: number[] = new Array(entries.length);
  const contents: number[] = new Array(entries.length);
  const seen = new Set<string>();
  let total = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (!HEX.test(e.serial)) throw new CertDeskError('INVALID_INPUT', `CRL entry ${i}: serial "${e.serial}" is not hexadecimal`, { field: 'serial', index: i });
    const year = e.revokedAt.getUTCFullYear();
    if (Number.isNaN(year) || year < 0 || year > 9999) throw new CertDeskError('INVALID_INPUT', `CRL entry ${i} (serial ${e.serial}): the revocation date is not a date from year 0 to 9999`, { field: 'revokedAt', index: i });
    if (e.reasonCode !== null && !(Number.isInteger(e.reasonCode) && e.reasonCode >= 0 && e.reasonCode < 0x80)) {
      throw new CertDeskError('INVALID_INPUT', `CRL entry ${i} (serial ${e.serial}): reason code ${e.reasonCode} is not 0 to 127`, { field: 'reasonCode', index: i });
    }
    const hex = integerHex(e.serial);
    if (seen.has(hex)) throw new CertDeskError('INVALID_INPUT', `Certificate serial number ${e.serial} is listed twice`, { field: 'serial', index: i });
    seen.add(hex);
    const serialBytes = hex.length / 2;
    const content = 1 + lengthSize(serialBytes) + serialBytes + timeSize(year) + (e.reasonCode === null ? 0 : REASON_EXTENSIONS.length);
    serials[i] = hex;
    years[i] = year;
    contents[i] = content;
    total += 1 + lengthSize(content) + content;
  }
  const out = Buffer.allocUnsafe(1 + lengthSize(total) + total);
  out[0] = 0x30;
  let at = writeLength(out, 1, total);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const hex = serials[i]!;
    out[at] = 0x30;
    at = writeLength(out, at + 1, contents[i]!);
    out[at] = 0x02;
    at = writeLength(out, at + 1, hex.length / 2);
    at += out.write(hex, at, 'hex');
    at = writeTime(out, at, e.revokedAt, years[i]!);
    if (e.reasonCode !== null) {
      REASON_EXTENSIONS.copy(out, at);
      at += REASON_EXTENSIONS.length;
      out[at - 1] = e.reasonCode;
    }
  }
  if (at !== out.length) throw new CertDeskError('INTERNAL', `revokedCertificates: wrote ${at} of ${out.length} bytes`);
  return out;
}

/** The TLVs inside a constructed DER element (its content), as byte ranges of `der`. */
function children(der: Buffer): Buffer[] {
  const header = headerLength(der, 0);
  const out: Buffer[] = [];
  for (let at = header; at < der.length; ) {
    const len = elementLength(der, at);
    out.push(der.subarray(at, at + len));
    at += len;
  }
  return out;
}

function headerLength(der: Buffer, at: number): number {
  const first = der[at + 1]!;
  return first < 0x80 ? 2 : 2 + (first & 0x7f);
}

function elementLength(der: Buffer, at: number): number {
  const first = der[at + 1]!;
  if (first < 0x80) return 2 + first;
  let n = 0;
  for (let i = 0; i < (first & 0x7f); i++) n = n * 256 + der[at + 2 + i]!;
  return 2 + (first & 0x7f) + n;
}

/** ECDSA's WebCrypto signature (r || s) as the DER Ecdsa-Sig-Value X.509 carries (RFC 5480 / RFC 3279 2.2.3). */
function ecdsaSigValue(raw: Buffer): Buffer {
  const half = raw.length / 2;
  return tlv(0x30, Buffer.concat([tlv(0x02, unsignedInteger(raw.subarray(0, half).toString('hex'))), tlv(0x02, unsignedInteger(raw.subarray(half).toString('hex')))]));
}

/**
 * Takes a signed CRL without entries (DER) and returns one with `revoked` (revokedCertificatesDer) inserted
 * in its TBSCertList before the crlExtensions, signed again with `signingKey` and `algorithm` (the
 * template's own signature algorithm identifier is kept). Linear in the entries.
 */
export async function withRevokedCertificates(template: Uint8Array, revoked: Buffer, signingKey: CryptoKey, algorithm: { name: string; hash: string }): Promise<Uint8Array> {
  const [tbs, signatureAlgorithm] = children(Buffer.from(template));
  const fields = children(tbs!);
  const at = fields.findIndex((f) => f[0] === 0xa0); // [0] crlExtensions
  const spliced = at < 0 ? [...fields, revoked] : [...fields.slice(0, at), revoked, ...fields.slice(at)];
  const newTbs = tlv(0x30, Buffer.concat(spliced));
  const alg = { ...algorithm, ...(signingKey.algorithm as object) };
  const raw = Buffer.from(await x509.cryptoProvider.get().subtle.sign(alg as never, signingKey as never, newTbs));
  const signature = algorithm.name === 'ECDSA' ? ecdsaSigValue(raw) : raw;
  return new Uint8Array(tlv(0x30, Buffer.concat([newTbs, signatureAlgorithm!, tlv(0x03, Buffer.concat([Buffer.from([0]), signature]))])));
}
