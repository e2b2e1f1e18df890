// The Electron main process (dist/electron/main/main.js, as package.json names it) run under plain Node
// against the Electron stand-in (test/electron-standin), with no renderer attached: the app:// handler,
// the IPC sender check, the windows' options, navigation, windows, webviews and permissions denied, the
// host channels, the native binding choice, and quitting. The renderer side runs in Chromium in
// self-test.test.ts and test/e2e.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { CHANNEL_NAMES } from '../../shared/channels.js';
import { CSP } from '../../electron/main/csp.js';
import { UNTRUSTED_SENDER } from '../../electron/main/sender.js';
import { app } from '../electron-standin/app.js';
import { makeAppDir } from '../electron-standin/app-dir.js';
import { clipboardRecord, dialogs } from '../electron-standin/dialog.js';
import { invokeFrom } from '../electron-standin/ipc-main.js';
import { fetchThroughProtocol, privilegesOf } from '../electron-standin/protocol.js';
import { session } from '../electron-standin/session.js';
import { startMain } from '../electron-standin/start.js';
import { allWindows, BrowserWindow, printed, type WebContents, type WebFrameMain } from '../electron-standin/windows.js';
import { runtime } from '../electron-standin/config.js';

const work = mkdtempSync(join(tmpdir(), 'certdesk-main-'));
const appDir = makeAppDir(join(work, 'app'));
const uiDir = join(appDir, 'dist', 'ui');
const vaultPath = join(work, 'vault.certdesk');
const userData = join(work, 'profile');
let win: BrowserWindow;

type Result = { ok: true; data: unknown } | { ok: false; code: string; message: string };

function call(channel: string, request: unknown, from: { contents?: WebContents; frame?: WebFrameMain | null } = {}): Promise<Result> {
  const contents = from.contents ?? win.webContents;
  const frame = from.frame === undefined ? contents.mainFrame : from.frame;
  return invokeFrom(contents, frame, channel, request) as Promise<Result>;
}

async function ok<T>(channel: string, request: unknown): Promise<T> {
  const r = await call(channel, request);
  assert.ok(r.ok, `${channel}: ${JSON.stringify(r)}`);
  return r.data as T;
}

before(async () => {
  await startMain({ appPath: appDir, userData, env: { CERTDESK_VAULT: vaultPath } });
  assert.equal(allWindows().length, 1, 'main opened one window');
  win = allWindows()[0]!;
  for (let i = 0; i < 200 && win.webContents.getURL() === ''; i++) await new Promise((r) => setTimeout(r, 10));
});
after(() => {
  if (app.exitCode === null) app.exit(1); // a failed test before the quit test: end the app all the same
  rmSync(work, { recursive: true, force: true });
});

test('the window loads app://certdesk/index.html, registered as a privileged standard scheme before ready', () => {
  assert.equal(win.webContents.getURL(), 'app://certdesk/index.html');
  assert.deepEqual(privilegesOf('app'), { standard: true, secure: true, supportFetchAPI: false });
  assert.equal(app.sandboxEnabled, true, 'app.enableSandbox() before ready');
  assert.deepEqual(runtime.violations, []);
});

test('every file of dist/ui is served with its content type, the CSP and nosniff', async () => {
  const files = readdirSync(uiDir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(uiDir, f)).isFile());
  assert.ok(files.some((f) => f.endsWith('.js')) && files.some((f) => f.endsWith('.css')) && files.includes('index.html'), `dist/ui holds the built renderer: ${files.join(', ')}`);
  const types: Record<string, RegExp> = { '.html': /^text\/html; charset=utf-8$/, '.js': /^text\/javascript/, '.css': /^text\/css/, '.map': /^application\/json$/, '.png': /^image\/png$/, '.svg': /^image\/svg\+xml$/ };
  for (const f of files) {
    const url = `app://certdesk/${relative(uiDir, join(uiDir, f)).split('\\').join('/')}`;
    const { response } = await fetchThroughProtocol(url);
    assert.equal(response.status, 200, url);
    assert.equal(response.headers.get('content-security-policy'), CSP, url);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff', url);
    const ext = /\.[a-z0-9]+$/i.exec(f)?.[0] ?? '';
    if (types[ext]) assert.match(response.headers.get('content-type') ?? '', types[ext]!, url);
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), readFileSync(join(uiDir, f)), url);
  }
  const root = await fetchThroughProtocol('app://certdesk/');
  assert.equal(root.response.status, 200);
  assert.equal(await root.response.text(), readFileSync(join(uiDir, 'index.html'), 'utf8'));
  // Chromium lower-cases a standard scheme's host before the handler sees it; the stand-in does the same.
  assert.equal((await fetchThroughProtocol('app://CERTDESK/index.html')).response.status, 200);
});

