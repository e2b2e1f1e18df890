// ASN.1 helpers and object identifiers shared by the PKCS#12 reader and writer.
import * as asn1js from 'asn1js';
import { CertDeskError, type ErrorCode } from '../../../shared/errors.js';
import { integerInRange } from './der-integer.js';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbeSha1TripleDes: '1.2.840.113549.1.12.1.3',
  hmacWithSha256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

export type Asn1 = asn1js.AsnType;

export function pfxError(code: Extract<ErrorCode, `PFX_${string}`>, message: string): CertDeskError {
  return new CertDeskError(code, message);
}

export function malformed(message: string): CertDeskError {
  return pfxError('PFX_MALFORMED', `not a valid PKCS#12 file: ${message}`);
}

export function unsupported(what: string, oid: string): CertDeskError {
  return pfxError('PFX_UNSUPPORTED', `PKCS#12 file uses an unsupported ${what} (OID ${oid})`);
}

/**
 * Decodes one BER/DER element that must fill `bytes` exactly. Embedded parsing of OCTET STRING
 * contents is off: we decode those ourselves when we know what they hold.
 */
export function decodeAsn1(bytes: Uint8Array, what: string): Asn1 {
  let decoded: asn1js.FromBerResult;
  try {
    decoded = asn1js.fromBER(bytes, { parseEmbedded: false });
  } catch {
    throw malformed(`${what} is not valid DER`);
  }
  if (decoded.offset === -1 || decoded.result.error !== '' || decoded.offset !== bytes.byteLength) {
    throw malformed(`${what} is not valid DER`);
  }
  return decoded.result;
}

/** Runs a pkijs schema parser, turning its exceptions into PFX_MALFORMED. */
export function parseWith<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof CertDeskError) throw e;
    throw malformed(`${what} does not have the expected structure`);
  }
}

/**
 * The content of an OCTET STRING, joining the pieces of a constructed (BER, chunked) one. pkijs
 * hands over [0] IMPLICIT OCTET STRINGs retagged as universal 4 but of asn1js class Primitive or
 * Constructed, so this looks at the tag, not at the class.
 */
export function octetsOf(block: unknown, what: string): Uint8Array {
  if (!(block instanceof asn1js.BaseBlock) || block.idBlock.tagClass !== 1 || block.idBlock.tagNumber !== 4) {
    throw malformed(`${what} is not an OCTET STRING`);
  }
  const value: unknown = block.valueBlock;
  if (!block.idBlock.isConstructed) {
    const hex = (value as { valueHexView?: unknown }).valueHexView;
    if (!(hex instanceof Uint8Array)) throw malformed(`${what} is not an OCTET STRING`);
    return hex.slice();
  }
  const pieces = (value as { value?: unknown }).value;
  if (!Array.isArray(pieces)) throw malformed(`${what} is not an OCTET STRING`);
  return concatBytes(pieces.map((piece) => octetsOf(piece, what)));
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** The elements of a SEQUENCE, SET or context-tagged constructed element. */
export function childrenOf(block: Asn1, what: string): Asn1[] {
  if (!block.idBlock.isConstructed || !('value' in block.valueBlock) || !Array.isArray(block.valueBlock.value)) {
    throw malformed(`${what} is not a constructed element`);
  }
  return block.valueBlock.value as Asn1[];
}

export function oidOf(block: Asn1 | undefined, what: string): string {
  if (!(block instanceof asn1js.ObjectIdentifier)) throw malformed(`${what} is not an OBJECT IDENTIFIER`);
  return block.valueBlock.toString();
}

/** The single element inside an EXPLICIT [0] tag. */
export function explicitZero(block: Asn1 | undefined, what: string): Asn1 {
  if (!block || block.idBlock.tagClass !== 3 || block.idBlock.tagNumber !== 0) throw malformed(`${what} lacks its [0] tag`);
  const inner = childrenOf(block, what);
  if (inner.length !== 1) throw malformed(`${what} must hold exactly one element`);
  return inner[0]!;
}

/**
 * A positive INTEGER of any encoded length that fits a JavaScript number (up to 2^53 - 1), e.g. an iteration
 * count (pkijs reads 2^23 and up as 0). PFX_MALFORMED naming `what` otherwise.
 */
export function positiveIntOf(block: Asn1 | undefined, what: string): number {
  return integerInRange(block, 1, Number.MAX_SAFE_INTEGER, (problem) => malformed(`${what} ${problem}`));
}

// ---- writing: everything below produces definite-length DER with primitive OCTET STRINGs ----

export function derOf(block: Asn1): Uint8Array {
  return new Uint8Array(block.toBER(false));
}

/**
 * Always a single primitive OCTET STRING. pkijs splits some of these into constructed chunks
 * (BER), which GnuTLS certtool rejects, so the writer never lets pkijs build them.
 */
export function octetString(bytes: Uint8Array): asn1js.OctetString {
  return new asn1js.OctetString({ valueHex: bytes.slice() });
}

export function sequence(...value: Asn1[]): asn1js.Sequence {
  return new asn1js.Sequence({ value });
}

export function oid(value: string): asn1js.ObjectIdentifier {
  return new asn1js.ObjectIdentifier({ value });
}

export function integer(value: number): asn1js.Integer {
  return new asn1js.Integer({ value });
}

export function explicit(tagNumber: number, inner: Asn1): asn1js.Constructed {
  return new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber }, value: [inner] });
}

export function algorithmIdentifier(algorithm: string, params?: Asn1): asn1js.Sequence {
  return params ? sequence(oid(algorithm), params) : sequence(oid(algorithm));
}

/** DER wants the members of a SET OF sorted by their encodings (X.690 11.6). */
export function derSetOf(members: Asn1[]): asn1js.Set {
  const sorted = members
    .map((m) => ({ m, der: Buffer.from(derOf(m)) }))
    .sort((a, b) => Buffer.compare(a.der, b.der))
    .map((x) => x.m);
  return new asn1js.Set({ value: sorted });
}
