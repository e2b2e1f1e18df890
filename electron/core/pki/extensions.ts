// A certificate's extensions as text, for the details panel. Pure; a certificate with thousands of names
// takes a tenth of a second or more to describe, so the service runs it on a worker (workers/off-thread.ts).
import { x509 } from './provider.js';

export interface ExtensionText {
  /** The extension's name as @peculiar/x509 prints it (its OID when the library does not know it). */
  name: string;
  critical: boolean;
  /** The value, one item a line. */
  value: string;
}

/**
 * The extensions of a DER certificate, in the certificate's order, as @peculiar/x509 prints them ("Name:
 * critical" on the first line, the value below). Throws when the bytes are not a certificate.
 */
export function describeExtensions(der: Uint8Array): ExtensionText[] {
  return new x509.X509Certificate(der).extensions.map((ext) => {
    const [head = ext.type, ...rest] = ext.toString('text').split('\n');
    return { name: head.replace(/:( critical)?$/, ''), critical: ext.critical, value: rest.map((l) => l.trim()).join('\n') };
  });
}
