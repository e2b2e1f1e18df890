// The test harness: the real Electron main process (package.json's main, the app:// handler, the IPC
// registration with its sender check, the host channels, the service) under the Electron stand-in
// (test/electron-standin), with the main window's page shown in a browser through the stand-in's bridge:
// the built renderer as the protocol handler serves it, the real preload bundle, and IPC calls delivered as
// calls from the window's main frame. Dialogs answer what a test queues (else the export folder, a file
// in the work folder, or Cancel for "open a vault" and "choose a PKCS#11 module"); printing is recorded and
// reports "cancelled". A PKCS#11 module installed at a well-known path (SoftHSM2's) is offered without a dialog,
// as in the app; a test queues answer('openModule', path) to choose one through "Choose module file…".
// It never ships.
import { basename, join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { SessionStatus } from '../../shared/api.js';
import { app } from '../electron-standin/app.js';
import { makeAppDir } from '../electron-standin/app-dir.js';
import { closeAllBridges, existingBridge } from '../electron-standin/bridge.js';
import { chromiumDriver } from '../electron-standin/chromium.js';
import { clipboardRecord, dialogs } from '../electron-standin/dialog.js';
import { invokeFrom } from '../electron-standin/ipc-main.js';
import { attachRenderer } from '../electron-standin/renderer.js';
import { startMain } from '../electron-standin/start.js';
import { allWindows, printed, type BrowserWindow } from '../electron-standin/windows.js';
import { watchChannels, type ChannelTraffic } from './traffic.js';

export interface HarnessOptions {
  vaultPath: string;
  /** The work folder: the app folder, the Chromium profile, the export folder and saved files go here. */
  workDir: string;
  /** A browser to show the windows in (their pages become real); without one, open `url` yourself. */
  browser?: Browser;
  /** Called with each page before it loads (the main window's and print windows'). */
  onPage?: (page: Page) => void;
}

export interface HostRecord {
  /** What the app printed or saved as PDF: the print window's title and the HTML it showed. */
  readonly prints: { title: string; pdf: boolean; html: string }[];
  readonly clipboard: string[];
  readonly dialogs: string[];
}

export interface Harness {
  /** The main window's page, for a browser (it carries the bridge's token). */
  url: string;
  /** The main window's page in `browser`, when one was given. */
  page: Page | null;
  record: HostRecord;
  /** The IPC calls the page made, per channel: counted, their requests kept, holdable (traffic.ts). */
  traffic: ChannelTraffic;
  /** Queues the path the next dialog of this kind answers (null: the officer cancels); open dialogs share one queue. */
  answer(kind: 'openVault' | 'openFile' | 'openModule' | 'chooseFolder' | 'saveFile', path: string | null): void;
  /** session.status, asked from the main window as the renderer would. */
  status(): Promise<SessionStatus>;
  close(): Promise<void>;
}

function htmlOfDataUrl(url: string): string {
  const comma = url.indexOf(',');
  return comma < 0 ? '' : decodeURIComponent(url.slice(comma + 1));
}

export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const exportDir = join(opts.workDir, 'export');
  mkdirSync(exportDir, { recursive: true });
  const appDir = makeAppDir(join(opts.workDir, 'app'));
  dialogs.openFallback = (o) => (o.properties?.includes('openDirectory') ? [exportDir] : null);
  dialogs.saveFallback = (o) => join(opts.workDir, basename(o.defaultPath ?? 'file'));
  if (opts.browser) attachRenderer(chromiumDriver(opts.browser, { onPage: opts.onPage }));

  await startMain({ appPath: appDir, userData: join(opts.workDir, 'profile'), env: { CERTDESK_VAULT: opts.vaultPath } });
  const win: BrowserWindow | undefined = allWindows()[0];
  if (!win) throw new Error('the main process opened no window');
  for (let i = 0; i < 1000 && !(win.webContents.getURL() && (!opts.browser || win.webContents.page)); i++) await new Promise((r) => setTimeout(r, 20));
  const bridge = existingBridge(win.webContents);
  if (!bridge) throw new Error(`the main window did not load the app (it shows "${win.webContents.getURL()}")`);

  const traffic = watchChannels();
  const record: HostRecord = {
    get prints() {
      return printed.map((p) => ({ title: p.contents.window?.getTitle() ?? '', pdf: p.pdf, html: htmlOfDataUrl(p.contents.getURL()) }));
    },
    clipboard: clipboardRecord,
    get dialogs() {
      return dialogs.calls.map((c) => (c.kind === 'save' ? 'saveFile' : c.kind === 'errorBox' ? 'errorBox' : (c.options as { properties?: string[] }).properties?.includes('openDirectory') ? 'chooseFolder' : c.options.title === 'Open a CertDesk vault' ? 'openVault' : c.options.title === 'Choose a PKCS#11 module' ? 'openModule' : 'openFile'));
    },
  };
  return {
    url: bridge.pageUrl(win.webContents.getURL()),
    page: (win.webContents.page?.handle as Page | undefined) ?? null,
    record,
    traffic,
    answer: (kind, path) => {
      if (kind === 'saveFile') dialogs.saveQueue.push(path);
      else dialogs.openQueue.push(path === null ? null : [path]);
    },
    status: async () => {
      const r = (await invokeFrom(win.webContents, win.webContents.mainFrame, 'session.status', {})) as { ok: true; data: SessionStatus } | { ok: false; message: string };
      if (!r.ok) throw new Error(r.message);
      return r.data;
    },
    close: async () => {
      app.quit(); // before-quit: main closes the vault
      if (app.exitCode === null) app.exit(0);
      await closeAllBridges();
    },
  };
}
