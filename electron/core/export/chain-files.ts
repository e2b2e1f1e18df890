// What every bundle of one issuing chain shares (chain.pem, ca-thumbprints.txt, the root's organization, the Apple
// profile's CA payloads), made once per batch on the main thread. Apart from bundle-content.ts so that a command that
// writes no bundle does not load the bundle's file builders (XML, QR, PNG) by importing this.
import { thumbprints } from '../pki/certificates.js';
import { dnFromName } from '../pki/names.js';
import { toPem } from '../pki/pem.js';
import { x509 } from '../pki/provider.js';
import { mobileconfigCa, type MobileconfigCa } from './mobileconfig-ca.js';

/**
 * What every bundle of one issuing chain shares: chain.pem, ca-thumbprints.txt, the root's organization and the
 * CA payload facts (for the Apple profile). Plain data: a batch makes it once on the main thread and hands it to
 * the workers with every bundle.
 */
export interface ChainFiles {
  chainPem: string;
  trustList: string;
  organization: string | null;
  /**
   * Per chain certificate, what its Apple profile payload takes from it (mobileconfig-ca.ts mobileconfigCa); its DER
   * where that failed, so buildMobileconfig throws the same error, at the same point, as without this cache.
   */
  mobileconfigCas: (MobileconfigCa | Uint8Array)[];
}

/** The files and facts a bundle takes from its issuing chain (DER, nearest issuer first) alone. Throws when a certificate cannot be parsed. */
export function chainFiles(chain: Uint8Array[]): ChainFiles {
  const root = chain.length ? new x509.X509Certificate(chain[chain.length - 1]!) : null;
  const mobileconfigCas = chain.map((der, i) => {
    try {
      return mobileconfigCa(der, i);
    } catch {
      return der;
    }
  });
  return { chainPem: chain.map((c) => toPem(c)).join(''), trustList: trustList(chain), organization: root?.subjectName.getField('O')[0] ?? null, mobileconfigCas };
}

function trustList(chain: Uint8Array[]): string {
  const lines = chain.map((der) => {
    const cert = new x509.X509Certificate(der);
    return `${thumbprints(der).sha1.toUpperCase()}  ${dnFromName(cert.subjectName)}`;
  });
  return ['# SHA-1 thumbprints of the issuing CAs (as Windows certificate stores show them), nearest issuer first', ...lines, ''].join('\n');
}
