// Which screen is showing. A tiny store rather than a router: the app has one window and no URLs.
import { create } from 'zustand';

export const SCREENS = ['dashboard', 'issue', 'batch', 'csr', 'certificates', 'recipients', 'authorities', 'crls', 'settings', 'audit'] as const;
export type Screen = (typeof SCREENS)[number];

export const SCREEN_TITLES: Record<Screen, string> = {
  dashboard: 'Dashboard',
  issue: 'Issue a certificate',
  batch: 'Batch from CSV',
  csr: 'Sign a CSR',
  certificates: 'Certificates',
  recipients: 'Recipients',
  authorities: 'Certificate authorities',
  crls: 'Revocation lists',
  settings: 'Settings',
  audit: 'Audit log',
};

interface NavState {
  screen: Screen;
  /** A certificate to open in the Certificates screen's details panel. */
  certificateId: number | null;
  go(screen: Screen, certificateId?: number | null): void;
}

export const useNav = create<NavState>((set) => ({
  screen: 'dashboard',
  certificateId: null,
  go: (screen, certificateId = null) => set({ screen, certificateId }),
}));
