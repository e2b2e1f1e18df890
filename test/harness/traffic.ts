// What the renderer asks main, as the harness sees it: every IPC channel's handler is wrapped so a test
// can count the calls a channel received, read their requests, see how many were outstanding at once,
// and hold a channel's calls (they wait, unanswered, until released) to play a slow main process without
// any timing, or fail them to play a main process that cannot answer. Counts, not clocks: issue 13's table tests
// assert how many list requests were served.
import { ipcMain } from '../electron-standin/ipc-main.js';

export interface ChannelTraffic {
  /** The requests `channel` received so far, in order (the renderer's request objects). */
  requests(channel: string): unknown[];
  /** The most calls of `channel` received and not yet answered at one time. */
  maxOutstanding(channel: string): number;
  /** Calls of `channel` received and not yet answered now (held ones included). */
  outstanding(channel: string): number;
  /** From now on calls of `channel` wait unanswered until release(channel). */
  hold(channel: string): void;
  /** Lets every held call of `channel` run, in the order received, and stops holding. */
  release(channel: string): void;
  /** From now on calls of `channel` are rejected with an Error carrying `message` (null: they run again), unhandled by main. */
  fail(channel: string, message: string | null): void;
  /** Forgets the requests and the maxima counted so far (holds stay as they are). */
  clear(): void;
}

interface ChannelState {
  requests: unknown[];
  outstanding: number;
  max: number;
  held: (() => void)[] | null;
  failure: string | null;
}

/**
 * Wraps the handler of every channel registered with the stand-in's ipcMain now (call it once main has
 * registered its channels). The wrapped handler passes the event and arguments through unchanged.
 */
export function watchChannels(): ChannelTraffic {
  const states = new Map<string, ChannelState>();
  const state = (channel: string): ChannelState => {
    let s = states.get(channel);
    if (!s) states.set(channel, (s = { requests: [], outstanding: 0, max: 0, held: null, failure: null }));
    return s;
  };
  for (const channel of ipcMain.channels()) {
    const inner = ipcMain.handlerFor(channel)!;
    ipcMain.removeHandler(channel);
    ipcMain.handle(channel, async (event, ...args) => {
      const s = state(channel);
      s.requests.push(args[0]);
      s.outstanding++;
      s.max = Math.max(s.max, s.outstanding);
      try {
        if (s.held) await new Promise<void>((go) => s.held!.push(go));
        if (s.failure !== null) throw new Error(s.failure);
        return await inner(event, ...args);
      } finally {
        s.outstanding--;
      }
    });
  }
  return {
    requests: (channel) => [...state(channel).requests],
    maxOutstanding: (channel) => state(channel).max,
    outstanding: (channel) => state(channel).outstanding,
    hold: (channel) => {
      state(channel).held ??= [];
    },
    release: (channel) => {
      const s = state(channel);
      const waiting = s.held ?? [];
      s.held = null;
      for (const go of waiting) go();
    },
    fail: (channel, message) => {
      state(channel).failure = message;
    },
    clear: () => {
      for (const s of states.values()) {
        s.requests = [];
        s.max = s.outstanding;
      }
    },
  };
}
