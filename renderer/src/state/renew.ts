// The renew dialog: preflight's findings for the successor (cert.renewCheck, again when the days change), the
// override with a reason for its errors, and the renewal itself (cert.renew with the reason, audited by main).
import { create } from 'zustand';
import type { RenewalCheck, RenewAnswer } from '../../../shared/api.js';
import type { DeviceId } from '../../../shared/devices.js';
import type { PfxEncryption } from '../../../shared/domain.js';
import { call, messageOf } from './api.js';
import { badDays, daysOf } from './days.js';
import { NO_OVERRIDE, overrideBlocker, overrideReason, type OverrideDraft } from './override.js';

interface RenewState {
  id: number | null;
  /** The days field as typed; empty: the profile's validity. */
  days: string;
  check: RenewalCheck | null;
  override: OverrideDraft;
  busy: boolean;
  error: string | null;
  /** Opens the dialog for certificate `id`: clears the form and loads the findings. */
  open(id: number): Promise<void>;
  /** Changes the days and reloads the findings (a blank or malformed value: the profile's, and an error shown). */
  setDays(days: string): Promise<void>;
  setOverride(o: OverrideDraft): void;
  /** What stops "Renew and export", or null. */
  blocker(): string | null;
  /**
   * Renews and exports to `delivery` (its devices decide the PFX form in main; else its encryption); main's answer
   * (the successor's hand-over, and the renewed certificate as it now is, for the details panel to re-render
   * from), or null on an error (in `error`).
   */
  renew(delivery: { folder: string; encryption?: PfxEncryption; devices?: DeviceId[] }, revokeOld: boolean): Promise<RenewAnswer | null>;
}

export const useRenew = create<RenewState>((set, get) => {
  const refresh = async () => {
    const { id, days } = get();
    if (id === null) return;
    const n = daysOf(days);
    if (Number.isNaN(n)) {
      set({ check: null, error: badDays(days) });
      return;
    }
    try {
      const check = await call('cert.renewCheck', { id, days: n });
      // A slower answer for an earlier value must not overwrite the current one.
      if (get().id === id && get().days === days) set({ check, error: null });
    } catch (e) {
      if (get().id === id && get().days === days) set({ check: null, error: messageOf(e) });
    }
  };
  return {
    id: null,
    days: '',
    check: null,
    override: NO_OVERRIDE,
    busy: false,
    error: null,
    open: async (id) => {
      set({ id, days: '', check: null, override: NO_OVERRIDE, busy: false, error: null });
      await refresh();
    },
    setDays: async (days) => {
      set({ days });
      await refresh();
    },
    setOverride: (override) => set({ override }),
    blocker: () => overrideBlocker(get().check?.findings ?? [], get().override, 'renew'),
    renew: async (delivery, revokeOld) => {
      const { id, days, override } = get();
      if (id === null || get().blocker() !== null) return null;
      if (Number.isNaN(daysOf(days))) {
        set({ error: badDays(days) });
        return null;
      }
      set({ busy: true, error: null });
      try {
        const answer = await call('cert.renew', { id, revokeOld, days: daysOf(days), override: overrideReason(override), ...delivery });
        set({ busy: false });
        return answer;
      } catch (e) {
        set({ busy: false, error: messageOf(e) });
        return null;
      }
    },
  };
});
