// The worker threads of one batch. Keys are generated ahead of the issuing loop, at most `prefetch` at a
// time, so memory stays flat however long the batch is; bundles (PFX and the other files) are made on
// request through `engine`. The threads run the engine's worker (workers/engine-worker.ts) in a pool of
// the batch's own, ended by close().
import { availableParallelism } from 'node:os';
import type { KeyType } from '../../../shared/domain.js';
import type { GeneratedKey } from '../workers/engine-jobs.js';
import { newEnginePool, type EnginePool } from '../workers/engine-pool.js';

export type { GeneratedKey };

export class CryptoPool {
  /** The batch's worker threads, for exportBundle's `pool`. */
  readonly engine: EnginePool;
  private readonly keys: Promise<GeneratedKey>[] = [];
  private keysLeft: number;

  constructor(
    private readonly keyType: KeyType,
    keyCount: number,
    size = availableParallelism(),
    private readonly prefetch = Math.max(1, size) * 4,
  ) {
    this.keysLeft = keyCount;
    this.engine = newEnginePool(size, Infinity);
    this.fillKeys();
  }

  get size(): number {
    return this.engine.size;
  }

  /** The next pre-generated key, in request order. */
  nextKey(): Promise<GeneratedKey> {
    const key = this.keys.shift();
    if (!key) return Promise.reject(new Error('no keys left in the pool'));
    this.fillKeys();
    return key;
  }

  /** Ends the threads; keys still being generated are dropped. */
  async close(): Promise<void> {
    await this.engine.close();
  }

  private fillKeys(): void {
    while (this.keys.length < this.prefetch && this.keysLeft > 0) {
      this.keysLeft--;
      const p = this.engine.run('key.generate', { keyType: this.keyType });
      p.catch(() => undefined); // surfaces when nextKey() hands this promise out
      this.keys.push(p);
    }
  }
}
