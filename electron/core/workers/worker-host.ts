// The worker-thread side of a WorkerPool: answers each job message with its handler's output or error.
// Jobs on one worker run one after another as their promises allow; the pool spreads them over workers.
import { parentPort } from 'node:worker_threads';
import { toWire, type JobReply, type JobRequest, type JobTable } from './wire.js';

/** What a handler answers: the output, and the buffers inside it to move (not copy) back to the caller. */
export interface Answer<T> {
  value: T;
  transfer?: ArrayBuffer[];
}

export type JobHandlers<Jobs extends JobTable> = { [K in keyof Jobs]: (input: Jobs[K]['input']) => Promise<Answer<Jobs[K]['output']>> };

/**
 * Serves `handlers` on this worker thread's parent port. Throws when called outside a worker thread.
 * An unknown job kind is answered with an error, never left hanging.
 */
export function serveJobs<Jobs extends JobTable>(handlers: JobHandlers<Jobs>): void {
  const port = parentPort;
  if (!port) throw new Error('serveJobs runs in a worker thread');
  port.on('message', (m: JobRequest) => {
    const handler = Object.hasOwn(handlers, m.kind) ? (handlers[m.kind] as (input: unknown) => Promise<Answer<unknown>>) : undefined;
    const work = handler ? Promise.resolve().then(() => handler(m.input)) : Promise.reject(new Error(`unknown worker job "${m.kind}"`));
    const fail = (e: unknown) => port.postMessage({ id: m.id, error: toWire(e) } satisfies JobReply);
    work.then((answer) => {
      try {
        port.postMessage({ id: m.id, value: answer.value } satisfies JobReply, answer.transfer ?? []);
      } catch (e) {
        fail(e); // an answer that cannot be cloned is a bug in the handler, reported like any other
      }
    }, fail);
  });
}
