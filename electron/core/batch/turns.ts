// Cooperative yielding for the main-thread steps of a batch's concurrent rows (signing, vault writes,
// writing a bundle): each step starts in an event-loop turn of its own, one step per turn, so however many
// rows' worker-thread results arrive together, their steps never pile up into one long turn that would keep
// the window's next message waiting. The heavy work itself runs on worker threads (crypto-pool.ts).

/**
 * A turn taker: `await take()` resumes the caller in a later event-loop turn, after the steps queued before
 * it, each in a turn of its own. The step is what the caller runs synchronously after resuming, up to its
 * next await. Between two steps the loop polls for I/O (IPC from the window, timers).
 */
export function turnTaker(): () => Promise<void> {
  const waiting: (() => void)[] = [];
  let scheduled = false;
  // setImmediate from within an immediate callback runs in the next turn, after the poll phase.
  const next = (): void => {
    scheduled = false;
    waiting.shift()?.();
    if (waiting.length > 0) schedule();
  };
  const schedule = (): void => {
    scheduled = true;
    setImmediate(next);
  };
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (!scheduled) schedule();
    });
}
