// CA certificates and keys made by the openssl CLI, for import tests: what another tool produced.
import { join } from 'node:path';
import { runOk } from './tools.js';

export interface OpensslCa {
  readonly keyFile: string; // PEM private key (traditional or PKCS#8, as openssl wrote it)
  readonly certFile: string; // PEM self-signed CA certificate
  /** The subject as openssl prints it with -nameopt RFC2253. */
  readonly subject: string;
  /** The serial as openssl prints it: upper-case hex. */
  readonly serial: string;
}

/**
 * A self-signed CA (basicConstraints cA, keyUsage keyCertSign/cRLSign, 30 days) for `keyFile`,
 * written as `${name}.crt` in `dir`.
 */
export function opensslCaCert(dir: string, name: string, keyFile: string, subject: string): OpensslCa {
  const certFile = join(dir, `${name}.crt`);
  runOk('openssl', [
    'req', '-x509', '-new', '-key', keyFile, '-subj', subject, '-days', '30', '-sha256',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-out', certFile,
  ]);
  const printed = runOk('openssl', ['x509', '-in', certFile, '-noout', '-subject', '-serial', '-nameopt', 'RFC2253']).stdout;
  return {
    keyFile,
    certFile,
    subject: /^subject=(.*)$/m.exec(printed)![1]!.trim(),
    serial: /^serial=([0-9A-F]+)$/m.exec(printed)![1]!,
  };
}

/** Serials compared as numbers: lower case, no leading zeros (openssl and CertDesk pad differently). */
export function serialValue(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, '');
}