test('traversal, other hosts and other methods are refused', async () => {
  const secret = readFileSync(join(appDir, 'package.json'), 'utf8');
  const refused = [
    'app://certdesk/..%2fpackage.json',
    'app://certdesk/..%2f..%2fpackage.json',
    'app://certdesk/%2e%2e%2f%2e%2e%2fpackage.json',
    'app://certdesk/..%5c..%5cpackage.json',
    'app://certdesk/assets%5c..%5c..%5cpackage.json',
    'app://certdesk/%2e%2e/%2e%2e/package.json',
    'app://certdesk/../../package.json',
    'app://certdesk/%2f' + encodeURIComponent(join(appDir, 'package.json').slice(1)),
    'app://certdesk//' + join(appDir, 'package.json').slice(1),
    'app://certdesk/index.html%00',
    'app://certdesk/assets/',
    'app://certdesk/no-such-file.js',
    'app://certdesk.evil/index.html',
    'app://other/index.html',
    'app://certdesk:444/index.html',
  ];
  for (const url of refused) {
    const { response } = await fetchThroughProtocol(url);
    assert.equal(response.status, 404, url);
    assert.equal(response.headers.get('content-security-policy'), CSP, url);
    assert.notEqual(await response.text(), secret, url);
  }
  const post = await fetchThroughProtocol('app://certdesk/index.html', { method: 'POST', body: 'x' });
  assert.equal(post.response.status, 405);
});

test('every channel is registered; only the app window\'s main frame on app://certdesk is answered', async () => {
  const { ipcMain } = await import('../electron-standin/ipc-main.js');
  assert.deepEqual(ipcMain.channels().sort(), [...CHANNEL_NAMES].sort());
  const status = await call('session.status', {});
  assert.ok(status.ok);
  assert.equal((status.data as { vaultPath: string }).vaultPath, vaultPath);

  const refusedFrom = async (what: string, from: Parameters<typeof call>[2]) => {
    const r = await call('session.status', {}, from);
    assert.deepEqual(r, { ok: false, code: 'INVALID_INPUT', message: UNTRUSTED_SENDER }, what);
  };
  await refusedFrom('a subframe on app://certdesk', { frame: win.webContents.addSubframe('app://certdesk/index.html') });
  await refusedFrom('a frame that is gone (senderFrame null)', { frame: null });
  const other = new BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true } });
  await other.loadURL('app://certdesk/index.html');
  await refusedFrom('another window showing app://certdesk', { contents: other.webContents });
  other.destroy();
  // The main frame itself, after it would have left app://certdesk (navigation is denied; this proves
  // the check does not rest on that).
  const real = win.webContents.mainFrame.url;
  for (const url of ['app://certdesk.evil/index.html', 'app://CERTDESK/index.html', 'app:certdesk', 'file:///index.html', 'http://certdesk/', 'https://certdesk/index.html', 'data:text/html,x', '']) {
    win.webContents.mainFrame.url = url;
    await refusedFrom(`the main frame on ${url || '(empty)'}`, {});
  }
  win.webContents.mainFrame.url = real;
  assert.ok((await call('session.status', {})).ok, 'answered again from app://certdesk');
  // A request that is not the channel's shape is refused by dispatch, after the sender check.
  const bad = await call('vault.unlock', { passphrase: 1 });
  assert.equal(bad.ok, false);
  assert.equal((bad as { code: string }).code, 'INVALID_INPUT');
});

test('the window follows the security checklist', () => {
  const o = win.options as { webPreferences: Record<string, unknown>; icon: string; show: boolean };
  assert.deepEqual(
    { ...o.webPreferences, preload: undefined },
    {
      preload: undefined,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      devTools: true, // not packaged here; packaged-devtools.test.ts starts a packaged app
    },
  );
  assert.equal(o.webPreferences.preload, join(appDir, 'dist', 'preload', 'preload.cjs'));
  assert.ok(existsSync(o.webPreferences.preload as string), 'the preload bundle exists');
  assert.equal(o.icon, join(uiDir, 'icon.png'));
  assert.ok(existsSync(o.icon), 'the window icon is in the built renderer');
  assert.equal(o.show, false, 'shown on ready-to-show, not before');
  assert.equal(win.isVisible(), true, 'shown after the first load');
});

test('navigation, redirects, new windows and webviews are denied, in every webContents', async () => {
  const other = new BrowserWindow({ show: false, webPreferences: { sandbox: true } });
  for (const contents of [win.webContents, other.webContents]) {
    assert.equal(contents.simulateNavigation('https://example.org/'), true, 'will-navigate prevented');
    assert.equal(contents.simulateNavigation('app://certdesk/other.html'), true, 'even within the app');
    assert.equal(contents.simulateWebviewAttach('https://example.org/'), true, 'will-attach-webview prevented');
    assert.deepEqual(contents.simulateWindowOpen('https://example.org/'), { action: 'deny' });
  }
  assert.equal(win.webContents.simulateNavigation('https://example.org/', 'will-redirect'), true, 'will-redirect prevented');
  assert.equal(win.webContents.getURL(), 'app://certdesk/index.html');
  other.destroy();
});

