// Worker thread: generates key pairs on request and hands back DER PKCS#8 and SPKI (transferred, not copied).
import { generateKeyPair } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { KeyType } from '../../../shared/domain.js';

interface Job {
  id: number;
  keyType: KeyType;
}

function generate(keyType: KeyType): Promise<{ pkcs8: Buffer; spki: Buffer }> {
  const enc = { publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'der' } } as const;
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, spki: Buffer, pkcs8: Buffer) => (err ? reject(err) : resolve({ pkcs8, spki }));
    if (keyType.startsWith('rsa-')) generateKeyPair('rsa', { modulusLength: Number(keyType.slice(4)), publicExponent: 0x10001, ...enc }, done);
    else generateKeyPair('ec', { namedCurve: keyType === 'ec-p384' ? 'P-384' : 'P-256', ...enc }, done);
  });
}

parentPort!.on('message', (job: Job) => {
  generate(job.keyType).then(
    ({ pkcs8, spki }) => {
      const p = new Uint8Array(pkcs8);
      const s = new Uint8Array(spki);
      parentPort!.postMessage({ id: job.id, pkcs8: p, spki: s }, [p.buffer, s.buffer]);
      pkcs8.fill(0);
    },
    (e: unknown) => parentPort!.postMessage({ id: job.id, error: (e as Error).message }),
  );
});
