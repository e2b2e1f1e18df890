// The engine's CPU-heavy steps, run on a worker thread so the calling thread's event loop stays free:
// in the Electron main process that loop answers the window. Each function behaves as the function it
// wraps (same result, same CertDeskErrors); only the thread differs. The pool defaults to the shared one, which in
// the certdesk CLI runs the jobs in its own thread (engine-pool.ts runEngineJobsInThisThread).
import type { BatchCheckResult, BatchContext } from '../batch/validate.js';
import type { BundleContent, BundleSource } from '../export/bundle-content.js';
import type { CertificateRequest } from '../pki/certificates.js';
import type { CrlRequest } from '../pki/crl.js';
import type { CsrInfo } from '../pki/csr.js';
import type { ExtensionText } from '../pki/extensions.js';
import type { PfxBuildOptions, PfxContents } from '../pki/pkcs12.js';
import { isExternalKey } from '../pki/external-key.js';
import { sharedEnginePool, type EnginePool } from './engine-pool.js';
import { ownedCopy } from './wire.js';

/**
 * The files of a hand-over bundle (bundle-content.ts), its PFX built first by buildPfx (pki/pkcs12.ts,
 * RFC 7292), on a worker. The RFC 7292 appendix B KDF behind every PFX MAC and 3DES bag is pure JavaScript:
 * about 23 ms of CPU for the seven hash chains of a legacy PFX at 10,000 iterations (30 ms for the whole file;
 * the README's issuance figures), and it grows with the count. The private key is
 * copied to the worker and zeroed there once used; the caller's own bytes are untouched (it zeroes them).
 */
export function buildBundleOffThread(input: { pfx: PfxBuildOptions; source: BundleSource }, pool: EnginePool = sharedEnginePool()): Promise<BundleContent> {
  const key = input.pfx.privateKeyPkcs8;
  if (!(key instanceof Uint8Array)) return pool.run('bundle.build', input); // buildPfx refuses it with its own message
  const copy = ownedCopy(key);
  return pool.run('bundle.build', { ...input, pfx: { ...input.pfx, privateKeyPkcs8: copy } }, [copy.buffer]);
}

/**
 * buildPfx (pki/pkcs12.ts, RFC 7292) alone on a worker: a CA exported with its key (core/ca/ca-export.ts). The
 * key is copied to the worker and zeroed there; the caller zeroes its own bytes.
 */
export function buildPfxOffThread(options: PfxBuildOptions, pool: EnginePool = sharedEnginePool()): Promise<Uint8Array> {
  const key = options.privateKeyPkcs8;
  if (!(key instanceof Uint8Array)) return pool.run('pfx.build', options);
  const copy = ownedCopy(key);
  return pool.run('pfx.build', { ...options, privateKeyPkcs8: copy }, [copy.buffer]);
}

/**
 * parsePfx (pki/pkcs12-parse.ts) on a worker: the key, certificate and chain of a PKCS#12 file. A file
 * may ask for up to MAX_READ_ITERATIONS (10 million) KDF iterations, seconds to minutes of work.
 */
export function parsePfxOffThread(der: Uint8Array, password: string, pool: EnginePool = sharedEnginePool()): Promise<PfxContents> {
  if (!(der instanceof Uint8Array)) return pool.run('pfx.parse', { der, password });
  const copy = ownedCopy(der);
  return pool.run('pfx.parse', { der: copy, password }, [copy.buffer]);
}

/** readCsr (pki/csr.ts) on a worker: a request with thousands of names takes a tenth of a second or more. */
export function readCsrOffThread(data: Uint8Array, field = 'csr', pool: EnginePool = sharedEnginePool()): Promise<CsrInfo> {
  const copy = ownedCopy(data);
  return pool.run('csr.read', { data: copy, field }, [copy.buffer]);
}

/**
 * signCertificate (pki/certificates.ts) on a worker: the certificate as DER. The issuer's private key (a
 * CryptoKey) is cloned to the worker.
 */
export async function signCertificateOffThread(request: CertificateRequest, pool: EnginePool = sharedEnginePool()): Promise<Uint8Array> {
  // A key on a PKCS#11 token (issue 15) signs through this thread's token session: it cannot cross to a worker.
  if (isExternalKey(request.signer.privateKey)) return (await import('../pki/certificates.js')).signCertificate(request);
  return pool.run('cert.sign', request);
}

/** describeExtensions (pki/extensions.ts) on a worker. */
export function describeExtensionsOffThread(der: Uint8Array, pool: EnginePool = sharedEnginePool()): Promise<ExtensionText[]> {
  return pool.run('cert.extensions', { der });
}

/** iisOneToOneSnippet (export/iis.ts) on a worker: it parses the whole certificate, thousands of names and all. */
export function iisOneToOneSnippetOffThread(der: Uint8Array, pool: EnginePool = sharedEnginePool()): Promise<string> {
  return pool.run('cert.iisOneToOne', { der });
}

/** signCrl (pki/crl.ts) on a worker: the CRL as DER. The private key (a CryptoKey) is cloned to the worker. */
export async function signCrlOffThread(request: CrlRequest, pool: EnginePool = sharedEnginePool()): Promise<Uint8Array> {
  // A key on a PKCS#11 token (issue 15) signs through this thread's token session: it cannot cross to a worker.
  if (isExternalKey(request.privateKey)) return (await import('../pki/crl.js')).signCrl(request);
  return pool.run('crl.sign', request);
}

/** checkBatchCsv (batch/validate.ts) on a worker: about 0.1 s per 10,000 rows. */
export function checkBatchCsvOffThread(csv: Uint8Array, ctx: BatchContext, pool: EnginePool = sharedEnginePool()): Promise<BatchCheckResult> {
  const copy = ownedCopy(csv);
  return pool.run('batch.check', { csv: copy, ctx }, [copy.buffer]);
}
