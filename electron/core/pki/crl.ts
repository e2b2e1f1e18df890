// Builds RFC 5280 v2 CRLs: CRL number, authority key identifier, and a reason code per entry.
import * as asn1js from 'asn1js';
import type { KeyType, RevocationReason } from '../../../shared/domain.js';
import { x509, type CryptoKey } from './provider.js';
import { signingAlgorithm } from './keys.js';
import type { Signer } from './certificates.js';
import { toPem } from './pem.js';
import { revokedCertificatesDer, withRevokedCertificates } from './crl-der.js';

const CRL_NUMBER_OID = '2.5.29.20';

const REASON_CODES: Record<RevocationReason, x509.X509CrlReason> = {
  unspecified: x509.X509CrlReason.unspecified,
  keyCompromise: x509.X509CrlReason.keyCompromise,
  caCompromise: x509.X509CrlReason.cACompromise,
  affiliationChanged: x509.X509CrlReason.affiliationChanged,
  superseded: x509.X509CrlReason.superseded,
  cessationOfOperation: x509.X509CrlReason.cessationOfOperation,
  certificateHold: x509.X509CrlReason.certificateHold,
  privilegeWithdrawn: x509.X509CrlReason.privilegeWithdrawn,
  aaCompromise: x509.X509CrlReason.aACompromise,
};

export interface CrlEntry {
  serial: string;
  revokedAt: Date;
  reason: RevocationReason;
}

export interface CrlSpec {
  signer: Required<Pick<Signer, 'certificate'>> & Signer;
  crlNumber: number;
  thisUpdate: Date;
  nextUpdate: Date;
  entries: CrlEntry[];
}

/**
 * Builds and signs an RFC 5280 (section 5) v2 CRL with the CRL number and authority key identifier
 * extensions, as DER. The library builds and signs the fixed part; the entries are encoded in linear time
 * and spliced in (crl-der.ts: the library's own generator is quadratic in the entries), then signed again.
 * Throws CertDeskError INVALID_INPUT for a serial listed twice (the vault's UNIQUE(issuer_dn, serial) rules that out)
 * or an entry the encoder cannot write (revokedCertificatesDer).
 */
export async function buildCrlDer(spec: CrlSpec): Promise<Uint8Array> {
  const issuer = spec.signer.certificate;
  const ski = issuer.getExtension(x509.SubjectKeyIdentifierExtension);
  const extensions: x509.Extension[] = [
    new x509.Extension(CRL_NUMBER_OID, false, new asn1js.Integer({ value: spec.crlNumber }).toBER()),
  ];
  extensions.push(ski ? new x509.AuthorityKeyIdentifierExtension(ski.keyId) : await x509.AuthorityKeyIdentifierExtension.create(issuer.publicKey));
  const algorithm = signingAlgorithm(spec.signer.keyType);
  const empty = await x509.X509CrlGenerator.create({
    issuer: issuer.subjectName,
    thisUpdate: spec.thisUpdate,
    nextUpdate: spec.nextUpdate,
    signingKey: spec.signer.privateKey,
    signingAlgorithm: algorithm,
    extensions,
  });
  if (spec.entries.length === 0) return new Uint8Array(empty.rawData);
  // RFC 5280 5.3.1: omit the reason code rather than use "unspecified".
  const revoked = revokedCertificatesDer(spec.entries.map((e) => ({ serial: e.serial, revokedAt: e.revokedAt, reasonCode: e.reason === 'unspecified' ? null : REASON_CODES[e.reason] })));
  return withRevokedCertificates(new Uint8Array(empty.rawData), revoked, spec.signer.privateKey, algorithm);
}

/** buildCrlDer, parsed. Runs in the calling thread; the service signs through signCrlOffThread. */
export async function buildCrl(spec: CrlSpec): Promise<x509.X509Crl> {
  return new x509.X509Crl(await buildCrlDer(spec));
}

/**
 * A CRL to sign as plain data, so it can cross to a worker thread (signing a long list takes a while):
 * the issuer's certificate as DER and its private key as a CryptoKey, which postMessage clones.
 */
export interface CrlRequest {
  issuerDer: Uint8Array;
  privateKey: CryptoKey;
  keyType: KeyType;
  crlNumber: number;
  thisUpdate: Date;
  nextUpdate: Date;
  entries: CrlEntry[];
}

/** Builds and signs the CRL (see buildCrl) and returns its DER encoding. See signCrlOffThread (workers/off-thread.ts). */
export async function signCrl(req: CrlRequest): Promise<Uint8Array> {
  const { issuerDer, privateKey, keyType, ...rest } = req;
  return buildCrlDer({ ...rest, signer: { certificate: new x509.X509Certificate(issuerDer), privateKey, keyType } });
}

/** PEM with the label OpenSSL, nginx and Apache expect (the library writes "BEGIN CRL"); takes the CRL or its DER. */
export function crlToPem(crl: x509.X509Crl | Uint8Array): string {
  return toPem(crl instanceof Uint8Array ? crl : new Uint8Array(crl.rawData), 'X509 CRL');
}
