// The certificate details panel's data: cert.get when a certificate is selected, then each action's answer
// (revoke, renew, release a hold) re-renders it, so the panel never shows a certificate as it was before the
// action it just performed (shared/cert-actions.ts decides the buttons from the certificate's state).
import { create } from 'zustand';
import type { CertificateDetails, RenewAnswer } from '../../../shared/api.js';
import { isExportable } from '../../../shared/cert-actions.js';
import type { CertificateRecord, RevocationReason } from '../../../shared/domain.js';
import { call, messageOf } from './api.js';

interface CertDetailsState {
  id: number | null;
  data: CertificateDetails | null;
  /** cert.get's error. */
  error: string | null;
  /** What the last action did, in plain words. */
  note: string | null;
  actionError: string | null;
  /** Loads certificate `id` (a slower answer for an earlier id is dropped). */
  load(id: number): Promise<void>;
  /** Re-renders from `cert` when it is the certificate shown (a renewed certificate's new state, a revoked one's). */
  apply(cert: CertificateRecord): void;
  /** Revokes the certificate shown with `reason`; true when done (the panel shows main's answer). */
  revoke(reason: RevocationReason): Promise<boolean>;
  /** Releases the certificate shown from hold (cert.unhold); true when done. */
  releaseHold(): Promise<boolean>;
  /** A renewal finished: the renewed certificate's state from cert.renew's answer. */
  renewed(answer: RenewAnswer): void;
  setNote(note: string | null): void;
  setActionError(error: string | null): void;
  close(): void;
}

export const useCertDetails = create<CertDetailsState>((set, get) => ({
  id: null,
  data: null,
  error: null,
  note: null,
  actionError: null,
  load: async (id) => {
    set({ id, data: get().id === id ? get().data : null, error: null, note: null, actionError: null });
    try {
      const data = await call('cert.get', { id });
      if (get().id === id) set({ data });
    } catch (e) {
      if (get().id === id) set({ error: messageOf(e) });
    }
  },
  apply: (cert) => {
    const data = get().data;
    if (!data || data.certificate.id !== cert.id) return;
    set({ data: { ...data, certificate: cert, exportable: isExportable(cert) } });
  },
  revoke: async (reason) => {
    const id = get().id;
    if (id === null) return false;
    set({ actionError: null });
    try {
      const [cert] = await call('cert.revoke', { ids: [id], reason });
      get().apply(cert!);
      set({
        note: reason === 'certificateHold' ? 'Put on hold. Publish new CRLs so servers learn of it; “Release hold” makes it valid again.' : 'Revoked. Publish new CRLs so servers learn of it.',
      });
      return true;
    } catch (e) {
      set({ actionError: messageOf(e) });
      return false;
    }
  },
  releaseHold: async () => {
    const id = get().id;
    if (id === null) return false;
    set({ actionError: null });
    try {
      get().apply(await call('cert.unhold', { id }));
      set({ note: 'Released from hold: valid again. Publish new CRLs so it leaves the list.' });
      return true;
    } catch (e) {
      set({ actionError: messageOf(e) });
      return false;
    }
  },
  renewed: (answer) => {
    get().apply(answer.renewed);
    set({ note: answer.renewed.status === 'revoked' ? `Renewed as certificate ${answer.certificate.id}; this one is revoked.` : `Renewed as certificate ${answer.certificate.id}.` });
  },
  setNote: (note) => set({ note }),
  setActionError: (actionError) => set({ actionError }),
  close: () => set({ id: null, data: null, error: null, note: null, actionError: null }),
}));
