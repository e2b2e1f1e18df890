// Names of the encryption and key derivation algorithms a PKCS#12 file may name, so that a refusal
// says what the file uses ("pbeWithSHAAnd128BitRC4 (OID 1.2.840.113549.1.12.1.1)"), not a bare OID.
// Names as in RFC 7292 appendix C, RFC 8018 appendices A and B, and NIST's registry for the digests
// and AES modes.
import { pfxError } from './pkcs12-asn1.js';
import type { CertDeskError } from '../../../shared/errors.js';

const NAMES: Readonly<Record<string, string>> = {
  // RFC 7292 appendix C (PKCS#12 PBE)
  '1.2.840.113549.1.12.1.1': 'pbeWithSHAAnd128BitRC4',
  '1.2.840.113549.1.12.1.2': 'pbeWithSHAAnd40BitRC4',
  '1.2.840.113549.1.12.1.3': 'pbeWithSHAAnd3-KeyTripleDES-CBC',
  '1.2.840.113549.1.12.1.4': 'pbeWithSHAAnd2-KeyTripleDES-CBC',
  '1.2.840.113549.1.12.1.5': 'pbeWithSHAAnd128BitRC2-CBC',
  '1.2.840.113549.1.12.1.6': 'pbeWithSHAAnd40BitRC2-CBC',
  // RFC 8018 PBES1 and PBES2
  '1.2.840.113549.1.5.1': 'pbeWithMD2AndDES-CBC',
  '1.2.840.113549.1.5.3': 'pbeWithMD5AndDES-CBC',
  '1.2.840.113549.1.5.4': 'pbeWithMD2AndRC2-CBC',
  '1.2.840.113549.1.5.6': 'pbeWithMD5AndRC2-CBC',
  '1.2.840.113549.1.5.10': 'pbeWithSHA1AndDES-CBC',
  '1.2.840.113549.1.5.11': 'pbeWithSHA1AndRC2-CBC',
  '1.2.840.113549.1.5.12': 'PBKDF2',
  '1.2.840.113549.1.5.13': 'PBES2',
  '1.3.6.1.4.1.11591.4.11': 'scrypt',
  // PBKDF2 pseudo-random functions (RFC 8018 B.1)
  '1.2.840.113549.2.7': 'hmacWithSHA1',
  '1.2.840.113549.2.8': 'hmacWithSHA224',
  '1.2.840.113549.2.9': 'hmacWithSHA256',
  '1.2.840.113549.2.10': 'hmacWithSHA384',
  '1.2.840.113549.2.11': 'hmacWithSHA512',
  '1.2.840.113549.2.12': 'hmacWithSHA512-224',
  '1.2.840.113549.2.13': 'hmacWithSHA512-256',
  // MAC digests
  '1.2.840.113549.2.2': 'MD2',
  '1.2.840.113549.2.5': 'MD5',
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
  '2.16.840.1.101.3.4.2.5': 'SHA-512/224',
  '2.16.840.1.101.3.4.2.6': 'SHA-512/256',
  '2.16.840.1.101.3.4.2.8': 'SHA3-256',
  '2.16.840.1.101.3.4.2.9': 'SHA3-384',
  '2.16.840.1.101.3.4.2.10': 'SHA3-512',
  // Ciphers PBES2 may name
  '1.3.14.3.2.7': 'DES-CBC',
  '1.2.840.113549.3.2': 'RC2-CBC',
  '1.2.840.113549.3.7': 'DES-EDE3-CBC',
  '1.2.840.113549.3.9': 'RC5-CBC-Pad',
  '2.16.840.1.101.3.4.1.2': 'AES-128-CBC',
  '2.16.840.1.101.3.4.1.22': 'AES-192-CBC',
  '2.16.840.1.101.3.4.1.42': 'AES-256-CBC',
  '2.16.840.1.101.3.4.1.6': 'AES-128-GCM',
  '2.16.840.1.101.3.4.1.26': 'AES-192-GCM',
  '2.16.840.1.101.3.4.1.46': 'AES-256-GCM',
};

/** "name (OID x)" for an algorithm this table knows, "an unrecognised algorithm (OID x)" otherwise. */
export function algorithmLabel(oid: string): string {
  const name = NAMES[oid];
  return name ? `${name} (OID ${oid})` : `an unrecognised algorithm (OID ${oid})`;
}

/**
 * PFX_UNSUPPORTED for an algorithm CertDesk does not read, naming it by name and OID:
 * "PKCS#12 file uses an unsupported <what>: <name> (OID <oid>)".
 */
export function unsupportedAlgorithm(what: string, oid: string): CertDeskError {
  return pfxError('PFX_UNSUPPORTED', `PKCS#12 file uses an unsupported ${what}: ${algorithmLabel(oid)}`);
}
