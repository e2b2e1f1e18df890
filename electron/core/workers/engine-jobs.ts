// The jobs the engine's worker thread (engine-worker.ts) serves: one per CPU-heavy engine step that must not
// run on the Electron main process's event loop. Inputs and outputs are structured-cloneable data.
import type { KeyType } from '../../../shared/domain.js';
import type { BatchCheckResult, BatchContext } from '../batch/validate.js';
import type { BundleContent, BundleSource } from '../export/bundle-content.js';
import type { CertificateRequest } from '../pki/certificates.js';
import type { CrlRequest } from '../pki/crl.js';
import type { CsrInfo } from '../pki/csr.js';
import type { ExtensionText } from '../pki/extensions.js';
import type { PfxBuildOptions, PfxContents } from '../pki/pkcs12.js';

/** A new key pair, DER: PKCS#8 private key and SubjectPublicKeyInfo. */
export interface GeneratedKey {
  pkcs8: Uint8Array;
  spki: Uint8Array;
}

export type EngineJobs = {
  /** node:crypto key generation, for a batch's prefetched keys. */
  'key.generate': { input: { keyType: KeyType }; output: GeneratedKey };
  /**
   * buildPfx (PKCS#12 export with its read-back check; RFC 7292, whose appendix B KDF keys every MAC and
   * 3DES bag), then bundleContent: every file of a hand-over bundle.
   */
  'bundle.build': { input: { pfx: PfxBuildOptions; source: BundleSource }; output: BundleContent };
  /** buildPfx alone (a CA exported with its key, issue 14): the PKCS#12 file's DER. */
  'pfx.build': { input: PfxBuildOptions; output: Uint8Array };
  /** parsePfx: PKCS#12 import, MAC verified before anything is decrypted. */
  'pfx.parse': { input: { der: Uint8Array; password: string }; output: PfxContents };
  /** readCsr: parse and check a PKCS#10 request. */
  'csr.read': { input: { data: Uint8Array; field: string }; output: CsrInfo };
  /** signCertificate: build and sign a certificate, returned as DER. */
  'cert.sign': { input: CertificateRequest; output: Uint8Array };
  /** describeExtensions: a certificate's extensions as text. */
  'cert.extensions': { input: { der: Uint8Array }; output: ExtensionText[] };
  /** iisOneToOneSnippet: the IIS one-to-one mapping of a certificate (it checks the whole certificate parses). */
  'cert.iisOneToOne': { input: { der: Uint8Array }; output: string };
  /** signCrl: build and sign a CRL, returned as DER. */
  'crl.sign': { input: CrlRequest; output: Uint8Array };
  /** checkBatchCsv: parse a batch CSV and check every row. */
  'batch.check': { input: { csv: Uint8Array; ctx: BatchContext }; output: BatchCheckResult };
};
