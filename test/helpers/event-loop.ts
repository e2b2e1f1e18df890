// Whether an operation leaves this thread's event loop free while it runs, measured by what else gets
// done meanwhile, never by a clock: a chain of setImmediate pings counts the loop's turns, and a probe
// (a second call, as the window's next IPC message would arrive) starts in a later turn than the operation.
// Work done synchronously on this thread holds both back until it ends: the pings then count a handful
// of turns at most and the probe answers after the operation. Work on a worker thread, or work that
// yields, leaves the loop turning thousands of times meanwhile.
//
// Work that only partly blocks (a synchronous stretch between two real waits) can still let the loop turn
// many times; for the PKCS#12 KDF, the heaviest such work, kdfRoundsHere counts its rounds on this thread.
import { pkcs12KdfRounds } from '../../electron/core/pki/pkcs12-kdf.js';

/**
 * Fewest loop turns to accept as "the loop stayed free". A synchronous implementation gives 0 to about
 * 5 here (its few real awaits); a free loop turns tens of thousands of times during the same work.
 */
export const MIN_FREE_TURNS = 100;

export interface Overlap<T> {
  /** What the operation resolved with. */
  result: T;
  /** Event-loop turns (setImmediate pings) that ran after the operation started and before it settled. */
  turns: number;
  /** Whether the probe, started in a later turn than the operation, finished before the operation did. */
  probeFirst: boolean;
}

/**
 * Starts `operation`, then, from the next event-loop turn on, `probe` and a chain of setImmediate pings;
 * reports what ran before the operation settled. Rejects when either the operation or the probe rejects.
 */
export async function overlapWith<T>(operation: () => Promise<T>, probe: () => Promise<unknown>): Promise<Overlap<T>> {
  let settled = false;
  let turns = 0;
  let probeFirst = false;
  const done = operation().finally(() => {
    settled = true;
  });
  const probed = new Promise<void>((resolve, reject) => {
    setImmediate(() => {
      probe().then(() => {
        probeFirst = !settled;
        resolve();
      }, reject);
    });
  });
  const ping = (): void => {
    if (settled) return;
    turns++;
    setImmediate(ping);
  };
  setImmediate(ping);
  const result = await done;
  await probed;
  return { result, turns, probeFirst };
}

/**
 * Runs `fn` and counts the rounds of the RFC 7292 appendix B KDF (electron/core/pki/pkcs12-kdf.ts) run on this
 * thread meanwhile, from the KDF's own per-thread count: a worker thread has its own, so rounds run there are not
 * counted. The engine under test must be the dist/electron modules this helper imports (the service tests run
 * them in-process), not a bundled copy; the first test of test/service/event-loop.test.ts shows that a KDF run
 * here is counted.
 */
export async function kdfRoundsHere<T>(fn: () => Promise<T>): Promise<{ result: T; rounds: number }> {
  const before = pkcs12KdfRounds.count;
  const result = await fn();
  return { result, rounds: pkcs12KdfRounds.count - before };
}
