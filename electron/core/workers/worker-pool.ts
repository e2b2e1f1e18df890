// A small pool of worker threads running one worker script (see worker-host.ts for the other side), so
// CPU-bound engine work leaves the calling thread's event loop free: in the Electron main process that
// loop serves the window's IPC, its timers and every other request.
//
// Workers start on demand, up to `size`: a job goes to an idle worker, or to a new one while fewer than
// `size` exist, or else to the least busy one, where it queues. An idle worker never keeps the process
// alive (it is unref'd) and ends after `idleMs`; a busy one keeps the process alive until its answer
// arrives. A worker that crashes fails only the jobs it held; the next job starts a new one.
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { CertDeskError } from '../../../shared/errors.js';
import { fromWire, type JobReply, type JobRequest, type JobTable } from './wire.js';

export interface WorkerPoolOptions {
  /** Most workers at once (at least 1). */
  size: number;
  /** An idle worker ends after this many milliseconds; default 30 s. Infinity keeps it until close(). */
  idleMs?: number;
  /** V8 heap limits of each worker (node:worker_threads ResourceLimits), e.g. a smaller young generation; default Node's. */
  resourceLimits?: ResourceLimits;
}

interface Slot {
  readonly worker: Worker;
  busy: number;
  idleTimer: NodeJS.Timeout | null;
}

interface Pending {
  readonly slot: Slot;
  readonly resolve: (value: unknown) => void;
  readonly reject: (e: Error) => void;
}

const DEFAULT_IDLE_MS = 30_000;

/**
 * Profiling (benchmarks only): with CERTDESK_WORKER_CPU_PROF set to a folder, every worker writes a V8 CPU
 * profile there when it ends (node --cpu-prof), as the main thread does under `node --cpu-prof`.
 */
function workerOptions(): { execArgv?: string[] } {
  const dir = process.env.CERTDESK_WORKER_CPU_PROF;
  return dir ? { execArgv: ['--cpu-prof', '--cpu-prof-dir', dir] } : {};
}

export class WorkerPool<Jobs extends JobTable> {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  readonly size: number;
  private readonly idleMs: number;
  private readonly resourceLimits: ResourceLimits | undefined;

  /** `script`: the worker's module, as `new URL('./x.js', import.meta.url)` (this also loads from an asar). */
  constructor(
    private readonly script: URL,
    options: WorkerPoolOptions,
  ) {
    this.size = Math.max(1, Math.floor(options.size));
    this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
    this.resourceLimits = options.resourceLimits;
  }

  /**
   * Runs one job on a worker thread and resolves with its output. The buffers in `transfer` move to the
   * worker (they are unusable here afterwards). Rejects with the job's own error (see wire.ts), or with
   * INTERNAL when the worker dies or the pool is closed.
   */
  run<K extends keyof Jobs & string>(kind: K, input: Jobs[K]['input'], transfer: ArrayBuffer[] = []): Promise<Jobs[K]['output']> {
    if (this.closed) return Promise.reject(new CertDeskError('INTERNAL', 'the worker pool is closed'));
    const slot = this.pick();
    const id = this.nextId++;
    return new Promise<Jobs[K]['output']>((resolve, reject) => {
      this.pending.set(id, { slot, resolve: resolve as (value: unknown) => void, reject });
      this.busy(slot, +1);
      try {
        slot.worker.postMessage({ id, kind, input } satisfies JobRequest, transfer);
      } catch (e) {
        this.pending.delete(id);
        this.busy(slot, -1);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  /** Ends every worker; jobs still running are rejected. The pool takes no more jobs. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.slots].map((s) => s.worker.terminate()));
  }

  private pick(): Slot {
    const idle = this.slots.find((s) => s.busy === 0);
    if (idle) return idle;
    if (this.slots.length < this.size) return this.spawn();
    return this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
  }

  private spawn(): Slot {
    const worker = new Worker(this.script, { ...workerOptions(), ...(this.resourceLimits ? { resourceLimits: this.resourceLimits } : {}) });
    const slot: Slot = { worker, busy: 0, idleTimer: null };
    worker.unref();
    worker.on('message', (m: JobReply) => this.settle(m));
    worker.on('error', (e) => this.drop(slot, e));
    worker.on('exit', (code) => this.drop(slot, new CertDeskError('INTERNAL', `a worker thread ended (exit code ${code}) before it answered`)));
    this.slots.push(slot);
    return slot;
  }

  /** Counts jobs on a worker: a busy worker holds the process open, an idle one does not and ends after idleMs. */
  private busy(slot: Slot, delta: number): void {
    slot.busy += delta;
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    if (slot.busy > 0) {
      slot.worker.ref();
      return;
    }
    slot.worker.unref();
    if (Number.isFinite(this.idleMs)) {
      slot.idleTimer = setTimeout(() => this.retire(slot), this.idleMs);
      slot.idleTimer.unref();
    }
  }

  /** Ends an idle worker; it leaves the pool first, so no new job can be sent to it meanwhile. */
  private retire(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i < 0 || slot.busy > 0) return;
    this.slots.splice(i, 1);
    void slot.worker.terminate();
  }

  private settle(m: JobReply): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    this.busy(p.slot, -1);
    if ('error' in m) p.reject(fromWire(m.error));
    else p.resolve(m.value);
  }

  /** A worker that failed or ended: forget it, and fail the jobs it still held. */
  private drop(slot: Slot, e: Error): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    for (const [id, p] of this.pending) {
      if (p.slot !== slot) continue;
      this.pending.delete(id);
      p.reject(e instanceof CertDeskError ? e : new CertDeskError('INTERNAL', `a worker thread failed: ${e.message}`));
    }
  }
}
