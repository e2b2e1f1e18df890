// The session: is there a vault, is it unlocked. Polled quietly so an auto-lock in main shows at once;
// the officer's keystrokes and clicks count as activity (at most one ping every 30 s).
import { create } from 'zustand';
import type { SessionStatus } from '../../../shared/api.js';
import { call, messageOf, onVaultLocked } from './api.js';

export const POLL_MS = 5_000;
export const ACTIVITY_PING_MS = 30_000;

interface SessionState {
  status: SessionStatus | null;
  error: string | null;
  busy: boolean;
  /** Bumped on every lock so screens drop what they showed (and the stores their data). */
  lockCount: number;
  refresh(passive?: boolean): Promise<void>;
  create(passphrase: string): Promise<boolean>;
  unlock(passphrase: string): Promise<boolean>;
  lock(): Promise<void>;
  openOther(): Promise<void>;
  /** Opens the vault file at `path` (one a dialog answered: a restored vault); the current one is locked and closed. */
  openPath(path: string): Promise<boolean>;
  activity(now?: number): void;
  clearError(): void;
}

let lastPing = 0;

export const useSession = create<SessionState>((set, get) => {
  const run = async (fn: () => Promise<SessionStatus>): Promise<boolean> => {
    set({ busy: true, error: null });
    try {
      const status = await fn();
      set({ status, busy: false });
      return true;
    } catch (e) {
      set({ busy: false, error: messageOf(e) });
      return false;
    }
  };
  const setStatus = (status: SessionStatus) => {
    const was = get().status?.state;
    set({ status, lockCount: was === 'unlocked' && status.state !== 'unlocked' ? get().lockCount + 1 : get().lockCount });
  };
  onVaultLocked(() => void get().refresh());
  return {
    status: null,
    error: null,
    busy: false,
    lockCount: 0,
    refresh: async (passive = true) => {
      try {
        setStatus(await call('session.status', { passive }));
      } catch (e) {
        set({ error: messageOf(e) });
      }
    },
    create: (passphrase) => run(() => call('vault.create', { passphrase })),
    unlock: (passphrase) => run(() => call('vault.unlock', { passphrase })),
    lock: async () => {
      try {
        setStatus(await call('vault.lock', {}));
      } catch (e) {
        set({ error: messageOf(e) });
      }
    },
    openOther: async () => {
      set({ error: null });
      try {
        const choice = await call('dialog.openVault', {});
        if (choice) setStatus(await call('vault.open', { path: choice.path }));
      } catch (e) {
        set({ error: messageOf(e) });
      }
    },
    openPath: async (path) => {
      set({ error: null });
      try {
        setStatus(await call('vault.open', { path }));
        return true;
      } catch (e) {
        set({ error: messageOf(e) });
        return false;
      }
    },
    activity: (now = Date.now()) => {
      if (get().status?.state !== 'unlocked' || now - lastPing < ACTIVITY_PING_MS) return;
      lastPing = now;
      void get().refresh(false);
    },
    clearError: () => set({ error: null }),
  };
});
