// The Electron main process: one hardened window showing the renderer from app://, and the typed API
// registered over IPC. It stays thin: the service (electron/service) and the engine (electron/core) do
// the work and never import electron.
import { app, BrowserWindow, dialog, net, protocol, session } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { useSqliteBinding } from '../core/vault/sqlite.js';
import { defaultVaultPath } from '../core/vault/location.js';
import { ServiceSession } from '../service/session.js';
import { createHandlerTable } from '../service/table.js';
import { SECURITY_HEADERS } from './csp.js';
import { hostHandlers } from './host.js';
import { APP_ORIGIN, registerApi } from './ipc.js';
import { electronBindingPath } from './native-binding.js';

const APP_DIR = app.getAppPath();
const RENDERER_DIR = join(APP_DIR, 'dist', 'ui');
const PRELOAD = join(APP_DIR, 'dist', 'preload', 'preload.cjs');

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: false } }]);

/** Serves files from the built renderer folder only; anything that resolves outside it is refused. */
function serveRenderer(): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    if (url.origin !== APP_ORIGIN) return new Response('not found', { status: 404 });
    const rel = normalize(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)).replace(/^([/\\])+/, '');
    const file = join(RENDERER_DIR, rel);
    if (!file.startsWith(RENDERER_DIR + sep)) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    return new Response(res.body, { status: res.status, headers: { 'content-type': res.headers.get('content-type') ?? 'application/octet-stream', ...SECURITY_HEADERS } });
  });
}

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
    },
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.on('will-redirect', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

app.enableSandbox();
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

void app.whenReady().then(() => {
  try {
    if (!app.isPackaged) useSqliteBinding(electronBindingPath(APP_DIR));
  } catch (e) {
    dialog.showErrorBox('CertDesk cannot open its vault', (e as Error).message);
    app.exit(1);
    return;
  }
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.setDevicePermissionHandler(() => false);
  serveRenderer();

  const service = new ServiceSession({ vaultPath: process.env.CERTDESK_VAULT || defaultVaultPath() });
  const windowOf = () => mainWindow ?? BrowserWindow.getAllWindows()[0]!;
  registerApi({ ...createHandlerTable(service), ...hostHandlers(windowOf) }, () => mainWindow);
  app.on('before-quit', () => service.close());

  mainWindow = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
