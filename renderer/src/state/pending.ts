// Interrupted work: what an earlier run committed but did not deliver (a bundle, a PEM file, CRLs), listed
// by main, finished with one button. A finished bundle's new password is in its hand-over, shown once:
// `forget` drops it (Done, or locking the vault).
import { create } from 'zustand';
import type { PendingResume } from '../../../shared/api.js';
import type { PendingDelivery } from '../../../shared/pending.js';
import { call, messageOf } from './api.js';

interface PendingState {
  items: PendingDelivery[];
  /** The last "Finish now": what was finished (with hand-overs still to be shown) and what was not. */
  result: PendingResume | null;
  busy: boolean;
  error: string | null;
  refresh(): Promise<void>;
  resume(): Promise<void>;
  abandon(id: number): Promise<void>;
  /** The officer is done with one finished delivery's hand-over: its password is dropped. */
  handedOver(id: number): void;
  forget(): void;
}

export const usePending = create<PendingState>((set, get) => ({
  items: [],
  result: null,
  busy: false,
  error: null,
  refresh: async () => {
    try {
      set({ items: await call('pending.list', {}), error: null });
    } catch (e) {
      set({ error: messageOf(e) });
    }
  },
  resume: async () => {
    set({ busy: true, error: null });
    try {
      const result = await call('pending.resume', {});
      set({ result, busy: false });
    } catch (e) {
      set({ busy: false, error: messageOf(e) });
    }
    await get().refresh();
  },
  abandon: async (id) => {
    set({ busy: true, error: null });
    try {
      set({ items: await call('pending.abandon', { ids: [id] }), busy: false });
    } catch (e) {
      set({ busy: false, error: messageOf(e) });
    }
  },
  handedOver: (id) => {
    const result = get().result;
    if (!result) return;
    const finished = result.finished.filter((f) => f.delivery.id !== id);
    set({ result: finished.length || result.failed.length ? { ...result, finished } : null });
  },
  forget: () => set({ items: [], result: null, error: null, busy: false }),
}));
