// A pool without threads: runs each job's handler on the calling thread, for the certdesk CLI. A worker thread
// keeps the Electron main process's event loop free to answer the window; a command-line process has no window,
// and a worker would only cost it a thread start and a second load of the engine's code (about 0.5 s of CPU per
// command, which a one-certificate `issue --out` spent mostly on that). Batches keep their workers (crypto-pool.ts)
// for the second core, except those small enough for one worker (engine-pool.ts batchEnginePool).
import { CertDeskError } from '../../../shared/errors.js';
import type { EngineJobs } from './engine-jobs.js';
import { fromWire, toWire } from './wire.js';
import type { Answer } from './worker-host.js';

/**
 * The WorkerPool interface (run, close) over engine-handlers.ts, in this thread. A job sees what a worker would:
 * its input is a structured clone with the `transfer` buffers moved (detached here, as postMessage leaves them),
 * its answer is cloned back the same way, and an error comes back as it crosses the wire (wire.ts toWire then
 * fromWire: a CertDeskError with its code and details, else a plain Error). The handlers load on the first job.
 * Rejects with CertDeskError INTERNAL once closed, and with an Error for an unknown job kind, as WorkerPool does.
 */
export class InThreadPool {
  private closed = false;

  async run<K extends keyof EngineJobs & string>(kind: K, input: EngineJobs[K]['input'], transfer: ArrayBuffer[] = []): Promise<EngineJobs[K]['output']> {
    if (this.closed) throw new CertDeskError('INTERNAL', 'the engine pool is closed');
    const request = structuredClone(input, { transfer });
    const { engineHandlers } = await import('./engine-handlers.js');
    if (!Object.hasOwn(engineHandlers, kind)) throw new Error(`unknown worker job "${kind}"`);
    const handler = engineHandlers[kind] as (input: EngineJobs[K]['input']) => Promise<Answer<EngineJobs[K]['output']>>;
    let answer: Answer<EngineJobs[K]['output']>;
    try {
      answer = await handler(request);
    } catch (e) {
      throw fromWire(toWire(e));
    }
    return structuredClone(answer.value, { transfer: answer.transfer ?? [] }) as EngineJobs[K]['output'];
  }

  /** Takes no more jobs. */
  async close(): Promise<void> {
    this.closed = true;
  }
}
