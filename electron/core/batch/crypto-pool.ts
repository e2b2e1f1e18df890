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

/**
 * Old generation limit of each batch worker, in MiB (V8's maxOldGenerationSizeMb). A worker's live data after a full
 * collection stays near 21 MiB however long the batch (`node --trace-gc`, 5,000 P-256 rows), but without a limit V8
 * lets a fast-allocating isolate's heap grow to three times that before it collects: a 5,000-row `certdesk
 * issue-batch` peaked at 379 and 389 MiB of RSS, and at 307 MiB with this limit. The cost is more full collections:
 * 74 instead of 36 in a 1,000-row batch, 0.5 instead of 0.24 s of its 44 s of CPU. Three times the live data, so a
 * worker is never near running out.
 */
export const WORKER_OLD_GENERATION_MB = 64;

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
    this.engine = batchEnginePool(workers, inThreadIfOne, { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB });
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
