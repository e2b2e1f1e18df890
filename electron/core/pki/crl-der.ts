// The parts of a CRL whose size grows with its entries, encoded in linear time: @peculiar/x509's
// X509CrlGenerator compares each new serial with every earlier one (quadratic: 100,000 entries would take
// hours), so crl.ts lets the library build the CRL's fixed part without entries, then splices the
// revokedCertificates sequence encoded here into its TBSCertList and signs that (RFC 5280 section 5.1).
// Hand-written DER: the libraries have no linear-time way to encode a long revoked list.
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

/** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; seconds, "Z". */
function time(d: Date): Buffer {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '') + 'Z';
  const year = d.getUTCFullYear();
  return year >= 1950 && year < 2050 ? tlv(0x17, Buffer.from(digits.slice(2), 'latin1')) : tlv(0x18, Buffer.from(digits, 'latin1'));
}

/** id-ce-cRLReasons (2.5.29.21) as the DER of its OID. */
const CRL_REASON_OID = Buffer.from('0603551d15', 'hex');

export interface DerCrlEntry {
  /** Hex serial. */
  serial: string;
  revokedAt: Date;
  /** RFC 5280 5.3.1 CRLReason code; null: no reasonCode extension. */
  reasonCode: number | null;
}

/** revokedCertificates (RFC 5280 5.1.2.6): SEQUENCE OF SEQUENCE { userCertificate, revocationDate, crlEntryExtensions }. */
export function revokedCertificatesDer(entries: DerCrlEntry[]): Buffer {
  const encoded = entries.map((e) => {
    const parts = [tlv(0x02, unsignedInteger(e.serial)), time(e.revokedAt)];
    if (e.reasonCode !== null) {
      const reason = tlv(0x04, tlv(0x0a, Buffer.from([e.reasonCode])));
      parts.push(tlv(0x30, tlv(0x30, Buffer.concat([CRL_REASON_OID, reason]))));
    }
    return tlv(0x30, Buffer.concat(parts));
  });
  return tlv(0x30, Buffer.concat(encoded));
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
