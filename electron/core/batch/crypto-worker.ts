// Worker thread for batches: generates key pairs and builds PFX files, the two CPU-bound steps of a row,
// so a batch uses every core. Results are transferred, not copied.
import { generateKeyPair } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { KeyType } from '../../../shared/domain.js';
import { buildPfx, type PfxBuildOptions } from '../pki/pkcs12.js';

export type CryptoJob = { id: number; kind: 'key'; keyType: KeyType } | { id: number; kind: 'pfx'; options: PfxBuildOptions };

function generate(keyType: KeyType): Promise<{ pkcs8: Buffer; spki: Buffer }> {
  const enc = { publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'der' } } as const;
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, spki: Buffer, pkcs8: Buffer) => (err ? reject(err) : resolve({ pkcs8, spki }));
    if (keyType.startsWith('rsa-')) generateKeyPair('rsa', { modulusLength: Number(keyType.slice(4)), publicExponent: 0x10001, ...enc }, done);
    else generateKeyPair('ec', { namedCurve: keyType === 'ec-p384' ? 'P-384' : 'P-256', ...enc }, done);
  });
}

async function handle(job: CryptoJob): Promise<Uint8Array[]> {
  if (job.kind === 'pfx') {
    const pfx = await buildPfx(job.options);
    job.options.privateKeyPkcs8.fill(0);
    return [pfx];
  }
  const { pkcs8, spki } = await generate(job.keyType);
  const out = [new Uint8Array(pkcs8), new Uint8Array(spki)];
  pkcs8.fill(0);
  return out;
}

parentPort!.on('message', (job: CryptoJob) => {
  handle(job).then(
    (result) => parentPort!.postMessage({ id: job.id, result }, result.map((r) => r.buffer as ArrayBuffer)),
    (e: unknown) => {
      const err = e as { code?: string; message?: string; details?: Record<string, unknown> };
      parentPort!.postMessage({ id: job.id, error: { code: err.code ?? 'INTERNAL', message: err.message ?? String(e), details: err.details } });
    },
  );
});
