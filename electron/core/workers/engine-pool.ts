// Pools of the engine's worker thread (engine-worker.ts): one shared pool per process for the service's
// and the CLI's heavy steps, started on first use, and pools of their own for batches. The CLI's shared pool
// runs its jobs in its own thread instead (runEngineJobsInThisThread, in-thread-pool.ts), and so does a CLI batch
// small enough for one worker (batchEnginePool).
import { availableParallelism } from 'node:os';
import type { EngineJobs } from './engine-jobs.js';
import { InThreadPool } from './in-thread-pool.js';
import { WorkerPool, type WorkerPoolOptions } from './worker-pool.js';

// Resolved next to this file; in the packaged app that is inside the asar, which worker threads read.
const ENGINE_WORKER = new URL('./engine-worker.js', import.meta.url);

/** What runs engine jobs: a WorkerPool, or the CLI's InThreadPool. */
export type EnginePool = Pick<WorkerPool<EngineJobs>, 'run' | 'close'>;

/** A pool of its own of at most `size` engine workers; idle workers end after `idleMs` (default 30 s); `resourceLimits`: each worker's V8 heap limits. */
export function newEnginePool(size: number, idleMs?: number, resourceLimits?: WorkerPoolOptions['resourceLimits']): WorkerPool<EngineJobs> {
  return new WorkerPool<EngineJobs>(ENGINE_WORKER, { size, idleMs, resourceLimits });
}

let shared: WorkerPool<EngineJobs> | null = null;
let inThread: InThreadPool | null = null;

/**
 * From now on, sharedEnginePool() runs jobs on the calling thread (InThreadPool): for the certdesk CLI (run.ts),
 * which has no event loop to keep free and would spend more on starting a worker than on the job. Pools made with
 * newEnginePool (a batch's) keep their workers.
 */
export function runEngineJobsInThisThread(): void {
  inThread ??= new InThreadPool();
}

/**
 * The engine of one batch: a pool of its own of `workers` threads, each with `resourceLimits`, idle workers kept
 * until close(). In a process that runs engine jobs in its own thread (the CLI, runEngineJobsInThisThread) a batch
 * of one worker gets an InThreadPool of its own instead when `inThreadIfOne` (the request named no worker count):
 * such a batch is a few rows (ROWS_PER_WORKER, run-batch.ts), and one worker's start, a second load of the engine's
 * code, costs more CPU and time than their bundles (a 2-row `issue-batch`: 1.3 s of CPU with its worker, see the README).
 * Closing it never closes the process's shared InThreadPool.
 */
export function batchEnginePool(workers: number, inThreadIfOne: boolean, resourceLimits?: WorkerPoolOptions['resourceLimits']): EnginePool {
  if (inThread && workers === 1 && inThreadIfOne) return new InThreadPool();
  return newEnginePool(workers, Infinity, resourceLimits);
}

/**
 * The process's shared pool: one worker per core at most, started as jobs arrive, so a long job (a PFX
 * with millions of KDF iterations) does not hold up the next. Idle workers end after 30 s and never keep
 * the process alive. After runEngineJobsInThisThread (the CLI), the InThreadPool instead.
 */
export function sharedEnginePool(): EnginePool {
  if (inThread) return inThread;
  shared ??= newEnginePool(availableParallelism());
  return shared;
}
