// Builds RFC 5280 v3 certificates: serials, validity, and the extensions every profile needs.
import { createHash, randomBytes } from 'node:crypto';
import { CertDeskError } from '../../../shared/errors.js';
import type { ExtendedKeyUsageName, KeyType, KeyUsageName, San } from '../../../shared/domain.js';
import * as asn1js from 'asn1js';
import { pkijs, x509, type CryptoKey } from './provider.js';
import { krb5PrincipalGeneralName } from '../windows/kerberos.js';
import { sidExtension } from '../windows/sid-extension.js';
import { signingAlgorithm } from './keys.js';
import { toGeneralNames } from './sans.js';

/** Certificates start this far in the past so that a device whose clock runs a little slow accepts them at once. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

const KEY_USAGE_FLAGS: Record<KeyUsageName, number> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  nonRepudiation: x509.KeyUsageFlags.nonRepudiation,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
  dataEncipherment: x509.KeyUsageFlags.dataEncipherment,
  keyAgreement: x509.KeyUsageFlags.keyAgreement,
  keyCertSign: x509.KeyUsageFlags.keyCertSign,
  cRLSign: x509.KeyUsageFlags.cRLSign,
};

export const EKU_OIDS: Record<ExtendedKeyUsageName, string> = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  ipsecIKE: '1.3.6.1.5.5.7.3.17',
  kdcAuth: '1.3.6.1.5.2.3.5',
  smartCardLogon: '1.3.6.1.4.1.311.20.2.2',
};

/** A random positive serial: 16 bytes, top bit clear (positive), first byte non-zero (fixed length), about 127 bits of entropy. */
export function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) || 0x01;
  return b.toString('hex');
}

/**
 * Key usages that suit the key: keyEncipherment is an RSA operation, so for EC keys it becomes
 * keyAgreement (ECDH), which S/MIME and TLS clients expect instead.
 */
export function keyUsageFor(usages: KeyUsageName[], keyType: KeyType): KeyUsageName[] {
  if (!keyType.startsWith('ec-')) return usages;
  const out = usages.map((u) => (u === 'keyEncipherment' ? 'keyAgreement' : u));
  return [...new Set(out)];
}

export interface Signer {
  /** The issuer's certificate; absent for a self-signed certificate. */
  certificate?: x509.X509Certificate;
  privateKey: CryptoKey;
  keyType: KeyType;
}

export interface CertificateSpec {
  subject: x509.Name;
  publicKey: CryptoKey | x509.PublicKey;
  serial: string;
  notBefore: Date;
  notAfter: Date;
  signer: Signer;
  /** Present for CA certificates. pathLength null means unlimited. */
  ca?: { pathLength: number | null };
  keyUsage: KeyUsageName[];
  extendedKeyUsage: ExtendedKeyUsageName[];
  sans: San[];
  crlUrl?: string | null;
  /** A Windows SID (windows/sid.ts): adds the non-critical SID extension ([MS-WCCE] 2.2.2.7.7.4, windows/sid-extension.ts). */
  sid?: string | null;
}

/** The validity window for a new certificate of `days` days, checked against the issuer's own validity. */
export function validityWindow(days: number, now: Date, issuer?: x509.X509Certificate): { notBefore: Date; notAfter: Date } {
  if (!Number.isInteger(days) || days < 1 || days > 36500) {
    throw new CertDeskError('INVALID_INPUT', `days: must be a whole number from 1 to 36500, got ${days}`, { field: 'days' });
  }
  let notBefore = new Date(now.getTime() - CLOCK_SKEW_MS);
  const notAfter = new Date(now.getTime() + days * DAY_MS);
  if (issuer) {
    if (notBefore < issuer.notBefore) notBefore = issuer.notBefore;
    if (notAfter > issuer.notAfter) {
      throw new CertDeskError(
        'VALIDITY_EXCEEDS_ISSUER',
        `the requested end date ${notAfter.toISOString()} is past the issuing CA's end date ${issuer.notAfter.toISOString()}; ` +
          `choose at most ${Math.floor((issuer.notAfter.getTime() - now.getTime()) / DAY_MS)} days`,
        { field: 'days', issuerNotAfter: issuer.notAfter.toISOString() },
      );
    }
  }
  return { notBefore, notAfter };
}

