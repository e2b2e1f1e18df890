// A pool of worker threads for a batch's CPU-bound work. Keys are generated ahead of the issuing loop, at
// most `prefetch` at a time, so memory stays flat however long the batch is; PFX files are built on request.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { KeyType } from '../../../shared/domain.js';
import { CertDeskError, ERROR_CODES, type ErrorCode } from '../../../shared/errors.js';
import type { PfxBuildOptions } from '../pki/pkcs12.js';
import type { CryptoJob } from './crypto-worker.js';

export interface GeneratedKey {
  pkcs8: Uint8Array;
  spki: Uint8Array;
}

type Reply = { id: number; result: Uint8Array[] } | { id: number; error: { code: string; message: string; details?: Record<string, unknown> } };
type Pending = { resolve: (r: Uint8Array[]) => void; reject: (e: Error) => void };

export class CryptoPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private readonly keys: Promise<GeneratedKey>[] = [];
  private nextId = 0;
  private turn = 0;
  private keysLeft: number;

  constructor(
    private readonly keyType: KeyType,
    keyCount: number,
    size = availableParallelism(),
    private readonly prefetch = size * 2,
  ) {
    this.keysLeft = keyCount;
    this.workers = Array.from({ length: Math.max(1, size) }, () => {
      const w = new Worker(new URL('./crypto-worker.js', import.meta.url));
      w.on('message', (m: Reply) => this.settle(m));
      w.on('error', (e) => this.failAll(e));
      return w;
    });
    this.fillKeys();
  }

  get size(): number {
    return this.workers.length;
  }

  /** The next pre-generated key, in request order. */
  nextKey(): Promise<GeneratedKey> {
    const key = this.keys.shift();
    if (!key) return Promise.reject(new Error('no keys left in the pool'));
    this.fillKeys();
    return key;
  }

  /** Builds a PFX on a worker thread. The key bytes are transferred to the worker (and zeroed there). */
  async buildPfx(options: PfxBuildOptions): Promise<Uint8Array> {
    const key = options.privateKeyPkcs8.slice();
    const [pfx] = await this.send({ id: 0, kind: 'pfx', options: { ...options, privateKeyPkcs8: key } }, [key.buffer as ArrayBuffer]);
    return pfx!;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private fillKeys(): void {
    while (this.keys.length < this.prefetch && this.keysLeft > 0) {
      this.keysLeft--;
      const p = this.send({ id: 0, kind: 'key', keyType: this.keyType }).then(([pkcs8, spki]) => ({ pkcs8: pkcs8!, spki: spki! }));
      p.catch(() => undefined); // surfaces when nextKey() hands this promise out
      this.keys.push(p);
    }
  }

  private send(job: CryptoJob, transfer: ArrayBuffer[] = []): Promise<Uint8Array[]> {
    const id = this.nextId++;
    const worker = this.workers[this.turn++ % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...job, id }, transfer);
    });
  }

  private settle(m: Reply): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if ('error' in m) {
      const code = (ERROR_CODES as readonly string[]).includes(m.error.code) ? (m.error.code as ErrorCode) : 'INTERNAL';
      p.reject(new CertDeskError(code, m.error.message, m.error.details));
    } else p.resolve(m.result);
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