test('every permission is denied', async () => {
  const s = session.defaultSession;
  for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'fullscreen', 'openExternal', 'pointerLock', 'hid', 'serial', 'usb', 'fileSystem']) {
    assert.equal(await s.requestPermission(win.webContents, p), false, `request ${p}`);
    assert.equal(s.checkPermission(win.webContents, p, 'app://certdesk'), false, `check ${p}`);
  }
  for (const d of ['hid', 'serial', 'usb']) assert.equal(s.checkDevicePermission(d, 'app://certdesk'), false, `device ${d}`);
});

test('host channels: dialogs, the clipboard, and printing in a locked-down hidden window', async () => {
  dialogs.openQueue.push([join(work, 'other.certdesk')], null);
  assert.deepEqual(await ok('dialog.openVault', {}), { path: join(work, 'other.certdesk') });
  assert.equal(await ok('dialog.openVault', {}), null, 'cancelled');
  dialogs.openQueue.push([work]);
  assert.deepEqual(await ok('dialog.chooseFolder', { title: 'Export to' }), { path: work });
  const chooseCall = dialogs.calls.at(-1)!.options as { properties: string[]; title: string };
  assert.deepEqual([chooseCall.title, chooseCall.properties.includes('openDirectory')], ['Export to', true]);
  dialogs.saveQueue.push(join(work, 'x.csv'));
  assert.deepEqual(await ok('dialog.saveFile', { title: 'Save', defaultName: 'x.csv' }), { path: join(work, 'x.csv') });
  assert.deepEqual(await ok('clipboard.write', { text: 'certificate="abc"' }), { done: true });
  assert.deepEqual(clipboardRecord, ['certificate="abc"']);

  const html = '<!doctype html><title>Slip</title><p>hello</p>';
  assert.deepEqual(await ok('print.html', { html, title: 'Hand-over slip', pdf: false }), { done: false, pdfPath: null }, 'the person cancelled printing');
  const job = printed.at(-1)!;
  const pw = job.contents.window!;
  assert.equal(pw.options.parent, win);
  assert.equal(pw.options.show, false);
  assert.equal(pw.getTitle(), 'Hand-over slip');
  assert.deepEqual(pw.options.webPreferences, { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, webSecurity: true });
  assert.equal(decodeURIComponent(job.contents.getURL().replace(/^data:text\/html;charset=utf-8,/, '')), html);
  assert.equal(pw.isDestroyed(), true, 'the print window is gone afterwards');
  assert.equal(allWindows().length, 1);
  dialogs.saveQueue.push(null);
  assert.deepEqual(await ok('print.html', { html, title: 'Sheet', pdf: true }), { done: false, pdfPath: null }, 'no PDF when the save dialog is cancelled');
});

test('ipc.ts and host.ts, imported as main imports them: one handler per channel, host handlers over the stand-in', async () => {
  // After startMain, `electron` resolves to the stand-in, so these are the modules main.js loaded.
  const { registerApi } = await import('../../electron/main/ipc.js');
  const { hostHandlers } = await import('../../electron/main/host.js');
  const { WriteGrants } = await import('../../electron/service/write-grants.js');
  const { ReadGrants } = await import('../../electron/service/read-grants.js');
  const host = hostHandlers(() => win as never, new WriteGrants(), new ReadGrants());
  // main registered every channel through registerApi already: a second registration is refused by ipcMain.
  assert.throws(() => registerApi({ ...host } as never, () => null), /Attempted to register a second handler for 'session\.status'/);
  dialogs.saveQueue.push(join(work, 'direct.csv'));
  assert.deepEqual(await host['dialog.saveFile']({ title: 'Save', defaultName: 'direct.csv' }), { path: join(work, 'direct.csv') });
  assert.deepEqual(await host['clipboard.write']({ text: 'direct' }), { done: true });
  assert.equal(clipboardRecord.at(-1), 'direct');
});

test('the native binding is the one for this Electron version, and quitting closes the vault', async () => {
  const created = await ok<{ state: string }>('vault.create', { passphrase: 'correct horse battery staple' });
  assert.equal(created.state, 'unlocked');
  // better-sqlite3 opened through the binding in node_modules/.cache/certdesk-native/electron-<v>-…, which
  // is the only copy in the app folder.
  assert.ok(existsSync(`${vaultPath}-wal`), 'the vault is open (WAL file present)');
  assert.ok(existsSync(join(userData, 'SingletonLock.standin')), 'the single-instance lock is held');
  app.quit();
  assert.equal(app.exitCode, 0);
  assert.equal(existsSync(`${vaultPath}-wal`), false, 'the vault was closed (SQLite removes the WAL file on close)');
  assert.equal(allWindows().length, 0);
  assert.equal(existsSync(join(userData, 'SingletonLock.standin')), false, 'the lock is released');
});
