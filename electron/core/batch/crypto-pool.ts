// The worker threads of one batch. Keys are generated ahead of the issuing loop, at most `prefetch` at a
// time, so memory stays flat however long the batch is; bundles (PFX and the other files) are made on
// request through `engine`. The threads run the engine's worker (workers/engine-worker.ts) in a pool of
// the batch's own, ended by close(); a small batch in the CLI runs the same jobs in its own thread instead
// (engine-pool.ts batchEnginePool).
import type { KeyType } from '../../../shared/domain.js';
import type { GeneratedKey } from '../workers/engine-jobs.js';
import { batchEnginePool, type EnginePool } from '../workers/engine-pool.js';

export type { GeneratedKey };

/**
 * Young generation of each batch worker, in MiB (V8's maxYoungGenerationSizeMb). Node's default lets each
 * isolate's new space grow to 32 MiB, and a batch worker, allocating fast, does grow it: with two workers that was
 * about 60 MiB of a 5,000-row batch's peak RSS. The workers' live data is small (keys, one bundle at a time),
 * so a smaller young generation only means more, shorter scavenges (bench/batch-run.ts prints the CPU ms/cert).
 */
export const WORKER_YOUNG_GENERATION_MB = 8;

export class CryptoPool {
  /** The batch's worker threads (or, in the CLI, its own thread), for exportBundle's `pool`. */
  readonly engine: EnginePool;
  private readonly keys: Promise<GeneratedKey>[] = [];
  private keysLeft: number;

  /**
   * `workers` threads (batchEnginePool: `inThreadIfOne` lets a one-thread batch in the CLI run in its own thread),
   * with at most `prefetch` keys generated ahead.
   */
  constructor(
    private readonly keyType: KeyType,
    keyCount: number,
    workers: number,
    inThreadIfOne: boolean,
    private readonly prefetch: number,
  ) {
    this.keysLeft = keyCount;
    this.engine = batchEnginePool(workers, inThreadIfOne, { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB });
    this.fillKeys();
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
