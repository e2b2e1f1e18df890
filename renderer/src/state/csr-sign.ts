// The CSR screen: the request as read by main, what signing it with a CA and profile for the days given would
// carry and preflight's findings (csr.inspect, again on every change), "Override with reason" for an error, and the
// signing (csr.sign with the reason, audited by main).
import { create } from 'zustand';
import type { CsrInspection } from '../../../shared/api.js';
import type { CertificateRecord, PreflightFinding, ProfileId, San } from '../../../shared/domain.js';
import { call, messageOf } from './api.js';
import { badDays, daysOf } from './days.js';
import { NO_OVERRIDE, overrideBlocker, overrideReason, type OverrideDraft } from './override.js';

export interface CsrSigned {
  certificate: CertificateRecord;
  droppedSans: San[];
  droppedSubject: string[];
  findings: PreflightFinding[];
  file: string;
}

interface CsrSignState {
  file: { name: string; base64: string } | null;
  info: CsrInspection | null;
  ca: number | null;
  profile: ProfileId;
  /** The days field as typed; empty: the profile's validity. */
  days: string;
  /** With a CA chosen: the certificate as it would be signed, with its findings. */
  plan: CsrInspection['plan'];
  override: OverrideDraft;
  busy: boolean;
  error: string | null;
  done: CsrSigned | null;
  /** Reads a dropped request (csr.inspect without a CA) and, with a CA chosen, plans it. */
  load(file: { name: string; base64: string }): Promise<void>;
  /**
   * With a request loaded, chooses the first of `caIds` (the CAs that can sign, as the screen lists them) when no CA is chosen yet, and
   * plans: what the profile leaves out shows as soon as a request is loaded, before anything is signed.
   */
  preselectCa(caIds: number[]): Promise<void>;
  /** Changes the CA, profile or days and plans again. */
  set(patch: Partial<Pick<CsrSignState, 'ca' | 'profile' | 'days'>>): Promise<void>;
  setOverride(o: OverrideDraft): void;
  /** What stops "Sign", or null. */
  blocker(): string | null;
  /** Signs into `folder`; true when signed (the result in `done`). */
  sign(folder: string): Promise<boolean>;
  reset(): void;
}

const EMPTY = { file: null, info: null, ca: null, profile: 'server' as ProfileId, days: '', plan: null, override: NO_OVERRIDE, busy: false, error: null, done: null };

export const useCsrSign = create<CsrSignState>((set, get) => {
  /** Plans the current request with the current CA, profile and days; a later change wins over a slower answer. */
  const plan = async () => {
    const { file, info, ca, profile, days } = get();
    set({ plan: null });
    if (!file || !info || ca === null) return;
    const n = daysOf(days);
    if (Number.isNaN(n)) {
      set({ error: badDays(days) });
      return;
    }
    const current = () => get().file === file && get().ca === ca && get().profile === profile && get().days === days;
    try {
      const r = await call('csr.inspect', { csr: file.base64, ca, profile, days: n });
      if (current()) set({ plan: r.plan, error: null });
    } catch (e) {
      if (current()) set({ error: messageOf(e) });
    }
  };
  return {
    ...EMPTY,
    load: async (file) => {
      set({ file, info: null, plan: null, done: null, error: null, override: NO_OVERRIDE });
      try {
        const info = await call('csr.inspect', { csr: file.base64 });
        if (get().file !== file) return;
        set({ info });
      } catch (e) {
        set({ error: messageOf(e) });
        return;
      }
      await plan();
    },
    preselectCa: async (caIds) => {
      if (!get().file || get().ca !== null || caIds.length === 0) return;
      set({ ca: caIds[0]! });
      await plan();
    },
    set: async (patch) => {
      set({ ...patch, error: null });
      await plan();
    },
    setOverride: (override) => set({ override }),
    blocker: () => overrideBlocker(get().plan?.findings ?? [], get().override, 'sign'),
    sign: async (folder) => {
      const { file, ca, profile, days, override } = get();
      if (!file || ca === null || get().blocker() !== null) return false;
      const n = daysOf(days);
      if (Number.isNaN(n)) {
        set({ error: badDays(days) });
        return false;
      }
      set({ busy: true, error: null });
      try {
        const done = await call('csr.sign', { csr: file.base64, ca, profile, days: n, override: overrideReason(override), folder });
        set({ done, busy: false });
        return true;
      } catch (e) {
        set({ busy: false, error: messageOf(e) });
        return false;
      }
    },
    reset: () => set({ ...EMPTY }),
  };
});
