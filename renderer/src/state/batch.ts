// The batch wizard: a CSV file checked by main (every bad row at once), then a run in main whose
// progress is polled until it ends. Stopping lets the rows in flight finish; the same file resumes.
import { create } from 'zustand';
import type { BatchCheck, BatchJob } from '../../../shared/api.js';
import type { DeviceId } from '../../../shared/devices.js';
import type { PfxEncryption, ProfileId } from '../../../shared/domain.js';
import { call, messageOf } from './api.js';

export const PROGRESS_POLL_MS = 250;

interface BatchState {
  file: { name: string; base64: string } | null;
  ca: number | null;
  profile: ProfileId;
  encryption: PfxEncryption;
  /** What will install the bundles (issue 14): main derives the PFX form from it; empty: `encryption`. */
  devices: DeviceId[];
  check: BatchCheck | null;
  folder: string;
  passwordsFile: string;
  job: BatchJob | null;
  busy: boolean;
  error: string | null;
  set(patch: Partial<Pick<BatchState, 'file' | 'ca' | 'profile' | 'encryption' | 'devices' | 'folder' | 'passwordsFile'>>): void;
  runCheck(): Promise<void>;
  start(): Promise<void>;
  cancel(): Promise<void>;
  reset(): void;
}

export const useBatch = create<BatchState>((set, get) => {
  const poll = async (jobId: string) => {
    try {
      const job = await call('batch.progress', { jobId });
      set({ job });
      if (job.state === 'running') setTimeout(() => void poll(jobId), PROGRESS_POLL_MS);
    } catch (e) {
      set({ error: messageOf(e) });
    }
  };
  return {
    file: null,
    ca: null,
    profile: 'user',
    encryption: 'modern',
    devices: [],
    check: null,
    folder: '',
    passwordsFile: '',
    job: null,
    busy: false,
    error: null,
    set: (patch) => set({ ...patch, ...('file' in patch || 'ca' in patch || 'profile' in patch ? { check: null } : {}) }),
    runCheck: async () => {
      const { file, ca, profile } = get();
      if (!file || ca === null) return;
      set({ busy: true, error: null });
      try {
        set({ check: await call('batch.check', { csv: file.base64, ca, profile }), busy: false });
      } catch (e) {
        set({ busy: false, error: messageOf(e) });
      }
    },
    start: async () => {
      const { file, ca, profile, folder, passwordsFile, encryption, devices } = get();
      if (!file || ca === null) return;
      set({ busy: true, error: null });
      try {
        const job = await call('batch.start', { csv: file.base64, fileName: file.name, ca, profile, folder, passwordsFile, ...(devices.length ? { devices } : { encryption }) });
        set({ job, busy: false });
        void poll(job.jobId);
      } catch (e) {
        set({ busy: false, error: messageOf(e) });
      }
    },
    cancel: async () => {
      const job = get().job;
      if (job) set({ job: await call('batch.cancel', { jobId: job.jobId }) });
    },
    reset: () => set({ file: null, check: null, job: null, error: null, busy: false }),
  };
});
