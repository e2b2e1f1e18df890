// A pool of worker threads that generate keys ahead of the issuing loop. At most `prefetch` keys wait
// at any time, so memory stays flat however long the batch is.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { KeyType } from '../../../shared/domain.js';

export interface GeneratedKey {
  pkcs8: Uint8Array;
  spki: Uint8Array;
}

type Reply = { id: number; pkcs8: Uint8Array; spki: Uint8Array } | { id: number; error: string };

export class KeyPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (k: GeneratedKey) => void; reject: (e: Error) => void }>();
  private readonly ready: Promise<GeneratedKey>[] = [];
  private nextId = 0;
  private turn = 0;
  private remaining: number;

  constructor(
    private readonly keyType: KeyType,
    total: number,
    size = availableParallelism(),
    private readonly prefetch = size * 2,
  ) {
    this.remaining = total;
    const count = Math.max(1, Math.min(size, total));
    this.workers = Array.from({ length: count }, () => {
      const w = new Worker(new URL('./keygen-worker.js', import.meta.url));
      w.on('message', (m: Reply) => this.settle(m));
      w.on('error', (e) => this.failAll(e));
      return w;
    });
    this.fill();
  }

  get size(): number {
    return this.workers.length;
  }

  /** The next key, in request order. */
  async next(): Promise<GeneratedKey> {
    const key = this.ready.shift();
    if (!key) throw new Error('key pool exhausted');
    this.fill();
    return key;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private fill(): void {
    while (this.ready.length < this.prefetch && this.remaining > 0) {
      this.remaining--;
      const id = this.nextId++;
      const worker = this.workers[this.turn++ % this.workers.length]!;
      const p = new Promise<GeneratedKey>((resolve, reject) => this.pending.set(id, { resolve, reject }));
      p.catch(() => undefined); // rejections surface when next() hands this promise out
      this.ready.push(p);
      worker.postMessage({ id, keyType: this.keyType });
    }
  }

  private settle(m: Reply): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if ('error' in m) p.reject(new Error(`key generation failed: ${m.error}`));
    else p.resolve({ pkcs8: m.pkcs8, spki: m.spki });
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
