// The engine's jobs (engine-jobs.ts) as functions: the handler table the worker thread serves (engine-worker.ts)
// and that the CLI calls in its own thread (in-thread-pool.ts). Each handler imports what it needs when it first
// runs, so a CLI command that signs a CRL does not load the bundle's builders (XML, QR, PNG) or the PKCS#12 code.
import { generateKeyPair } from 'node:crypto';
import type { KeyType } from '../../../shared/domain.js';
import type { BundleContent } from '../export/bundle-content.js';
import type { BundleEntry } from '../export/bundle-writer.js';
import type { EngineJobs, GeneratedKey } from './engine-jobs.js';
import { ownedCopy } from './wire.js';
import type { JobHandlers } from './worker-host.js';

function generate(keyType: KeyType): Promise<{ pkcs8: Buffer; spki: Buffer }> {
  const enc = { publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'der' } } as const;
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, spki: Buffer, pkcs8: Buffer) => (err ? reject(err) : resolve({ pkcs8, spki }));
    if (keyType.startsWith('rsa-')) generateKeyPair('rsa', { modulusLength: Number(keyType.slice(4)), publicExponent: 0x10001, ...enc }, done);
    else generateKeyPair('ec', { namedCurve: keyType === 'ec-p384' ? 'P-384' : 'P-256', ...enc }, done);
  });
}

/**
 * What each engine job does (engine-jobs.ts), keyed by job kind: served on a worker thread by engine-worker.ts, or
 * called on the calling thread by InThreadPool (in-thread-pool.ts). Secret bytes a handler receives (a private key to
 * export) are zeroed once used; secret bytes it answers (an imported private key) are listed in `transfer`, and the
 * copy left behind is zeroed.
 */
export const engineHandlers: JobHandlers<EngineJobs> = {
  'key.generate': async ({ keyType }) => {
    const { pkcs8, spki } = await generate(keyType);
    const key = { pkcs8: ownedCopy(pkcs8), spki: ownedCopy(spki) } satisfies GeneratedKey;
    pkcs8.fill(0);
    return { value: key, transfer: [key.pkcs8.buffer, key.spki.buffer] };
  },
  'bundle.build': async ({ pfx: options, source }) => {
    let pfx: Uint8Array;
    try {
      // Inside the try: the key received is zeroed even when the module cannot be loaded.
      const { buildPfx } = await import('../pki/pkcs12.js');
      pfx = await buildPfx(options);
    } finally {
      if (options.privateKeyPkcs8 instanceof Uint8Array) options.privateKeyPkcs8.fill(0);
    }
    const { bundleContent } = await import('../export/bundle-content.js');
    const content = await bundleContent(source, pfx);
    const transfer: ArrayBuffer[] = [];
    const entries = content.entries.map((e): BundleEntry => {
      if (typeof e.data === 'string') return e;
      const data = ownedCopy(e.data);
      transfer.push(data.buffer);
      return { ...e, data };
    });
    return { value: { ...content, entries } satisfies BundleContent, transfer };
  },
  'pfx.build': async (options) => {
    try {
      const { buildPfx } = await import('../pki/pkcs12.js');
      const der = ownedCopy(await buildPfx(options));
      return { value: der, transfer: [der.buffer] };
    } finally {
      if (options.privateKeyPkcs8 instanceof Uint8Array) options.privateKeyPkcs8.fill(0);
    }
  },
  'pfx.parse': async ({ der, password }) => {
    const { parsePfx } = await import('../pki/pkcs12.js');
    const contents = await parsePfx(der, password);
    const key = ownedCopy(contents.privateKeyPkcs8);
    contents.privateKeyPkcs8.fill(0);
    const certificate = ownedCopy(contents.certificate);
    const chain = contents.chain.map(ownedCopy);
    return {
      value: { ...contents, privateKeyPkcs8: key, certificate, chain },
      transfer: [key.buffer, certificate.buffer, ...chain.map((c) => c.buffer)],
    };
  },
  'csr.read': async ({ data, field }) => {
    const { readCsr } = await import('../pki/csr.js');
    return { value: await readCsr(data, field) };
  },
  'cert.sign': async (request) => {
    const { signCertificate } = await import('../pki/certificates.js');
    const der = ownedCopy(await signCertificate(request));
    return { value: der, transfer: [der.buffer] };
  },
  'cert.extensions': async ({ der }) => {
    const { describeExtensions } = await import('../pki/extensions.js');
    return { value: describeExtensions(der) };
  },
  'cert.iisOneToOne': async ({ der }) => {
    const { iisOneToOneSnippet } = await import('../export/iis.js');
    return { value: iisOneToOneSnippet({ der }) };
  },
  'crl.sign': async (request) => {
    const { signCrl } = await import('../pki/crl.js');
    const der = ownedCopy(await signCrl(request));
    return { value: der, transfer: [der.buffer] };
  },
  'batch.check': async ({ csv, ctx }) => {
    const { checkBatchCsv } = await import('../batch/validate.js');
    return { value: checkBatchCsv(csv, ctx) };
  },
};