/** Builds and signs an RFC 5280 v3 certificate with the extensions of `spec` (basic constraints, key usage, EKU, SKI, AKI, SANs, CRL distribution point). */
export async function buildCertificate(spec: CertificateSpec): Promise<x509.X509Certificate> {
  const extensions: x509.Extension[] = [];
  if (spec.ca) {
    extensions.push(new x509.BasicConstraintsExtension(true, spec.ca.pathLength ?? undefined, true));
  } else {
    extensions.push(new x509.BasicConstraintsExtension(false, undefined, true));
  }
  const ku = spec.keyUsage.reduce((acc, u) => acc | KEY_USAGE_FLAGS[u], 0);
  if (ku) extensions.push(new x509.KeyUsagesExtension(ku, true));
  if (spec.extendedKeyUsage.length) {
    extensions.push(new x509.ExtendedKeyUsageExtension(spec.extendedKeyUsage.map((e) => EKU_OIDS[e]), false));
  }
  const publicKey = spec.publicKey instanceof x509.PublicKey ? spec.publicKey : await x509.PublicKey.create(spec.publicKey);
  const ski = await x509.SubjectKeyIdentifierExtension.create(publicKey);
  extensions.push(ski);
  extensions.push(authorityKeyIdentifier(spec.signer, ski.keyId));
  const san = subjectAltName(spec.sans, spec.subject.toJSON().length === 0);
  if (san) extensions.push(san);
  if (spec.crlUrl) extensions.push(new x509.CRLDistributionPointsExtension([spec.crlUrl]));
  if (spec.sid) extensions.push(sidExtension(spec.sid));

  return x509.X509CertificateGenerator.create({
    serialNumber: spec.serial,
    subject: spec.subject,
    issuer: spec.signer.certificate ? spec.signer.certificate.subjectName : spec.subject,
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    publicKey,
    signingKey: spec.signer.privateKey,
    signingAlgorithm: signingAlgorithm(spec.signer.keyType),
    extensions,
  });
}

/**
 * The subjectAltName extension for `sans` (null when there is none), critical when the subject is empty
 * (RFC 5280 4.2.1.6). The names @peculiar/x509 builds come first; krb5 principals follow as KRB5PrincipalName
 * otherNames (RFC 4556 3.2.2, windows/kerberos.ts), appended to the DER GeneralNames.
 */
function subjectAltName(sans: San[], critical: boolean): x509.Extension | null {
  const generalNames = toGeneralNames(sans);
  const principals = sans.filter((s) => s.type === 'krb5').map((s) => krb5PrincipalGeneralName(s.value));
  if (principals.length === 0) return generalNames.length ? new x509.SubjectAlternativeNameExtension(generalNames, critical) : null;
  const children: Uint8Array[] = [];
  if (generalNames.length) {
    const base = asn1js.fromBER(new x509.SubjectAlternativeNameExtension(generalNames, critical).value).result as asn1js.Sequence;
    for (const gn of base.valueBlock.value) children.push(new Uint8Array(gn.toBER()));
  }
  children.push(...principals);
  const blocks = children.map((der) => asn1js.fromBER(der).result);
  return new x509.Extension('2.5.29.17', critical, new asn1js.Sequence({ value: blocks }).toBER());
}

/**
 * A certificate to sign as plain data, so it can cross to a worker thread (a request with thousands of
 * names takes a while to encode): subject and public key as DER, the issuer's certificate as DER (absent
 * for a self-signed one) and its private key as a CryptoKey, which postMessage clones.
 */
export interface CertificateRequest extends Omit<CertificateSpec, 'subject' | 'publicKey' | 'signer'> {
  subjectDer: Uint8Array;
  spki: Uint8Array;
  signer: { certificateDer?: Uint8Array; privateKey: CryptoKey; keyType: KeyType };
}

/** Builds and signs the certificate (see buildCertificate) and returns its DER encoding. See signCertificateOffThread (workers/off-thread.ts). */
export async function signCertificate(req: CertificateRequest): Promise<Uint8Array> {
  const { subjectDer, spki, signer, ...rest } = req;
  const cert = await buildCertificate({
    ...rest,
    subject: new x509.Name(subjectDer),
    publicKey: new x509.PublicKey(spki),
    signer: { certificate: signer.certificateDer ? new x509.X509Certificate(signer.certificateDer) : undefined, privateKey: signer.privateKey, keyType: signer.keyType },
  });
  return new Uint8Array(cert.rawData);
}

/** The issuer's key identifier: copied from its SKI extension (imported CAs may use another method), else our own SKI for self-signed. */
function authorityKeyIdentifier(signer: Signer, ownKeyId: string): x509.AuthorityKeyIdentifierExtension {
  if (!signer.certificate) return new x509.AuthorityKeyIdentifierExtension(ownKeyId, false);
  const issuerSki = signer.certificate.getExtension(x509.SubjectKeyIdentifierExtension);
  if (issuerSki) return new x509.AuthorityKeyIdentifierExtension(issuerSki.keyId, false);
  const spki = new Uint8Array(signer.certificate.publicKey.rawData);
  return new x509.AuthorityKeyIdentifierExtension(createHash('sha1').update(subjectPublicKeyBits(spki)).digest('hex'), false);
}

/** The BIT STRING contents of a DER SubjectPublicKeyInfo (RFC 5280 4.2.1.2 method 1 hashes these). */
function subjectPublicKeyBits(spki: Uint8Array): Uint8Array {
  return pkijs.PublicKeyInfo.fromBER(spki).subjectPublicKey.valueBlock.valueHexView;
}

export function thumbprints(der: Uint8Array): { sha1: string; sha256: string } {
  return {
    sha1: createHash('sha1').update(der).digest('hex'),
    sha256: createHash('sha256').update(der).digest('hex'),
  };
}
