// Certificates by the thousand for bench:make-vault: one certificate per template (make-vault keeps one per CA
// and profile) is built the normal way (buildCertificate, @peculiar/x509, ~3 ms of CPU), parsed once with pkijs, and
// every further certificate of that template is its TBSCertificate with the serial, subject, validity,
// subjectAltName and (when given) the public key with its subjectKeyIdentifier replaced, encoded with
// asn1js and signed with node:crypto by the CA's key: the same extensions (key usage, EKU, AKI) and the
// same signature algorithm as buildCertificate's (test/bench/cert-stamp.test.ts compares the TBS bytes),
// for about 1 ms of CPU instead of 3 (2 cores under load; the ECDSA signature itself ~0.3 ms).
import { createHash, KeyObject, sign } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { San } from '../shared/domain.js';
import { CertDeskError } from '../shared/errors.js';
import { buildCertificate, type CertificateSpec } from '../electron/core/pki/certificates.js';
import { x509 } from '../electron/core/pki/provider.js';
import { toGeneralNames } from '../electron/core/pki/sans.js';

const SAN_OID = '2.5.29.17';
const SKI_OID = '2.5.29.14';
/** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
const UTC_UNTIL = Date.UTC(2050, 0, 1);

/** What varies per certificate of one template. */
export interface StampFields {
  subject: x509.Name;
  /** 1 to 20 bytes as hex, first bit clear (a positive INTEGER, RFC 5280 4.1.2.2). */
  serial: string;
  notBefore: Date;
  notAfter: Date;
  /** The holder's SubjectPublicKeyInfo (DER) and so its subjectKeyIdentifier; absent: the template's. */
  spki?: Uint8Array;
  /** Names of the forms @peculiar/x509 encodes (no krb5): the template must have had a subjectAltName. */
  sans: San[];
}

/**
 * A certificate template: `stamp(fields)` returns the DER of a certificate equal to the template but for
 * the fields given, signed by the template's signer. Made by `makeTemplate`.
 */
export interface CertificateTemplate {
  stamp(fields: StampFields): Uint8Array;
}

/** A whole-second Time (RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050, no fractions). */
function timeOf(d: Date): asn1js.UTCTime | asn1js.GeneralizedTime {
  const valueDate = new Date(Math.floor(d.getTime() / 1000) * 1000);
  return valueDate.getTime() < UTC_UNTIL ? new asn1js.UTCTime({ valueDate }) : new asn1js.GeneralizedTime({ valueDate });
}

/** An Extension (RFC 5280 4.1): SEQUENCE { extnID, critical DEFAULT FALSE, extnValue OCTET STRING }. */
function extension(oid: string, critical: boolean, value: ArrayBuffer): asn1js.Sequence {
  return new asn1js.Sequence({
    value: [new asn1js.ObjectIdentifier({ value: oid }), ...(critical ? [new asn1js.Boolean({ value: true })] : []), new asn1js.OctetString({ valueHex: value })],
  });
}

const parse = (der: ArrayBuffer | Uint8Array): asn1js.AsnType => {
  const r = asn1js.fromBER(der);
  if (r.offset === -1) throw new CertDeskError('INVALID_INPUT', `unreadable DER: ${r.result.error}`, { field: 'der' });
  return r.result;
};

/**
 * Builds the template certificate from `spec` (buildCertificate: its sans must be non-empty and of the
 * forms @peculiar/x509 encodes) and returns the stamper. The template's TBSCertificate (RFC 5280 4.1) is
 * parsed once with pkijs; per certificate only the fields that vary are encoded with asn1js and the rest
 * (version, signature algorithm, issuer, the other extensions) is reused. Only ECDSA P-256 signers
 * (ecdsa-with-SHA256, RFC 5758 3.2) are stamped; other key types throw INVALID_INPUT. Throws what
 * buildCertificate throws.
 */
export async function makeTemplate(spec: CertificateSpec): Promise<CertificateTemplate> {
  if (spec.signer.keyType !== 'ec-p256') throw new CertDeskError('INVALID_INPUT', `certificate templates sign with P-256 CA keys only, not ${spec.signer.keyType}`, { field: 'keyType' });
  if (spec.sans.length === 0) throw new CertDeskError('INVALID_INPUT', 'a certificate template needs a subjectAltName to replace (sans is empty)', { field: 'sans' });
  const built = await buildCertificate(spec);
  const cert = pkijs.Certificate.fromBER(built.rawData);
  const exts = cert.extensions ?? [];
  const sanIndex = exts.findIndex((e) => e.extnID === SAN_OID);
  const skiIndex = exts.findIndex((e) => e.extnID === SKI_OID);
  if (sanIndex < 0 || skiIndex < 0) throw new CertDeskError('INVALID_INPUT', 'the template certificate lacks a subjectAltName or subjectKeyIdentifier extension', { field: 'sans' });
  const sanCritical = exts[sanIndex]!.critical;
  const fixedExtensions: asn1js.AsnType[] = exts.map((e) => e.toSchema());
  const version = new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Integer({ value: cert.version })] });
  const tbsAlgorithm = cert.signature.toSchema();
  const issuer = cert.issuer.toSchema();
  const algorithm = cert.signatureAlgorithm.toSchema();
  const key = KeyObject.from(spec.signer.privateKey);
  // Per holder key: its SubjectPublicKeyInfo and subjectKeyIdentifier, as buildCertificate makes them
  // (RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING's bits).
  const keys = new Map<Uint8Array | undefined, { spki: asn1js.AsnType; ski: asn1js.AsnType }>();
  keys.set(undefined, { spki: cert.subjectPublicKeyInfo.toSchema(), ski: fixedExtensions[skiIndex]! });
  const keyParts = (spki: Uint8Array | undefined) => {
    let k = keys.get(spki);
    if (!k) {
      const info = pkijs.PublicKeyInfo.fromBER(spki!);
      const keyId = createHash('sha1').update(new Uint8Array(info.subjectPublicKey.valueBlock.valueHexView)).digest();
      k = { spki: info.toSchema(), ski: extension(SKI_OID, false, new asn1js.OctetString({ valueHex: keyId }).toBER()) };
      keys.set(spki, k);
    }
    return k;
  };
  return {
    stamp(f: StampFields): Uint8Array {
      const holder = keyParts(f.spki);
      const extensions = fixedExtensions.slice();
      extensions[sanIndex] = extension(SAN_OID, sanCritical, new x509.SubjectAlternativeNameExtension(toGeneralNames(f.sans), sanCritical).value);
      extensions[skiIndex] = holder.ski;
      const tbs = new asn1js.Sequence({
        value: [
          version,
          new asn1js.Integer({ valueHex: Buffer.from(f.serial, 'hex') }),
          tbsAlgorithm,
          issuer,
          new asn1js.Sequence({ value: [timeOf(f.notBefore), timeOf(f.notAfter)] }),
          parse(f.subject.toArrayBuffer()),
          holder.spki,
          new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 3 }, value: [new asn1js.Sequence({ value: extensions })] }),
        ],
      });
      const tbsDer = new Uint8Array(tbs.toBER());
      const signature = sign('sha256', tbsDer, { key, dsaEncoding: 'der' });
      const whole = new asn1js.Sequence({ value: [tbs, algorithm, new asn1js.BitString({ valueHex: signature })] });
      return new Uint8Array(whole.toBER());
    },
  };
}
