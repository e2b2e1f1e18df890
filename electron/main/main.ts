// The Electron main process: one hardened window showing the renderer from app://certdesk, and the typed
// API registered over IPC. It stays thin: the service (electron/service) and the engine (electron/core)
// do the work and never import electron. `--self-test` runs the scripted flow of self-test.ts instead of
// waiting for a person. In `npm test` this very file runs under the Electron stand-in (test/electron-standin).
import { app, BrowserWindow, dialog, protocol, session } from 'electron';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { useSqliteBinding } from '../core/vault/sqlite.js';
import { defaultVaultPath } from '../core/vault/location.js';
import { ServiceSession } from '../service/session.js';
import { createHandlerTable } from '../service/table.js';
import { APP_SCHEME, appUrl } from './app-url.js';
import { hostHandlers } from './host.js';
import { registerApi } from './ipc.js';
import { electronBindingPath } from './native-binding.js';
import { serveRendererRequest } from './renderer-files.js';
import { removeQuietly, runSelfTest, SELF_TEST_DEADLINE_MS, SELF_TEST_FLAG, selfTestPlace } from './self-test.js';

const APP_DIR = app.getAppPath();
const RENDERER_DIR = join(APP_DIR, 'dist', 'ui');
const PRELOAD = join(APP_DIR, 'dist', 'preload', 'preload.cjs');
const ICON = join(RENDERER_DIR, 'icon.png');

// A self-test keeps its Chromium profile, its single-instance lock and its vault in one temporary folder,
// so it runs beside an open CertDesk and leaves nothing behind. userData must be set before 'ready'.
const selfTest = process.argv.includes(SELF_TEST_FLAG) ? selfTestPlace() : null;
if (selfTest) app.setPath('userData', selfTest.userData);

// Before 'ready' (https://www.electronjs.org/docs/latest/api/protocol#protocolregisterschemesasprivilegedcustomschemes).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false } }]);
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;

function createWindow(): BrowserWindow {
  // AUXCLICK_JS_CHECK asks for disableBlinkFeatures: 'Auxclick', a Chromium flag that no longer exists
  // (electron/electron#10315). What it guards against, a middle-click opening a new window, goes through
  // setWindowOpenHandler since Electron 12 (electron/electron#28664), which denies every window below.
  const win = new BrowserWindow({ // eng-disable AUXCLICK_JS_CHECK
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 640,
    title: 'CertDesk',
    icon: ICON,
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      // PRELOAD_JS_CHECK flags every preload for review. Reviewed: electron/preload/preload.ts exposes one
      // function per typed-API channel through contextBridge (never ipcRenderer itself), in a sandbox, and
      // ipc.ts checks every call's sender.
      preload: PRELOAD, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      // A packaged build cannot open DevTools (no menu item, no shortcut, no openDevTools()).
      devTools: !app.isPackaged,
    },
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.on('will-redirect', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // Shown in a self-test too: a hidden window's timers are throttled, and the officer sees the steps run.
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(appUrl('index.html'));
  return win;
}

/** Everything after 'ready': native binding, permissions, the app:// handler, the API, the window. */
function start(): void {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  try {
    if (!app.isPackaged) useSqliteBinding(electronBindingPath(APP_DIR));
  } catch (e) {
    if (selfTest) log(`FAIL 0 native SQLite binding: ${(e as Error).message}`);
    else dialog.showErrorBox('CertDesk cannot open its vault', (e as Error).message);
    finish(1);
    return;
  }
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.setDevicePermissionHandler(() => false);
  protocol.handle(APP_SCHEME, (request) => serveRendererRequest(RENDERER_DIR, request));

  const service = new ServiceSession({ vaultPath: selfTest?.vault ?? (process.env.CERTDESK_VAULT || defaultVaultPath()) });
  const windowOf = () => mainWindow ?? BrowserWindow.getAllWindows()[0]!;
  // The self-test's own vault and export folder are main's choice, not the renderer's: granted as if chosen.
  if (selfTest) {
    service.grants.grantFile(selfTest.vault);
    service.grants.grantFolder(selfTest.exportDir);
  }
  registerApi({ ...createHandlerTable(service), ...hostHandlers(windowOf, service.grants, service.reads) }, () => mainWindow);
  app.on('before-quit', () => service.close());

  mainWindow = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });

  if (selfTest) {
    const win = mainWindow;
    mkdirSync(selfTest.exportDir, { recursive: true });
    // Whatever happens, the self-test ends: a page that never loads, or a step that never answers, is a FAIL.
    const deadline = setTimeout(() => {
      log(`FAIL the self-test did not finish within ${SELF_TEST_DEADLINE_MS / 1000} s`);
      service.close();
      finish(1);
    }, SELF_TEST_DEADLINE_MS);
    win.webContents.once('did-fail-load', (_e, code, description, url) => {
      clearTimeout(deadline);
      log(`FAIL 0 the window could not load ${url}: ${description} (${code})`);
      service.close();
      finish(1);
    });
    win.webContents.once('did-finish-load', () => {
      void runSelfTest(win.webContents, selfTest, log).then((passed) => {
        clearTimeout(deadline);
        service.close();
        finish(passed ? 0 : 1);
      });
    });
  }
}

/**
 * Leaves at once: app.exit closes every window without 'before-quit' (the self-test closed its vault
 * itself). A self-test's folder holds the live Chromium profile, which Windows will not let go of while
 * the window exists: it is removed now if it can be, else when the process ends, else by the next
 * self-test (selfTestPlace sweeps folders of self-tests that are gone). Cleaning never stops the exit.
 */
function finish(code: number): void {
  if (selfTest) {
    const root = selfTest.root;
    if (!removeQuietly(root)) {
      process.once('exit', () => {
        if (!removeQuietly(root)) process.stderr.write(`self-test: ${root} is still in use; the next self-test removes it\n`);
      });
    }
  }
  app.exit(code);
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

// One CertDesk per profile: a second start focuses the first window instead of opening another on the
// same vault (https://www.electronjs.org/docs/latest/api/app#apprequestsingleinstancelockadditionaldata).
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  void app.whenReady().then(start);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
