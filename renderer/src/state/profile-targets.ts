// The settings screen's targets editor: a profile's preflight targets as checkboxes, saved through profile.setTargets
// (main validates the ids, stores them in the profile's authenticated definition and audits the change).
import { create } from 'zustand';
import type { ProfileTargets } from '../../../shared/api.js';
import type { PreflightTarget, ProfileId } from '../../../shared/domain.js';
import { call, messageOf } from './api.js';

interface TargetsState {
  /** What main has stored (null until loaded). */
  saved: ProfileTargets | null;
  /** The checkboxes as the officer left them. */
  draft: PreflightTarget[];
  busy: boolean;
  error: string | null;
  note: string | null;
  /** Loads the profile's targets (profile.targets); the draft starts as stored. */
  load(id: ProfileId): Promise<void>;
  /** Ticks (on) or clears (off) one target in the draft. */
  toggle(target: PreflightTarget, on: boolean): void;
  /** Whether the draft differs from what is stored. */
  dirty(): boolean;
  /** Saves the draft (profile.setTargets); true when saved. */
  save(): Promise<boolean>;
}

const onOf = (v: ProfileTargets): PreflightTarget[] => v.targets.filter((t) => t.on).map((t) => t.id);

export const useProfileTargets = create<TargetsState>((set, get) => ({
  saved: null,
  draft: [],
  busy: false,
  error: null,
  note: null,
  load: async (id) => {
    set({ busy: true, error: null, note: null });
    try {
      const saved = await call('profile.targets', { id });
      set({ saved, draft: onOf(saved), busy: false });
    } catch (e) {
      set({ busy: false, error: messageOf(e) });
    }
  },
  toggle: (target, on) => {
    const { saved, draft } = get();
    if (!saved) return;
    const next = new Set(draft);
    if (on) next.add(target);
    else next.delete(target);
    // In the list's order, so the stored list reads like the editor.
    set({ draft: saved.targets.map((t) => t.id).filter((t) => next.has(t)), note: null });
  },
  dirty: () => {
    const { saved, draft } = get();
    return saved !== null && (saved.isDefault || JSON.stringify(onOf(saved)) !== JSON.stringify(draft));
  },
  save: async () => {
    const { saved, draft } = get();
    if (!saved) return false;
    set({ busy: true, error: null, note: null });
    try {
      const next = await call('profile.setTargets', { id: saved.profile, targets: draft });
      set({ saved: next, draft: onOf(next), busy: false, note: `Saved the targets of the ${next.profile} profile.` });
      return true;
    } catch (e) {
      set({ busy: false, error: messageOf(e) });
      return false;
    }
  },
}));
